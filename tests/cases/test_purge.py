import datetime as dt
import zoneinfo
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.constants import SecurityEventKind
from accounts.models import SecurityEvent
from accounts.services import security_event_record
from cases.models import AccessLog, Case, Consultation, PurgeRecord, ScreeningAnswer
from cases.retention import cases_purge, months_after
from cases.services import case_answer_question, case_close, case_record_consultation
from tests.factories import make_case

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour=12, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def closed_case(closed_at, owner=None):
    case = make_case(owner=owner)
    case_answer_question(case=case, actor=case.owner, question_key="dreiging", answer="ja")
    case_record_consultation(
        case=case, actor=case.owner, consulted_on=timezone.localdate(), organisation="politie",
        advisor="x", advice_summary="geheim advies", outcome="melding_gedaan",
        young_person_informed=True,
    )  # fmt: skip
    case_close(case=case, actor=case.owner)
    Case.objects.filter(pk=case.pk).update(closed_at=closed_at)
    return case


def days_ago(days):
    return timezone.now() - dt.timedelta(days=days)


class CalendarMonthTests:
    @pytest.mark.parametrize(
        ("closed", "months", "due"),
        [
            (at(2026, 1, 31), 12, at(2027, 1, 31)),
            (at(2026, 1, 31), 1, at(2026, 2, 28)),
            (at(2024, 1, 31), 1, at(2024, 2, 29)),
            (at(2024, 2, 29), 12, at(2025, 2, 28)),
            (at(2024, 2, 29), 48, at(2028, 2, 29)),
            (at(2026, 3, 31), 1, at(2026, 4, 30)),
            (at(2026, 12, 15), 2, at(2027, 2, 15)),
        ],
    )
    def test_months_are_calendar_months(self, closed, months, due):
        assert months_after(closed, months) == due

    @pytest.mark.parametrize(
        ("closed", "months", "day_before", "due"),
        [
            (at(2026, 1, 31), 12, at(2027, 1, 31, 11, 59), at(2027, 1, 31, 12, 0)),
            (at(2024, 2, 29), 12, at(2025, 2, 28, 11, 59), at(2025, 2, 28, 12, 0)),
            (at(2026, 1, 31), 1, at(2026, 2, 28, 11, 59), at(2026, 2, 28, 12, 0)),
        ],
    )
    def test_a_case_is_purged_from_the_due_moment_not_before(
        self, db, closed, months, day_before, due
    ):
        case = closed_case(closed)
        assert cases_purge(months=months, now=day_before).references == []
        assert Case.objects.filter(pk=case.pk).exists()
        assert cases_purge(months=months, now=due).references == [case.reference]
        assert not Case.objects.filter(pk=case.pk).exists()

    def test_thirty_day_months_would_purge_early_calendar_months_do_not(self, db):
        # 12 × 30 days after 31 January 2026 is 26 January 2027: five days early.
        case = closed_case(at(2026, 1, 31))
        assert cases_purge(months=12, now=at(2026, 1, 31) + dt.timedelta(days=360)).references == []
        assert Case.objects.filter(pk=case.pk).exists()

    def test_an_open_case_is_never_purged(self, db):
        case = make_case()
        Case.objects.filter(pk=case.pk).update(closed_at=at(2020, 1, 1))
        assert cases_purge(months=1, now=at(2026, 1, 1)).references == []


