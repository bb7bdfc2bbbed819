"""A second instance of this app, for the sync journey (tests/resources/test_sync_journey.py).

Run as a program: `python remote_instance.py <sqlite file>`. It uses its own SQLite database
file (tables made from the models, without replaying the migrations: seconds instead of a
minute), serves the whole application over HTTP on a free port of 127.0.0.1 (printed as the
first line, JSON), and then takes orders on stdin, one JSON object a line, answering each
with one JSON line:

    {"op": "publish", "slug": ..., "title": ..., "url": ..., "theme": ...}
    {"op": "edit", "slug": ..., "title": ..., "description": ...}
    {"op": "remove", "slug": ...}          (archived: no longer in its open data)

End of stdin ends it.
"""

import json
import os
import sys
import threading
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parents[2]


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _Server(WSGIServer):
    # Each request in its own thread, so a slow client does not block the orders on stdin.
    def process_request(self, request, client_address):
        thread = threading.Thread(target=self._handle, args=(request, client_address), daemon=True)
        thread.start()

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


def _prepare(database: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)


def _order(order: dict) -> dict:
    from resources.constants import Status
    from resources.models import Organisation, Resource, Theme
    from resources.services import organisation_save, resource_save, vocabulary_ensure

    op = order["op"]
    if op == "publish":
        vocabulary_ensure()
        theme, _ = Theme.objects.get_or_create(
            slug=order.get("theme", "ouders"), defaults={"name_nl": "Ouders"}
        )
        organisation = Organisation.objects.filter(slug="bron-org").first()
        if organisation is None:
            organisation = organisation_save(
                organisation=Organisation(
                    slug="bron-org",
                    name_nl="Stichting Elders",
                    description_nl="Een organisatie in een andere regio.",
                    website="https://elders.example.org/",
                    phone="010-1234567",
                    status=Status.GEPUBLICEERD,
                )
            )
        resource = resource_save(
            resource=Resource(
                slug=order["slug"],
                title_nl=order["title"],
                description_nl=order.get("description", "Uitleg voor professionals."),
                url=order.get("url", ""),
                kind="brochure",
                cost="gratis",
                organisation=organisation,
                status=Status.GEPUBLICEERD,
            ),
            themes=[theme],
        )
        return {"ok": True, "id": str(resource.uuid)}
    resource = Resource.objects.get(slug=order["slug"])
    if op == "edit":
        resource.title_nl = order.get("title", resource.title_nl)
        resource.description_nl = order.get("description", resource.description_nl)
    elif op == "remove":
        resource.status = Status.GEARCHIVEERD
    else:
        return {"ok": False, "error": f"unknown op {op}"}
    resource_save(resource=resource)
    return {"ok": True}


def main() -> None:
    _prepare(sys.argv[1])
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_Quiet
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"port": server.server_port}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = _order(json.loads(line))
        except Exception as exc:  # reported to the test, which fails with it
            answer = {"ok": False, "error": repr(exc)}
        finally:
            close_old_connections()
        print(json.dumps(answer), flush=True)
    server.shutdown()


if __name__ == "__main__":
    main()
