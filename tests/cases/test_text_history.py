"""Case text keeps its history (issue 11): every change of a free text of a case, who, when
and what; shown to exactly those who may see the case, logged like every read, and deleted
with the case by the retention purge."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.constants import Role, SecurityEventKind
from accounts.models import SecurityEvent
from cases.constants import AccessAction, CaseText
from cases.models import AccessLog, Case, CaseTextVersion, PurgeRecord
from cases.retention import cases_purge
from cases.selectors import case_text_history
from cases.services import (
    case_answer_question,
    case_close,
    case_record_go_ahead,
    case_share,
    case_update_details,
    case_update_step,
)
from tests.factories import UserFactory, make_case

STEP = "wat-is-er-gebeurd"


@pytest.fixture
def case(db):
    case = make_case(notes="Eerste indruk.")
    editor = UserFactory(team=case.team, display_name="Eva Editor")
    case_share(case=case, actor=case.owner, user=editor, level="edit")
    case_update_step(case=case, actor=case.owner, step_key=STEP, notes="Stap, versie 1")
    case_update_step(case=case, actor=editor, step_key=STEP, notes="Stap, versie 2")
    case_update_step(case=case, actor=editor, step_key=STEP, status="done")  # text unchanged
    case_update_details(case=case, actor=editor, notes="Eerste indruk. Aangevuld.")
    case_record_go_ahead(case=case, actor=case.owner, reason="Afgesproken met Veilig Thuis")
    case_answer_question(
        case=case, actor=case.owner, question_key="dreiging", answer="nee", note="Geen dreiging"
    )
    case.editor = editor
    return case


class TextHistoryServiceTests:
    def test_every_change_is_kept_with_who_when_and_what(self, case):
        step = CaseTextVersion.objects.filter(case=case, text_kind=CaseText.STEP_NOTES, part=STEP)
        assert [(v.text, v.saved_by) for v in step.order_by("pk")] == [
            ("Stap, versie 1", case.owner),
            ("Stap, versie 2", case.editor),
        ]
        assert all(abs(v.saved_at - timezone.now()) < dt.timedelta(minutes=1) for v in step)
        notes = CaseTextVersion.objects.filter(case=case, text_kind=CaseText.NOTES)
        assert list(notes.order_by("pk").values_list("text", flat=True)) == [
            "Eerste indruk.",
            "Eerste indruk. Aangevuld.",
        ]
        assert CaseTextVersion.objects.get(case=case, text_kind=CaseText.GO_AHEAD_REASON).text == (
            "Afgesproken met Veilig Thuis"
        )
        note = CaseTextVersion.objects.get(case=case, text_kind=CaseText.ANSWER_NOTE)
        assert (note.part, note.text) == ("dreiging", "Geen dreiging")

    def test_text_from_before_the_history_is_kept_as_what_a_change_replaced(self, db):
        case = make_case()
        Case.objects.filter(pk=case.pk).update(cultural_context="Van vóór de geschiedenis")
        case.refresh_from_db()
        case_update_details(case=case, actor=case.owner, cultural_context="Nieuw")
        rows = CaseTextVersion.objects.filter(case=case, text_kind=CaseText.CULTURAL_CONTEXT)
        assert [(r.text, r.saved_by, r.saved_at is None) for r in rows.order_by("pk")] == [
            ("Van vóór de geschiedenis", None, True),
            ("Nieuw", case.owner, False),
        ]

    def test_the_selector_groups_per_text_newest_first(self, case):
        groups = case_text_history(case=Case.objects.get(pk=case.pk))
        kinds = [(g.kind, g.part) for g in groups]
        assert kinds[0] == (CaseText.NOTES, "")
        assert (CaseText.STEP_NOTES, STEP) in kinds
        step = next(g for g in groups if g.part == STEP)
        assert [v.text for v in step.versions] == ["Stap, versie 2", "Stap, versie 1"]


class TextHistoryPageTests:
    def test_owner_and_every_share_see_it_and_the_read_is_logged(self, client, case):
        reader = UserFactory(team=case.team)
        case_share(case=case, actor=case.owner, user=reader, level="read")
        url = f"/casussen/{case.reference}/geschiedenis/"
        for user in (case.owner, case.editor, reader):
            client.force_login(user)
            response = client.get(url)
            assert response.status_code == 200
            html = response.content.decode()
            assert "Stap, versie 1" in html and "Stap, versie 2" in html
            assert "Eva Editor" in html
            assert "Afgesproken met Veilig Thuis" in html
            assert AccessLog.objects.filter(
                case=case, user=user, action=AccessAction.VIEW, detail="history"
            ).exists()

    @pytest.mark.parametrize("role", [Role.MEDEWERKER, Role.COORDINATOR, Role.BEHEERDER])
    def test_anybody_else_is_refused_and_the_attempt_is_logged(self, client, case, role):
        outsider = UserFactory(role=role, team=case.team if role != Role.BEHEERDER else None)
        client.force_login(outsider)
        response = client.get(f"/casussen/{case.reference}/geschiedenis/")
        # The case pages' one access check: a case you may not see does not exist for you.
        assert response.status_code == 404
        assert "Stap, versie" not in response.content.decode()
        assert SecurityEvent.objects.filter(
            kind=SecurityEventKind.CASE_ACCESS_REFUSED, actor=outsider
        ).exists()
        assert AccessLog.objects.filter(case=case, action=AccessAction.OPEN_REFUSED).exists()

    def test_the_text_goes_through_the_sanitiser(self, client, case):
        case_update_step(
            case=case, actor=case.owner, step_key=STEP,
            notes='<script>alert(1)</script> **vet** [x](javascript:alert(2))',
        )  # fmt: skip
        client.force_login(case.owner)
        html = client.get(f"/casussen/{case.reference}/geschiedenis/").content.decode()
        assert "<script>alert(1)" not in html
        assert "javascript:alert" not in html
        assert "<strong>vet</strong>" in html

    def test_no_case_text_in_the_access_log(self, client, case):
        client.force_login(case.owner)
        client.get(f"/casussen/{case.reference}/geschiedenis/")
        details = " ".join(AccessLog.objects.filter(case=case).values_list("detail", flat=True))
        assert "versie" not in details and "Veilig Thuis" not in details


class TextHistoryPurgeTests:
    def test_the_history_goes_with_the_case_and_is_counted(self, case):
        rows = CaseTextVersion.objects.filter(case=case).count()
        assert rows >= 5
        case_close(case=case, actor=case.owner)
        Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - dt.timedelta(days=400))
        assert cases_purge(months=12).references == [case.reference]
        assert not CaseTextVersion.objects.filter(case_id=case.pk).exists()
        record = PurgeRecord.objects.get(reference=case.reference)
        assert record.counts["text_history"] == rows
        assert "versie" not in str(record.counts)
