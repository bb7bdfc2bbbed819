"""Passwords and account life: the password rules, changing one's own password, invitations
and one-time links sent by a Beheerder (who never sets a password), deactivation, and the
sessions each of these ends."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.constants import Role, SecurityEventKind
from accounts.models import SecurityEvent
from accounts.passwords import PredictablePasswordValidator
from accounts.services import user_send_password_link, user_update
from accounts.tokens import PasswordLinkTokenGenerator
from tests.factories import PASSWORD, TeamFactory, log_in_with_code, totp_code

User = get_user_model()
NEW = "lange zin van losse woorden"


def logged_in(user, password=PASSWORD):
    client = Client(REMOTE_ADDR="203.0.113.7")
    response = log_in_with_code(client, user.email, password)
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def kinds():
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))


class PasswordRuleTests:
    @pytest.mark.parametrize(
        "password",
        ["Welkom123456", "aaaaaaaaaaaa", "Zomer2024!!!", "W3lk0m2024!!", "qwertyuiop12",
         "Gesprekswijzer1", "abcdefabcdef"],
    )  # fmt: skip
    def test_predictable_passwords_are_refused(self, password, db):
        from django.contrib.auth.password_validation import validate_password

        with pytest.raises(ValidationError):
            validate_password(password)

    @pytest.mark.parametrize("password", ["lange zin van losse woorden", "k8#lm2pq9zxr", NEW])
    def test_long_unpredictable_passwords_pass_without_composition_rules(self, password, db):
        from django.contrib.auth.password_validation import validate_password

        validate_password(password)  # no digit, capital or symbol required

    def test_short_passwords_are_refused(self, db):
        from django.contrib.auth.password_validation import validate_password

        with pytest.raises(ValidationError):
            validate_password("kort-x9#q")

    def test_the_users_own_address_counts_as_predictable(self):
        user = User(email="fatima.jansen@example.nl", display_name="Fatima Jansen")
        with pytest.raises(ValidationError):
            PredictablePasswordValidator().validate("fatimajansen2025", user)


class OwnPasswordTests:
    url = reverse("accounts:password_change")

    def test_change_keeps_this_session_and_ends_the_others(self, worker):
        mine, other = logged_in(worker), logged_in(worker)
        response = mine.post(
            self.url,
            {
                "old_password": PASSWORD,
                "code": totp_code(offset=1),
                "new_password1": NEW,
                "new_password2": NEW,
            },
        )
        assert response.status_code == 302
        assert mine.get("/casussen/").status_code == 200
        assert other.get("/casussen/").status_code == 302
        worker.refresh_from_db()
        assert worker.check_password(NEW)
        assert SecurityEventKind.PASSWORD_CHANGED in kinds()
        assert SecurityEventKind.SESSIONS_ENDED in kinds()

    def test_wrong_current_password_is_refused_and_counts_towards_the_lockout(self, worker):
        client = logged_in(worker)
        for _ in range(4):
            response = client.post(
                self.url, {"old_password": "fout-fout-fout", "new_password1": NEW,
                           "new_password2": NEW},
            )  # fmt: skip
            assert response.status_code == 400
            assert "huidige wachtwoord klopt niet" in response.content.decode()
        response = client.post(
            self.url, {"old_password": "fout-fout-fout", "new_password1": NEW, "new_password2": NEW}
        )
        assert response.status_code == 429
        worker.refresh_from_db()
        assert worker.check_password(PASSWORD)

    def test_no_password_of_the_form_is_kept_by_the_lockout(self, worker):
        from axes.models import AccessAttempt

        client = logged_in(worker)
        client.post(
            self.url, {"old_password": "fout-geheim-1", "new_password1": "nieuw-geheim-2",
                       "new_password2": "nieuw-geheim-2"},
        )  # fmt: skip
        kept = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
        assert "new_password1" in kept
        assert "geheim" not in kept

    def test_weak_new_password_is_refused_with_the_reason(self, worker):
        client = logged_in(worker)
        response = client.post(
            self.url,
            {"old_password": PASSWORD, "code": totp_code(offset=1),
             "new_password1": "Welkom123456", "new_password2": "Welkom123456"},
        )  # fmt: skip
        assert response.status_code == 400
        assert "te voorspelbaar" in response.content.decode()
        worker.refresh_from_db()
        assert worker.check_password(PASSWORD)

    def test_a_second_factor_code_is_asked_and_checked(self, worker):
        client = logged_in(worker)
        form = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
        assert client.post(self.url, form).status_code == 400  # no code
        response = client.post(self.url, {**form, "code": "000000"})
        assert response.status_code == 400
        assert "code klopt niet" in response.content.decode()
        worker.refresh_from_db()
        assert worker.check_password(PASSWORD)
        assert client.post(self.url, {**form, "code": totp_code(offset=1)}).status_code == 302

    def test_english_page_is_complete(self, worker):
        client = logged_in(worker)
        client.post(reverse("set_language"), {"language": "en"})
        html = client.get(self.url).content.decode()
        assert "Change password" in html


class InvitationTests:
    @pytest.fixture(autouse=True)
    def _commit(self, django_capture_on_commit_callbacks):
        self.on_commit = django_capture_on_commit_callbacks

    def invite(self, beheerder, team, email="nieuw@example.nl"):
        admin = Client(REMOTE_ADDR="203.0.113.1")
        admin.force_login(beheerder)
        with self.on_commit(execute=True):  # the invitation is mailed once the user exists
            return admin.post(
                "/beheer/accounts/user/add/",
                {"email": email, "display_name": "Nieuwe Collega", "team": team.pk,
                 "role": Role.MEDEWERKER.value},
            )  # fmt: skip

    def test_beheerder_invites_and_the_user_sets_their_own_password(self, beheerder):
        team = TeamFactory()
        response = self.invite(beheerder, team)
        assert response.status_code == 302
        user = User.objects.get(email="nieuw@example.nl")
        assert not user.has_usable_password()
        assert user.role == Role.MEDEWERKER and user.team == team
        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nieuw@example.nl"]

        visitor = Client()
        form_page = visitor.get(link_in(mail.outbox[0]), follow=True)
        assert form_page.status_code == 200
        assert form_page.context["validlink"] and form_page.context["invitation"]
        done = visitor.post(
            form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
        )
        assert done.status_code == 302 and done.url == reverse("accounts:login")
        logged_in(user, NEW)
        invited = SecurityEvent.objects.get(kind=SecurityEventKind.USER_INVITED)
        assert (invited.actor, invited.subject) == (beheerder, user)
        event = SecurityEvent.objects.get(kind=SecurityEventKind.PASSWORD_RESET_DONE)
        assert event.detail == "via uitnodiging"

    def test_invitation_used_twice_is_refused_and_changes_nothing(self, beheerder):
        self.invite(beheerder, TeamFactory())
        link = link_in(mail.outbox[0])
        first = Client()
        page = first.get(link, follow=True)
        first.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
        user = User.objects.get(email="nieuw@example.nl")
        hashed = user.password

        second = Client()
        again = second.get(link)
        assert again.status_code == 400
        assert "al gebruikt, verlopen of niet compleet" in again.content.decode()
        posted = second.post(
            link,
            {"new_password1": "ander wachtwoord hier", "new_password2": "ander wachtwoord hier"},
        )
        assert posted.status_code == 400
        user.refresh_from_db()
        assert user.password == hashed

    def test_add_form_has_no_password_field(self, beheerder):
        admin = Client()
        admin.force_login(beheerder)
        html = admin.get("/beheer/accounts/user/add/").content.decode()
        assert 'type="password"' not in html
        assert "password1" not in html


class PasswordLinkTests:
    def send(self, user, actor):
        user.refresh_from_db()  # as the admin would load it: with its last login
        user_send_password_link(user=user, actor=actor, base_url="http://testserver/")
        return link_in(mail.outbox[-1])

    def test_reset_link_sets_a_new_password_and_ends_every_session(self, worker, beheerder):
        session = logged_in(worker)
        link = self.send(worker, beheerder)
        assert worker.has_usable_password()  # the old password works until the link is used
        visitor = Client()
        page = visitor.get(link, follow=True)
        response = visitor.post(
            page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
        )
        assert response.status_code == 302
        assert session.get("/casussen/").status_code == 302
        worker.refresh_from_db()
        assert worker.check_password(NEW)
        assert SecurityEventKind.PASSWORD_RESET_REQUESTED in kinds()
        assert SecurityEventKind.PASSWORD_RESET_DONE in kinds()

    def test_expired_link_is_refused(self, worker, beheerder, monkeypatch, settings):
        link = self.send(worker, beheerder)
        real_now = PasswordLinkTokenGenerator._now
        later = dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1)
        monkeypatch.setattr(PasswordLinkTokenGenerator, "_now", lambda self: real_now(self) + later)
        response = Client().get(link)
        assert response.status_code == 400
        assert "al gebruikt, verlopen of niet compleet" in response.content.decode()

    def test_english_refusal(self, worker, beheerder):
        client = Client()
        client.post(reverse("set_language"), {"language": "en"})
        response = client.get(reverse("accounts:password_link", args=["MQ", "x-y"]))
        assert response.status_code == 400
        assert "This link no longer works" in response.content.decode()

    def test_link_for_a_deactivated_account_is_refused(self, worker, beheerder):
        link = self.send(worker, beheerder)
        worker.is_active = False
        worker.save()
        assert Client().get(link).status_code == 400
        with pytest.raises(ValidationError):
            user_send_password_link(user=worker, actor=beheerder, base_url="http://testserver/")

    def test_beheerder_sends_the_link_from_the_user_list(self, worker, beheerder):
        admin = Client()
        admin.force_login(beheerder)
        admin.post(
            "/beheer/accounts/user/",
            {"action": "send_password_link", "_selected_action": [worker.pk]},
        )
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [worker.email]
        assert "/wachtwoord-instellen/" in mail.outbox[0].body
        worker.refresh_from_db()
        assert worker.check_password(PASSWORD)


class AccountChangeTests:
    def edit(self, beheerder, user, **changes):
        admin = Client(REMOTE_ADDR="203.0.113.1")
        admin.force_login(beheerder)
        data = {
            "email": user.email, "display_name": user.display_name,
            "team": user.team_id or "", "role": user.role.value, "is_active": "on",
            **changes,
        }  # fmt: skip
        if data["is_active"] is False:
            del data["is_active"]
        response = admin.post(f"/beheer/accounts/user/{user.pk}/change/", data)
        assert response.status_code == 302, response.content.decode()[:2000]

    @pytest.mark.parametrize(
        ("change", "kind"),
        [
            ({"role": Role.COORDINATOR.value}, SecurityEventKind.ROLE_CHANGED),
            ({"is_active": False}, SecurityEventKind.USER_DEACTIVATED),
            ({"email": "ander@example.nl"}, SecurityEventKind.EMAIL_CHANGED),
        ],
    )
    def test_change_is_logged_and_ends_the_users_sessions(self, worker, beheerder, change, kind):
        session = logged_in(worker)
        self.edit(beheerder, worker, **change)
        assert session.get("/casussen/").status_code == 302
        event = SecurityEvent.objects.get(kind=kind)
        assert (event.actor, event.subject, event.ip_address) == (beheerder, worker, "203.0.113.1")
        assert SecurityEventKind.SESSIONS_ENDED in kinds()

    def test_team_change_to_another_region_logs_team_and_region(self, worker, beheerder):
        session = logged_in(worker)
        self.edit(beheerder, worker, team=TeamFactory().pk)
        assert session.get("/casussen/").status_code == 302  # a team change ends sessions too
        assert SecurityEventKind.TEAM_CHANGED in kinds()
        assert SecurityEventKind.REGION_CHANGED in kinds()
        assert SecurityEventKind.SESSIONS_ENDED in kinds()

    def test_team_moved_to_another_region_is_logged(self, worker, beheerder):
        from tests.factories import RegionFactory

        admin = Client()
        admin.force_login(beheerder)
        team = worker.team
        region = RegionFactory()
        response = admin.post(
            f"/beheer/accounts/team/{team.pk}/change/", {"name": team.name, "region": region.pk}
        )
        assert response.status_code == 302
        assert SecurityEvent.objects.get(kind=SecurityEventKind.REGION_CHANGED).actor == beheerder

    def test_deactivate_action(self, worker, beheerder):
        admin = Client()
        admin.force_login(beheerder)
        admin.post(
            "/beheer/accounts/user/", {"action": "deactivate", "_selected_action": [worker.pk]}
        )
        worker.refresh_from_db()
        assert not worker.is_active
        assert SecurityEventKind.USER_DEACTIVATED in kinds()

    def test_unchanged_save_logs_nothing_and_keeps_sessions(self, worker, beheerder):
        session = logged_in(worker)
        before = SecurityEvent.objects.count()
        user_update(
            user=worker, actor=beheerder, email=worker.email, display_name="Andere naam",
            team=worker.team, role=Role.MEDEWERKER, is_active=True,
        )  # fmt: skip
        assert SecurityEvent.objects.count() == before
        assert session.get("/casussen/").status_code == 200
