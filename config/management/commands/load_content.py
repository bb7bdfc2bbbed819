from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = (
        "Load the product's content (glossary, social map, guides) from fixtures/content/. "
        "Safe to run twice: entries are matched on their stable keys and updated in place."
    )

    def handle(self, *args, **options):
        if not settings.CONTENT_LOADERS:
            self.stdout.write("No content loaders configured yet.")
        for dotted in settings.CONTENT_LOADERS:
            loader = import_string(dotted)
            with transaction.atomic():
                summary = loader(settings.CONTENT_DIR)
            self.stdout.write(f"{dotted}: {summary}")
