"""The one way past the append-only logs: the retention purge.

The database refuses UPDATE and DELETE on the security log, the access log and consultations
(triggers in accounts/migrations/0005 and cases/migrations/0004) unless the transaction holds a
row in `retention_permit`. `retention_permit()` grants it inside the caller's transaction and
withdraws it before the commit, so no other transaction ever sees it.
"""

import datetime as dt
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import SecurityEvent


@contextmanager
def retention_permit():
    """Let the retention purge delete expired log rows, inside its own transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("The retention permit only exists inside a transaction.")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO retention_permit (granted_at) VALUES (%s)", [timezone.now().isoformat()]
        )
    yield
    # On an error the transaction rolls back, taking the permit with it.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM retention_permit")


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    """The same calendar day `years` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def log_retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return years_before(timezone.localtime(now or timezone.now()), settings.LOG_RETENTION_YEARS)


@transaction.atomic
def security_log_purge(*, now: dt.datetime | None = None) -> int:
    """Delete security events older than LOG_RETENTION_YEARS (default 5, NEN 7513); the
    append-only queryset refuses everybody else. Returns how many went."""
    expired = SecurityEvent.objects.filter(occurred_at__lt=log_retention_cutoff(now))
    with retention_permit():
        deleted, _by_model = models.QuerySet.delete(expired)
    return deleted
