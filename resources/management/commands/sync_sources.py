from django.core.management.base import BaseCommand, CommandError

from resources.models import Source
from resources.sync import sources_sync


class Command(BaseCommand):
    help = (
        "Take in the open maps this instance subscribes to (Sources): fetch each active "
        "source's HSDS 3.0 services page by page, validate them and store them as read-only "
        "entries; entries that touch a local one go to the review list. All or nothing per "
        "source; running it again when nothing changed at the source changes nothing (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, action="append", help="Only this source (id).")

    def handle(self, *args, source=None, **options):
        sources = Source.objects.filter(active=True)
        if source:
            sources = Source.objects.filter(pk__in=source)
        failed = 0
        for item, result in sources_sync(sources=sources.order_by("pk")):
            if result.ok:
                report = result.report
                self.stdout.write(
                    f"{item}: {report['items']} items, {report['created']} new, "
                    f"{report['updated']} changed, {report['unchanged']} unchanged, "
                    f"{report['archived']} archived, {report['reviews']} to review, "
                    f"{len(report.get('warnings', []))} warnings"
                )
            else:
                failed += 1
                self.stderr.write(f"{item}: {result.error}")
        if failed:
            raise CommandError(f"{failed} source(s) failed; nothing of those was changed.")
