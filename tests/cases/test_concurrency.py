"""Nothing typed is lost: two people saving the same case text. A save based on a stale
version is refused, atomically in the service, and the page shows both texts and keeps the
user's own (issue 11)."""

import re

import pytest
from django.test import Client

from cases.constants import StepStatus
from cases.models import Case, CaseShare, StepProgress
from cases.services import (
    case_answer_question,
    case_record_go_ahead,
    case_share,
    case_update_details,
    case_update_step,
)
from config.concurrency import VersionConflict
from tests.factories import UserFactory, make_case

STEP = "wat-is-er-gebeurd"


@pytest.fixture
def case(db):
    return make_case(notes="Eerste aantekening.")


@pytest.fixture
def colleague(case):
    user = UserFactory(team=case.team)
    case_share(case=case, actor=case.owner, user=user, level="edit")
    return user


def two_clients(case, colleague):
    owner, other = Client(), Client()
    owner.force_login(case.owner)
    other.force_login(colleague)
    return owner, other


def hidden_version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


class StepServiceTests:
    def test_a_save_on_the_current_version_moves_it_on(self, case):
        first = case_update_step(case=case, actor=case.owner, step_key=STEP, notes="a", version=0)
        assert first.version == 1
        second = case_update_step(case=case, actor=case.owner, step_key=STEP, notes="b", version=1)
        assert second.version == 2

    def test_a_save_on_a_stale_version_is_refused_and_changes_nothing(self, case, colleague):
        case_update_step(case=case, actor=case.owner, step_key=STEP, notes="Van mij", version=0)
        case_update_step(case=case, actor=colleague, step_key=STEP, notes="Van haar", version=1)
        with pytest.raises(VersionConflict) as refused:
            case_update_step(
                case=case, actor=case.owner, step_key=STEP, notes="Oud", status="done", version=1
            )
        assert (refused.value.seen, refused.value.current) == (1, 2)
        progress = StepProgress.objects.get(case=case, step_key=STEP)
        assert (progress.notes, progress.status, progress.version) == ("Van haar", "open", 2)

    def test_a_first_save_on_a_step_someone_saved_meanwhile_is_refused(self, case, colleague):
        case_update_step(case=case, actor=colleague, step_key=STEP, notes="Van haar", version=0)
        with pytest.raises(VersionConflict):
            case_update_step(case=case, actor=case.owner, step_key=STEP, notes="x", version=0)
        assert StepProgress.objects.get(case=case, step_key=STEP).notes == "Van haar"

    def test_the_claim_is_one_compare_and_swap_update(self, case):
        """The check is in the database: UPDATE … WHERE version = n, not a read then a write."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        case_update_step(case=case, actor=case.owner, step_key=STEP, notes="a", version=0)
        with CaptureQueriesContext(connection) as queries:
            case_update_step(case=case, actor=case.owner, step_key=STEP, notes="b", version=1)
        claims = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith("UPDATE") and '"version" = 1' in q["sql"].replace("%s", "1")
        ]
        assert claims, [q["sql"] for q in queries.captured_queries]
        assert "WHERE" in claims[0] and "cases_stepprogress" in claims[0]

    def test_a_status_change_by_the_gate_makes_older_pages_stale(self, case):
        for key in ("dreiging", "angst-familie"):
            case_answer_question(case=case, actor=case.owner, question_key=key, answer="nee")
        case_update_step(case=case, actor=case.owner, step_key="vertrouwen", status="done")
        progress = StepProgress.objects.get(case=case, step_key="vertrouwen")
        case_answer_question(case=case, actor=case.owner, question_key="dreiging", answer="ja")
        progress.refresh_from_db()
        assert progress.status == StepStatus.OPEN
        assert progress.version == 2


class CaseServiceTests:
    def test_details_on_a_stale_version_are_refused(self, case, colleague):
        case_update_details(case=case, actor=colleague, version=1, notes="Van haar")
        with pytest.raises(VersionConflict):
            case_update_details(
                case=Case.objects.get(pk=case.pk), actor=case.owner, version=1, notes="Oud"
            )
        assert Case.objects.get(pk=case.pk).notes == "Van haar"

    def test_the_go_ahead_reason_shares_the_case_version(self, case, colleague):
        case_record_go_ahead(case=case, actor=colleague, reason="Afgesproken", version=1)
        with pytest.raises(VersionConflict):
            case_record_go_ahead(case=case, actor=case.owner, reason="Anders", version=1)
        assert Case.objects.get(pk=case.pk).go_ahead_reason == "Afgesproken"

    def test_a_caller_without_a_form_writes_on_the_current_version(self, case):
        case_update_details(case=case, actor=case.owner, notes="Uit een opdracht")
        assert Case.objects.get(pk=case.pk).version == 2

    def test_a_share_changed_in_another_tab_is_not_overwritten(self, case, colleague):
        share = CaseShare.objects.get(case=case, user=colleague)
        case_share(case=case, actor=case.owner, user=colleague, level="read", version=1)
        with pytest.raises(VersionConflict):
            case_share(case=case, actor=case.owner, user=colleague, level="edit", version=1)
        with pytest.raises(VersionConflict):  # the page showed no share at all
            case_share(case=case, actor=case.owner, user=colleague, level="edit", version=0)
        share.refresh_from_db()
        assert (share.level, share.version) == ("read", 2)


class StepPageConflictTests:
    def test_a_stale_save_and_done_click_gets_the_conflict_page_and_wipes_nothing(
        self, case, colleague
    ):
        owner, other = two_clients(case, colleague)
        url = f"/casussen/{case.reference}/stap/{STEP}/"
        mine = owner.get(url).content.decode()
        theirs = other.get(url).content.decode()
        assert hidden_version(mine) == hidden_version(theirs) == "0"
        saved = other.post(url, {"notes": "Notitie van de collega", "version": "0"})
        assert saved.status_code == 302
        # The owner's page is stale: "Opslaan en klaar" with their own text.
        response = owner.post(url, {"notes": "Mijn tekst", "status": "done", "version": "0"})
        assert response.status_code == 409
        html = response.content.decode()
        assert "Niet opgeslagen" in html
        assert "Notitie van de collega" in html  # the other person's text …
        assert ">Mijn tekst</textarea>" in html  # … beside the user's own, kept in the form
        assert colleague.get_full_name() in html
        assert hidden_version(html) == "1"  # saving again merges on the new version
        progress = StepProgress.objects.get(case=case, step_key=STEP)
        assert (progress.notes, progress.status) == ("Notitie van de collega", "open")
        # The merge: saved against the version the conflict page carries.
        merged = "Notitie van de collega\n\nMijn tekst"
        response = owner.post(url, {"notes": merged, "status": "done", "version": "1"})
        assert response.status_code == 302
        progress.refresh_from_db()
        assert (progress.notes, progress.status, progress.version) == (merged, "done", 2)

    def test_a_post_without_a_version_changes_nothing(self, case):
        client = Client()
        client.force_login(case.owner)
        url = f"/casussen/{case.reference}/stap/{STEP}/"
        response = client.post(url, {"notes": "Zonder versie"})
        assert response.status_code == 400
        assert ">Zonder versie</textarea>" in response.content.decode()
        assert not StepProgress.objects.filter(case=case).exists()


class DetailsPageConflictTests:
    def test_stale_details_get_the_conflict_page_with_both_texts(self, case, colleague):
        owner, other = two_clients(case, colleague)
        url = f"/casussen/{case.reference}/gegevens/"
        assert hidden_version(owner.get(url).content.decode()) == "1"
        data = {"age_range": "12_15", "situation": "shame_sexting", "version": "1"}
        assert other.post(url, {**data, "notes": "Aanvulling van de collega"}).status_code == 302
        response = owner.post(url, {**data, "age_range": "16_17", "notes": "Mijn versie"})
        assert response.status_code == 409
        html = response.content.decode()
        assert "Aanvulling van de collega" in html
        assert "Mijn versie</textarea>" in html
        assert hidden_version(html) == "2"
        stored = Case.objects.get(pk=case.pk)
        assert (stored.notes, stored.age_range) == ("Aanvulling van de collega", "12_15")
        response = owner.post(url, {**data, "age_range": "16_17", "notes": "Samen", "version": 2})
        assert response.status_code == 302
        stored.refresh_from_db()
        assert (stored.notes, stored.age_range, stored.version) == ("Samen", "16_17", 3)

    def test_a_stale_go_ahead_reason_keeps_both(self, case, colleague):
        owner, other = two_clients(case, colleague)
        url = f"/casussen/{case.reference}/doorgaan/"
        assert other.post(url, {"reason": "Reden van de collega", "version": 1}).status_code == 302
        response = owner.post(url, {"reason": "Mijn reden", "version": 1})
        assert response.status_code == 409
        html = response.content.decode()
        assert "Reden van de collega" in html and "Mijn reden</textarea>" in html
        assert Case.objects.get(pk=case.pk).go_ahead_reason == "Reden van de collega"


class SharingPageConflictTests:
    def test_a_stale_sharing_page_does_not_overwrite_a_share(self, case, colleague):
        owner = Client()
        owner.force_login(case.owner)
        url = f"/casussen/{case.reference}/delen/"
        seen = re.search(r'name="seen" value="([^"]*)"', owner.get(url).content.decode())
        assert seen.group(1) == f"{colleague.pk}:1"
        # Another tab ends the share; this page still shows it.
        owner.post(url, {"remove": colleague.pk})
        response = owner.post(url, {"user": colleague.pk, "level": "read", "seen": seen.group(1)})
        assert response.status_code == 409
        assert not CaseShare.objects.filter(case=case, user=colleague).exists()


class ScreeningPageConflictTests:
    def test_a_stale_screening_page_does_not_revert_a_colleagues_answer(self, case, colleague):
        owner, other = two_clients(case, colleague)
        url = f"/casussen/{case.reference}/screening/"
        seen = re.search(r'name="seen"(?: value="([^"]*)")?', owner.get(url).content.decode())
        assert seen and not seen.group(1)  # nothing answered yet
        theirs = {"q_dreiging": "nee", "n_dreiging": "Besproken met de collega", "seen": ""}
        assert other.post(url, theirs).status_code == 302
        mine = {"q_dreiging": "nee", "n_dreiging": "Mijn toelichting", "seen": ""}
        response = owner.post(url, mine)
        assert response.status_code == 409
        html = response.content.decode()
        assert "Besproken met de collega" in html
        assert 'value="Mijn toelichting"' in html
        assert case.answers.get(question_key="dreiging").note == "Besproken met de collega"
        again = re.search(r'name="seen" value="([^"]*)"', html).group(1)
        assert again == "dreiging:1"
        response = owner.post(url, {**mine, "n_dreiging": "Samen", "seen": again})
        assert response.status_code == 302
        answer = case.answers.get(question_key="dreiging")
        assert (answer.note, answer.version) == ("Samen", 2)
