"""The access log, the security log and consultations are append-only in the database itself
(SQLite and PostgreSQL): only the retention purge's own transaction may delete from them."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, models, transaction

from accounts.constants import SecurityEventKind
from accounts.models import SecurityEvent
from accounts.retention import retention_permit
from accounts.services import security_event_record
from cases.models import AccessLog, Case, Consultation
from cases.services import case_answer_question, case_record_consultation
from tests.factories import make_case


def refused(sql: str, params=()) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


@pytest.fixture
def case_with_logs(db):
    case = make_case()
    case_answer_question(case=case, actor=case.owner, question_key="dreiging", answer="ja")
    case_record_consultation(
        case=case, actor=case.owner, consulted_on=dt.date(2026, 11, 30), organisation="politie",
        advisor="x", advice_summary="advies", outcome="melding_gedaan", young_person_informed=True,
    )  # fmt: skip
    security_event_record(kind=SecurityEventKind.LOGIN_SUCCEEDED, actor=case.owner)
    return case


class AppendOnlyTests:
    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE cases_accesslog SET detail = 'x'",
            "DELETE FROM cases_accesslog",
            "UPDATE cases_consultation SET advisor = 'x'",
            "DELETE FROM cases_consultation",
            "UPDATE accounts_securityevent SET detail = 'x'",
            "DELETE FROM accounts_securityevent",
        ],
    )
    def test_the_database_refuses_changes_to_the_logs(self, case_with_logs, sql):
        assert refused(sql)
        assert AccessLog.objects.filter(case=case_with_logs).exists()
        assert Consultation.objects.filter(case=case_with_logs).exists()
        assert SecurityEvent.objects.exists()

    def test_bulk_orm_changes_are_refused_too(self, case_with_logs):
        with pytest.raises(DatabaseError), transaction.atomic():
            AccessLog.objects.filter(case=case_with_logs).update(detail="x")
        with pytest.raises(DatabaseError), transaction.atomic():
            models.QuerySet.delete(AccessLog.objects.all())

    def test_deleting_a_case_outside_the_purge_is_refused(self, case_with_logs):
        with pytest.raises(DatabaseError), transaction.atomic():
            Case.objects.filter(pk=case_with_logs.pk).delete()
        assert Case.objects.filter(pk=case_with_logs.pk).exists()

    def test_the_purge_permit_lets_deletes_through_and_is_gone_afterwards(self, case_with_logs):
        with transaction.atomic(), retention_permit():
            models.QuerySet.delete(SecurityEvent.objects.all())
            Case.objects.filter(pk=case_with_logs.pk).delete()
        assert not SecurityEvent.objects.exists()
        assert not Consultation.objects.exists()
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM retention_permit")
            assert cursor.fetchone()[0] == 0
        assert refused("DELETE FROM cases_accesslog")

    def test_an_update_stays_refused_for_consultations_and_security_events_even_with_permit(
        self, case_with_logs
    ):
        with transaction.atomic(), retention_permit():
            assert refused("UPDATE cases_consultation SET advisor = 'x'")
            assert refused("UPDATE accounts_securityevent SET detail = 'x'")
