import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from resources import hsds


class Command(BaseCommand):
    help = (
        "Write the social map's open data as HSDS 3.0 JSON (the same data as /api/hsds/): "
        "services.json, organizations.json, taxonomies.json and taxonomy_terms.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="Folder to write the files to (created if missing).")
        parser.add_argument("--lang", default="nl", choices=["nl", "en"])

    def handle(self, *args, output, lang, **options):
        folder = Path(output)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create {folder}: {exc}") from exc
        with translation.override(lang):
            terms = hsds.terms()
            index = hsds.term_index_of(terms)
            services = [
                hsds.service_full(resource, term_index=index, language=lang)
                for resource in hsds.full_services_queryset(hsds.open_resources()).order_by(
                    "title_nl", "pk"
                )
            ]
            organisations = hsds.organisations_with_services(hsds.open_organisations())
            files = {
                "services.json": services,
                "organizations.json": [
                    hsds.organization_full(o, o.open_services)
                    for o in organisations.order_by("name_nl", "pk")
                ],
                "taxonomies.json": hsds.taxonomies(),
                "taxonomy_terms.json": [hsds.term_json(term, lang) for term in terms],
            }
        for name, data in files.items():
            (folder / name).write_text(
                json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            self.stdout.write(f"{folder / name}: {len(data)}")
