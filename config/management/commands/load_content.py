from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from config.content import ContentReport


class Command(BaseCommand):
    help = (
        "Load the product's content (glossary, social map, guides) from fixtures/content/: "
        "creates what is missing and updates only entries nobody changed in the back office "
        "since the last load; never reverts an edit, never re-publishes an archived entry. "
        "Prints created/updated/unchanged/skipped counts. Safe to run twice."
    )

    def handle(self, *args, **options):
        if not settings.CONTENT_LOADERS:
            self.stdout.write("No content loaders configured yet.")
        total = ContentReport("total")
        for dotted in settings.CONTENT_LOADERS:
            loader = import_string(dotted)
            with transaction.atomic():
                report = loader(settings.CONTENT_DIR)
            total.add(report)
            self.stdout.write(str(report))
        total.skipped_keys, total.notes = [], []
        self.stdout.write(str(total))