class PurgeTests:
    def test_dry_run_lists_and_deletes_nothing(self, db):
        old = closed_case(days_ago(400))
        out = StringIO()
        call_command("purge_cases", "--dry-run", stdout=out)
        assert "would delete 1 case(s)" in out.getvalue()
        assert old.reference in out.getvalue()
        assert Case.objects.filter(pk=old.pk).exists()
        assert not PurgeRecord.objects.exists()

    def test_deletes_the_case_keeps_a_record_without_content_and_its_access_log(self, db, caplog):
        old = closed_case(days_ago(400))
        recent = closed_case(days_ago(30), owner=old.owner)
        open_case = make_case(owner=old.owner)
        log_before = AccessLog.objects.filter(case=old).count()
        out = StringIO()
        with caplog.at_level("INFO", logger="cases.retention"):
            call_command("purge_cases", stdout=out)
        assert not Case.objects.filter(pk=old.pk).exists()
        assert set(Case.objects.values_list("pk", flat=True)) == {recent.pk, open_case.pk}
        assert not Consultation.objects.filter(case_id=old.pk).exists()
        assert not ScreeningAnswer.objects.filter(case_id=old.pk).exists()
        kept = AccessLog.objects.filter(case_reference=old.reference)
        assert kept.count() == log_before > 0
        assert set(kept.values_list("case_id", flat=True)) == {None}
        record = PurgeRecord.objects.get()
        assert record.reference == old.reference
        assert abs(record.case_closed_at - days_ago(400)) < dt.timedelta(minutes=5)
        assert record.case_created_at == old.created_at
        assert record.counts["consultations"] == 1
        assert record.counts["answers"] == 1
        assert record.counts["access_log"] == log_before
        assert "geheim" not in str(record.counts)
        assert old.reference in caplog.text
        assert "geheim" not in caplog.text

    def test_the_purge_of_many_cases_takes_a_fixed_number_of_queries(
        self, db, django_assert_max_num_queries
    ):
        for _ in range(15):
            closed_case(days_ago(400))
        with django_assert_max_num_queries(40):
            result = cases_purge(months=12)
        assert len(result.references) == 15
        assert PurgeRecord.objects.count() == 15

    def test_the_period_is_configurable(self, db):
        closed_case(days_ago(45))
        call_command("purge_cases", "--months", "1", stdout=StringIO())
        assert not Case.objects.exists()

    def test_a_period_below_one_month_is_refused(self, db):
        with pytest.raises(CommandError):
            call_command("purge_cases", "--months", "0", stdout=StringIO())


class LogRetentionTests:
    def test_logs_of_purged_cases_remain_then_expire(self, db, settings):
        settings.LOG_RETENTION_YEARS = 5
        case = closed_case(at(2026, 1, 31))
        security_event_record(kind=SecurityEventKind.LOGIN_SUCCEEDED, actor=case.owner)
        reference = case.reference
        entries = AccessLog.objects.filter(case_reference=reference).count()
        # The log rows' own timestamps are "now"; time travel moves the purge instead.
        first_purge = at(2027, 1, 31)
        cases_purge(months=12, now=first_purge)
        assert AccessLog.objects.filter(case_reference=reference).count() == entries
        assert PurgeRecord.objects.filter(reference=reference).exists()

        # The log rows were written "now"; they expire five calendar years after that.
        logged_at = timezone.localtime(
            AccessLog.objects.filter(case_reference=reference).earliest("at").at
        )
        just_before = logged_at.replace(year=logged_at.year + 5) - dt.timedelta(minutes=1)
        result = cases_purge(months=12, now=just_before)
        assert result.expired_log_entries == 0
        assert AccessLog.objects.filter(case_reference=reference).count() == entries
        assert SecurityEvent.objects.exists()

        assert PurgeRecord.objects.filter(reference=reference).exists()

        # Five years after the purge (31 January 2027) the record goes too.
        later = max(at(2032, 1, 31, 12, 1), just_before + dt.timedelta(minutes=2))
        result = cases_purge(months=12, now=later)
        assert result.expired_log_entries == entries
        assert not AccessLog.objects.filter(case_reference=reference).exists()
        assert not PurgeRecord.objects.filter(reference=reference).exists()
        assert result.expired_security_events >= 1
        assert not SecurityEvent.objects.exists()

    def test_the_log_of_a_live_case_is_never_expired(self, db):
        case = make_case()
        entries = AccessLog.objects.filter(case=case).count()
        cases_purge(months=12, now=timezone.now() + dt.timedelta(days=365 * 10))
        assert AccessLog.objects.filter(case=case).count() == entries > 0
