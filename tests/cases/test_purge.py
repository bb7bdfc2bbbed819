import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.models import AccessLog, Case, Consultation, ScreeningAnswer
from cases.services import case_answer_question, case_close, case_record_consultation
from tests.factories import make_case


def closed_case(days_ago, owner=None):
    case = make_case(owner=owner)
    case_answer_question(case=case, actor=case.owner, question_key="dreiging", answer="ja")
    case_record_consultation(
        case=case, actor=case.owner, consulted_on=timezone.localdate(), organisation="politie",
        advisor="x", advice_summary="geheim advies", outcome="melding_gedaan",
        young_person_informed=True,
    )  # fmt: skip
    case_close(case=case, actor=case.owner)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - dt.timedelta(days=days_ago))
    return case


class PurgeTests:
    def test_dry_run_lists_and_deletes_nothing(self, db):
        old = closed_case(400)
        out = StringIO()
        call_command("purge_cases", "--dry-run", stdout=out)
        assert "would delete 1 case(s)" in out.getvalue()
        assert old.reference in out.getvalue()
        assert Case.objects.filter(pk=old.pk).exists()

    def test_deletes_old_closed_cases_with_everything_they_hold(self, db, caplog):
        old = closed_case(400)
        recent = closed_case(30, owner=old.owner)
        open_case = make_case(owner=old.owner)
        out = StringIO()
        with caplog.at_level("INFO", logger="cases.retention"):
            call_command("purge_cases", stdout=out)
        assert not Case.objects.filter(pk=old.pk).exists()
        assert set(Case.objects.values_list("pk", flat=True)) == {recent.pk, open_case.pk}
        assert not Consultation.objects.filter(case_id=old.pk).exists()
        assert not ScreeningAnswer.objects.filter(case_id=old.pk).exists()
        assert not AccessLog.objects.filter(case_id=old.pk).exists()
        assert old.reference in caplog.text
        assert "geheim" not in caplog.text

    def test_the_period_is_configurable(self, db):
        closed_case(45)
        call_command("purge_cases", "--months", "1", stdout=StringIO())
        assert not Case.objects.exists()

    def test_a_period_below_one_month_is_refused(self, db):
        with pytest.raises(CommandError):
            call_command("purge_cases", "--months", "0", stdout=StringIO())
