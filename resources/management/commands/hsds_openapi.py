import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resources.hsds_openapi import DEFAULT_SCHEMA_DIR, offline_openapi


class Command(BaseCommand):
    help = (
        "Write the official HSDS 3.0 openapi.json with its $refs pointing at the local schema "
        "files, for `schemathesis run` against any instance without the network (see README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="The file to write, e.g. /tmp/hsds-openapi.json.")
        parser.add_argument(
            "--schemas",
            default=str(DEFAULT_SCHEMA_DIR),
            help="The folder with openapi.json and the HSDS schemas (default: %(default)s).",
        )

    def handle(self, *args, output, schemas, **options):
        if not (Path(schemas) / "openapi.json").is_file():
            raise CommandError(f"No openapi.json in {schemas}.")
        try:
            Path(output).write_text(json.dumps(offline_openapi(Path(schemas)), indent=1) + "\n")
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc}") from exc
        self.stdout.write(output)
