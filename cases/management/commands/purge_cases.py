import datetime as dt
import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.services import cases_purge

logger = logging.getLogger("cases.retention")


class Command(BaseCommand):
    help = (
        "Delete cases closed longer ago than the retention period (CASE_RETENTION_MONTHS, "
        "default 12), with their answers, steps, consultations, shares and access log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would go.")
        parser.add_argument(
            "--months",
            type=int,
            default=settings.CASE_RETENTION_MONTHS,
            help="Retention period in months (30 days each).",
        )

    def handle(self, *args, dry_run=False, months=12, **options):
        if months < 1:
            raise CommandError("The retention period is at least one month.")
        references = cases_purge(older_than=dt.timedelta(days=30 * months), dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        # References are pseudonyms; no case content is logged.
        message = f"purge_cases {verb} {len(references)} case(s) closed over {months} months ago"
        if references:
            message += ": " + ", ".join(references)
        logger.info(message)
        self.stdout.write(message)
