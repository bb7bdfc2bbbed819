"""Retention (AVG: no longer than needed; NEN 7513: logs for years).

A closed case is deleted once CASE_RETENTION_MONTHS calendar months have passed since it was
closed: closed on 31 January with 12 months, it goes from 31 January a year later; closed on
31 March with 1 month, it goes from 30 April; closed on 29 February with 12 months, from
28 February (the last day of a shorter month stands in). The
purge keeps a PurgeRecord (reference, dates, counts; never content) and the case's access log
(reference as text); both expire after LOG_RETENTION_YEARS, with the security log.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.retention import log_retention_cutoff, retention_permit, security_log_purge
from cases.constants import CLOSED_STATUSES
from cases.models import AccessLog, Case, PurgeRecord
from cases.services import case_figures_record

COUNTED = (
    "answers",
    "answer_changes",
    "progress",
    "consultations",
    "shares",
    "text_history",
    "access_log",
)


def months_after(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months later, or that month's last day."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def case_is_expired(case: Case, *, months: int, now: dt.datetime) -> bool:
    """Closed, and `months` calendar months have passed since (in Dutch local time)."""
    if case.status not in CLOSED_STATUSES or case.closed_at is None:
        return False
    return months_after(timezone.localtime(case.closed_at), months) <= now


@dataclass(frozen=True)
class PurgeResult:
    references: list[str]
    expired_log_entries: int = 0
    expired_purge_records: int = 0
    expired_security_events: int = 0


def cases_purge(
    *, months: int, now: dt.datetime | None = None, dry_run: bool = False
) -> PurgeResult:
    """Delete cases closed `months` calendar months ago or longer, with everything they hold
    except their access log, and record each purge without content (and add the cases to
    the policy figures, cases.statistics); then let the logs of
    purged cases, the purge records and the security log expire after LOG_RETENTION_YEARS.
    One transaction: all of it or nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        # Every calendar month has at least 28 days, so this is a superset; the exact rule is
        # case_is_expired's.
        candidates = Case.objects.filter(
            status__in=CLOSED_STATUSES, closed_at__lte=now - dt.timedelta(days=28 * months)
        ).order_by("reference")
        cases = [case for case in candidates if case_is_expired(case, months=months, now=now)]
        references = [case.reference for case in cases]
        if dry_run:
            return PurgeResult(references=references)
        counts = _counts([case.pk for case in cases])
        log_cutoff = log_retention_cutoff(now)
        with retention_permit():
            PurgeRecord.objects.bulk_create(
                PurgeRecord(
                    reference=case.reference,
                    case_created_at=case.created_at,
                    case_closed_at=case.closed_at,
                    purged_at=now,
                    counts={name: counts[name].get(case.pk, 0) for name in COUNTED},
                )
                for case in cases
            )
            if cases:
                # The policy figures outlive the cases (counts only, no link to a case).
                case_figures_record(cases=Case.objects.filter(pk__in=[case.pk for case in cases]))
                # The access log stays (SET_NULL, reference kept); the rest goes with the case.
                Case.objects.filter(pk__in=[case.pk for case in cases]).delete()
            log_entries, _ = models.QuerySet.delete(
                AccessLog.objects.filter(case__isnull=True, at__lt=log_cutoff)
            )
            records, _ = PurgeRecord.objects.filter(purged_at__lt=log_cutoff).delete()
        security_events = security_log_purge(now=now)
    return PurgeResult(
        references=references,
        expired_log_entries=log_entries,
        expired_purge_records=records,
        expired_security_events=security_events,
    )


def _counts(case_ids: list[int]) -> dict[str, dict[int, int]]:
    """Rows per case of each kind the purge deletes (or, for the log, keeps): one query each."""
    counts = {}
    for name in COUNTED:
        model = Case._meta.get_field(name).related_model
        rows = (
            model.objects.filter(case_id__in=case_ids)
            .order_by()
            .values("case_id")
            .annotate(n=Count("pk"))
            .values_list("case_id", "n")
        )
        counts[name] = dict(rows) if case_ids else {}
    return counts
