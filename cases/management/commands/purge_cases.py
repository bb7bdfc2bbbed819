import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.retention import cases_purge

logger = logging.getLogger("cases.retention")


class Command(BaseCommand):
    help = (
        "Delete cases closed longer ago than the retention period (CASE_RETENTION_MONTHS "
        "calendar months, default 12), with their answers, steps, consultations and shares; "
        "keep a record without content and their access log, which expire with the security "
        "log after LOG_RETENTION_YEARS (default 5)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would go.")
        parser.add_argument(
            "--months",
            type=int,
            default=settings.CASE_RETENTION_MONTHS,
            help="Retention period in calendar months.",
        )

    def handle(self, *args, dry_run=False, months=12, **options):
        if months < 1:
            raise CommandError("The retention period is at least one month.")
        result = cases_purge(months=months, dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        # References are pseudonyms; no case content is logged.
        message = (
            f"purge_cases {verb} {len(result.references)} case(s) closed {months} or more "
            "calendar months ago"
        )
        if result.references:
            message += ": " + ", ".join(result.references)
        if not dry_run:
            message += (
                f"; expired after {settings.LOG_RETENTION_YEARS} years: "
                f"{result.expired_log_entries} access log entries, "
                f"{result.expired_purge_records} purge records, "
                f"{result.expired_security_events} security events"
            )
        logger.info(message)
        self.stdout.write(message)
