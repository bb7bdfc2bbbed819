"""Sharing keeps its promise: only with active Medewerkers of the case's team; a share ends
when the colleague leaves the team, loses the Medewerker role or is deactivated; the owner can
always end a share. And a refused attempt to open a case leaves a trace."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.constants import Role, SecurityEventKind
from accounts.models import SecurityEvent
from accounts.services import user_deactivate, user_update
from cases.constants import AccessAction
from cases.models import AccessLog, CaseShare
from cases.selectors import my_cases
from cases.services import can_edit, case_share
from tests.factories import TeamFactory, UserFactory, make_case


@pytest.fixture
def case(db):
    return make_case()


def share(case, user, level="edit"):
    return case_share(case=case, actor=case.owner, user=user, level=level)


def opens(user, case) -> int:
    client = Client()
    client.force_login(user)
    return client.get(case.get_absolute_url()).status_code


class ShareRuleTests:
    @pytest.mark.parametrize("role", [Role.COORDINATOR, Role.BEHEERDER])
    def test_no_share_with_a_coordinator_or_beheerder_of_the_team(self, case, role):
        other = UserFactory(role=role, team=case.team)
        with pytest.raises(ValidationError):
            share(case, other)
        assert not CaseShare.objects.exists()

    def test_no_share_outside_the_team_or_with_an_inactive_colleague(self, case):
        with pytest.raises(ValidationError):
            share(case, UserFactory())
        with pytest.raises(ValidationError):
            share(case, UserFactory(team=case.team, is_active=False))

    def test_sharing_page_offers_only_medewerkers_and_refuses_a_crafted_coordinator(self, case):
        colleague = UserFactory(team=case.team)
        coordinator = UserFactory(role=Role.COORDINATOR, team=case.team)
        client = Client()
        client.force_login(case.owner)
        page = client.get(f"{case.get_absolute_url()}delen/")
        offered = list(page.context["form"].fields["user"].queryset)
        assert offered == [colleague]
        response = client.post(
            f"{case.get_absolute_url()}delen/", {"user": coordinator.pk, "level": "read"}
        )
        assert response.status_code == 400
        assert not CaseShare.objects.exists()
        assert opens(coordinator, case) == 404


class ShareEndsTests:
    def change(self, user, actor, **changes):
        current = {
            "email": user.email, "display_name": user.display_name, "team": user.team,
            "role": user.role, "is_active": user.is_active,
        }  # fmt: skip
        user_update(user=user, actor=actor, **(current | changes))

    def test_a_moved_colleague_loses_the_share(self, case, beheerder):
        colleague = UserFactory(team=case.team)
        share(case, colleague)
        assert opens(colleague, case) == 200
        self.change(colleague, beheerder, team=TeamFactory(region=case.team.region))
        assert not CaseShare.objects.exists()
        assert opens(colleague, case) == 404
        log = AccessLog.objects.filter(case=case, action=AccessAction.UNSHARE).get()
        assert log.detail.endswith("automatisch")

    def test_a_colleague_who_becomes_coordinator_loses_the_share(self, case, beheerder):
        colleague = UserFactory(team=case.team)
        share(case, colleague)
        self.change(colleague, beheerder, role=Role.COORDINATOR)
        assert not CaseShare.objects.exists()
        assert opens(colleague, case) == 404

    def test_a_deactivated_colleague_loses_the_share(self, case, beheerder):
        colleague = UserFactory(team=case.team)
        share(case, colleague)
        user_deactivate(user=colleague, actor=beheerder)
        assert not CaseShare.objects.exists()

    def test_a_share_counts_for_nothing_once_the_colleague_left_even_if_the_row_is_left(self, case):
        """Defence in depth: a team change that bypassed the service (a shell, a fixture)."""
        colleague = UserFactory(team=case.team)
        share(case, colleague)
        colleague.team = TeamFactory()
        colleague.save()
        assert CaseShare.objects.exists()
        assert opens(colleague, case) == 404
        assert my_cases(user=colleague) == []
        assert not can_edit(case, colleague)

    def test_owner_can_end_a_share_with_a_colleague_who_has_left(self, case):
        colleague = UserFactory(team=case.team)
        share(case, colleague)
        colleague.team = TeamFactory()
        colleague.save()
        client = Client()
        client.force_login(case.owner)
        page = client.get(f"{case.get_absolute_url()}delen/")
        assert colleague.get_full_name() in page.content.decode()
        response = client.post(f"{case.get_absolute_url()}delen/", {"remove": colleague.pk})
        assert response.status_code == 302
        assert not CaseShare.objects.exists()

    def test_removing_a_non_share_changes_nothing(self, case):
        colleague = UserFactory(team=case.team)
        share(case, colleague)
        client = Client()
        client.force_login(case.owner)
        for junk in ("999999", "abc", ""):
            client.post(f"{case.get_absolute_url()}delen/", {"remove": junk})
        assert CaseShare.objects.count() == 1


class RefusedOpenTests:
    def test_refused_case_url_leaves_a_trace_for_the_security_log_and_the_owner(self, case):
        intruder = UserFactory(team=case.team)
        client = Client(REMOTE_ADDR="203.0.113.66")
        client.force_login(intruder)
        assert client.get(case.get_absolute_url()).status_code == 404
        event = SecurityEvent.objects.get(kind=SecurityEventKind.CASE_ACCESS_REFUSED)
        assert (event.actor, event.ip_address, event.detail) == (
            intruder, "203.0.113.66", case.reference,
        )  # fmt: skip
        row = AccessLog.objects.get(case=case, action=AccessAction.OPEN_REFUSED)
        assert row.user is None and row.ip_address is None

        owner = Client()
        owner.force_login(case.owner)
        html = owner.get(f"{case.get_absolute_url()}logboek/").content.decode()
        assert "iemand zonder toegang probeerde de casus te openen" in html
        assert intruder.get_full_name() not in html
        assert "203.0.113.66" not in html

    def test_a_reference_that_does_not_exist_is_logged_too(self, worker):
        client = Client(REMOTE_ADDR="203.0.113.66")
        client.force_login(worker)
        assert client.get("/casussen/GW-2026-9999/plan/").status_code == 404
        event = SecurityEvent.objects.get(kind=SecurityEventKind.CASE_ACCESS_REFUSED)
        assert event.detail == "GW-2026-9999"
        assert not AccessLog.objects.filter(action=AccessAction.OPEN_REFUSED).exists()
