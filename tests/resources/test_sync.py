"""Sources (issue 14): what a sync does with good and bad answers. The answers come from a
real HTTP server on a free port of 127.0.0.1 that serves what each test puts in it (the
journey against a second instance of the app is tests/resources/test_sync_journey.py)."""

import contextlib
import json
import re
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.constants import Role
from resources.constants import Status, stable_uuid
from resources.hsds import taxonomy_id
from resources.models import Organisation, Resource, ReviewStatus, Source, SyncReview, SyncStatus
from resources.sync import source_sync
from tests.factories import (
    OrganisationFactory,
    RegionFactory,
    ResourceFactory,
    TeamFactory,
    ThemeFactory,
    UserFactory,
)

ORG_ID = "5a3c1d7e-6f0b-4c3e-9d2a-1b2c3d4e5f60"


def service(name="Praatplaat", *, id=None, url="https://praat.example.org/", **extra) -> dict:
    """A valid HSDS 3.0 service as this app's own API writes one (full=true)."""
    service_id = id or str(stable_uuid("test-service", name))
    data = {
        "id": service_id,
        "organization_id": ORG_ID,
        "name": name,
        "description": f"{name} voor professionals.",
        "status": "active",
        "url": url,
        "assured_date": "2026-10-01",
        "organization": {
            "id": ORG_ID,
            "name": "Stichting Elders",
            "description": "Elders.",
            "website": "https://elders.example.org/",
            "phones": [{"id": str(uuid.uuid4()), "number": "010-1234567"}],
        },
        "languages": [{"id": str(uuid.uuid4()), "service_id": service_id, "code": "nl"}],
        "attributes": [_attribute(service_id, "kind", "brochure")],
    }
    data.update(extra)
    return data


def _attribute(service_id, taxonomy, code, *, taxonomy_uuid=None):
    term_id = str(stable_uuid(taxonomy, code))
    return {
        "id": str(uuid.uuid4()),
        "link_id": service_id,
        "link_entity": "service",
        "taxonomy_term_id": term_id,
        "taxonomy_term": {
            "id": term_id,
            "code": code,
            "name": code,
            "description": code,
            "taxonomy_id": taxonomy_uuid or taxonomy_id(taxonomy),
            "taxonomy": taxonomy,
        },
    }


def page(items, *, number=1, total_pages=1) -> dict:
    return {
        "total_items": len(items),
        "total_pages": total_pages,
        "page_number": number,
        "size": len(items),
        "first_page": number == 1,
        "last_page": number >= total_pages,
        "empty": not items,
        "contents": items,
    }


class Canned:
    """What the fake source answers: per page number, (status, content type, body, delay)."""

    def __init__(self):
        self.pages: dict[int, tuple[int, str, bytes, float]] = {}
        self.requests: list[str] = []
        canned = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                canned.requests.append(self.path)
                query = parse_qs(urlsplit(self.path).query)
                number = int(query.get("page", ["1"])[0])
                status, content_type, body, delay = canned.pages.get(
                    number, (404, "application/json", b'{"status": 404}', 0)
                )
                if delay:
                    time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.end_headers()  # no Content-Length: the limit is counted while reading
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/hsds/"

    def serve(self, *pages_, content_type="application/json", status=200, delay=0.0):
        self.pages = {
            number: (
                status,
                content_type,
                body if isinstance(body, bytes) else json.dumps(body).encode(),
                delay,
            )
            for number, body in enumerate(pages_, start=1)
        }

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canned():
    server = Canned()
    yield server
    server.stop()


@pytest.fixture
def source(canned, region_a):
    return Source.objects.create(name="Regio Elders", base_url=canned.url, region=region_a)


def _map_state():
    return sorted(
        Resource.objects.values_list("slug", "title_nl", "status", "version", "remote_hash")
    ) + sorted(Organisation.objects.values_list("slug", "name_nl", "status", "version"))


class SyncTests:
    def test_a_source_is_taken_in_with_provenance_and_a_second_run_changes_nothing(
        self, canned, source
    ):
        ThemeFactory(slug="ouders")
        item = service()
        item["attributes"].append(_attribute(item["id"], "theme", "ouders"))
        canned.serve(page([item]))
        result = source_sync(source=source)
        assert result.ok, result.error
        copy = Resource.objects.get(remote_source=source)
        assert (copy.title_nl, copy.url, copy.kind, copy.status) == (
            "Praatplaat", "https://praat.example.org/", "brochure", Status.GEPUBLICEERD,
        )  # fmt: skip
        assert str(copy.remote_id) == item["id"]
        assert copy.remote_assured_date.isoformat() == "2026-10-01"
        assert copy.region == source.region
        assert [t.slug for t in copy.themes.all()] == ["ouders"]
        assert [lang.code for lang in copy.languages.all()] == ["nl"]
        assert copy.organisation.remote_source == source
        assert copy.organisation.phone == "010-1234567"
        assert "full=true" in canned.requests[0]
        source.refresh_from_db()
        assert source.last_sync_status == SyncStatus.OK
        assert source.last_sync_report["created"] == 1

        state = _map_state()
        history = Resource.history.count()
        again = source_sync(source=source)
        assert again.ok and again.report["unchanged"] == 1
        assert _map_state() == state
        assert Resource.history.count() == history

    def test_a_worker_of_the_region_sees_the_copy_with_its_provenance(
        self, client, canned, source, worker_a
    ):
        canned.serve(page([service()]))
        source_sync(source=source)
        copy = Resource.objects.get(remote_source=source)
        client.force_login(worker_a)
        html = client.get(copy.get_absolute_url()).content.decode()
        assert "Overgenomen van Regio Elders" in html
        assert "1 oktober 2026" in html

    def test_every_page_is_read(self, canned, source):
        first = [service(f"Materiaal {n}") for n in range(3)]
        second = [service(f"Ander materiaal {n}") for n in range(2)]
        canned.serve(page(first, total_pages=2), page(second, number=2, total_pages=2))
        assert source_sync(source=source).ok
        assert Resource.objects.filter(remote_source=source).count() == 5
        assert len(canned.requests) == 2

    def test_own_open_data_never_republishes_copies(self, client, canned, source):
        canned.serve(page([service()]))
        assert source_sync(source=source).ok
        data = client.get("/api/hsds/services").json()
        assert data["total_items"] == 0
        assert client.get("/api/hsds/organizations").json()["total_items"] == 0

    def test_a_copy_a_person_archived_stays_archived(self, canned, source):
        canned.serve(page([service()]))
        source_sync(source=source)
        copy = Resource.objects.get(remote_source=source)
        copy.status = Status.GEARCHIVEERD
        copy.save()
        canned.serve(page([service(description="Nieuwe tekst.")]))
        assert source_sync(source=source).report["updated"] == 1
        copy.refresh_from_db()
        assert copy.status == Status.GEARCHIVEERD
        assert copy.description_nl == "Nieuwe tekst."

    def test_a_removed_entry_is_archived_and_comes_back_when_published_again(self, canned, source):
        canned.serve(page([service("Blijft"), service("Gaat weg")]))
        source_sync(source=source)
        canned.serve(page([service("Blijft")]))
        assert source_sync(source=source).report["archived"] == 1
        gone = Resource.objects.get(title_nl="Gaat weg")
        assert gone.status == Status.GEARCHIVEERD and gone.remote_removed_at
        canned.serve(page([service("Blijft"), service("Gaat weg")]))
        source_sync(source=source)
        gone.refresh_from_db()
        assert gone.status == Status.GEPUBLICEERD and gone.remote_removed_at is None

    def test_an_entry_touching_a_local_one_waits_hidden_and_the_local_is_untouched(
        self, canned, source, region_a
    ):
        own = OrganisationFactory(region=region_a, phone="010 123 45 67")
        by_name = ResourceFactory(title_nl="Praatplaat", organisation=own, region=region_a)
        by_url = ResourceFactory(
            title_nl="Iets anders", url="http://www.praat.example.org", region=region_a,
            organisation=own,
        )  # fmt: skip
        # A local entry of another region does not count.
        ResourceFactory(title_nl="Praatplaat", region=RegionFactory(name="Regio Z"))
        before = (by_name.version, by_url.version)
        canned.serve(page([service()]))
        assert source_sync(source=source).report["reviews"] == 2
        copy = Resource.objects.get(remote_source=source)
        assert copy.status == Status.CONCEPT
        reviews = {r.local_id: r.reasons for r in SyncReview.objects.all()}
        assert reviews == {by_name.pk: ["naam"], by_url.pk: ["website"]}
        by_name.refresh_from_db()
        by_url.refresh_from_db()
        assert (by_name.version, by_url.version) == before
        # Unchanged at the source: no new review.
        source_sync(source=source)
        assert SyncReview.objects.count() == 2


class BadInputTests:
    """Each leaves the map as it was and shows the error on the source."""

    @pytest.fixture
    def synced(self, canned, source):
        canned.serve(page([service()]))
        assert source_sync(source=source).ok
        return _map_state()

    def _failed(self, source, synced, *words) -> str:
        result = source_sync(source=source)
        assert not result.ok
        source.refresh_from_db()
        assert source.last_sync_status == SyncStatus.ERROR
        assert source.last_sync_error == result.error
        for word in words:
            assert word in result.error
        assert _map_state() == synced
        return result.error

    def test_an_html_answer(self, canned, source, synced):
        canned.serve(b"<html><body>Welkom</body></html>", content_type="text/html")
        self._failed(source, synced, "text/html")

    def test_a_page_over_10_mb(self, canned, source, synced):
        items = [service(f"Groot {n}", description="x" * 9000) for n in range(1200)]
        body = json.dumps(page(items)).encode()
        assert len(body) > 10 * 1024 * 1024
        canned.serve(body)
        self._failed(source, synced, "10.0 MB")

    def test_an_invalid_item_stops_the_whole_sync(self, canned, source, synced):
        changed = service(description="Gewijzigd")
        broken = service("Kapot", status="misschien")
        canned.serve(page([changed, broken]))
        error = self._failed(source, synced, "Kapot", "status")
        assert "1 item" in error

    def test_an_id_that_is_no_uuid(self, canned, source, synced):
        canned.serve(page([service(id="0")]))
        self._failed(source, synced, "id")

    def test_a_javascript_link_is_refused(self, canned, source, synced):
        canned.serve(page([service(url="javascript:alert(1)")]))
        self._failed(source, synced, "http(s)")

    def test_json_that_is_not_hsds(self, canned, source, synced):
        canned.serve({"hello": "world"})
        self._failed(source, synced, "contents")

    def test_invalid_json(self, canned, source, synced):
        canned.serve(b"{not json")
        self._failed(source, synced, "JSON")

    def test_a_timeout(self, canned, source, synced, settings):
        settings.SOURCE_SYNC_TIMEOUT = 0.3
        canned.serve(page([service()]), delay=1.5)
        self._failed(source, synced, "time-out")

    def test_a_source_that_is_gone(self, canned, source, synced):
        canned.serve({"status": 404}, status=404)
        self._failed(source, synced, "404")
        assert Resource.objects.get(remote_source=source).status == Status.GEPUBLICEERD

    def test_a_source_nobody_answers(self, source, synced):
        with socket.socket() as free:
            free.bind(("127.0.0.1", 0))
            port = free.getsockname()[1]
        source.base_url = f"http://127.0.0.1:{port}/api/hsds/"
        source.save()
        self._failed(source, synced, "niet bereikbaar")

    def test_an_unknown_taxonomy_is_reported_per_item_and_the_item_taken(self, canned, source):
        item = service("Met vreemde term")
        item["attributes"].append(
            _attribute(item["id"], "leeftijd", "12-18", taxonomy_uuid=str(uuid.uuid4()))
        )
        item["attributes"].append(_attribute(item["id"], "theme", "bestaat-hier-niet"))
        item["languages"].append({"id": str(uuid.uuid4()), "code": "xx"})
        canned.serve(page([item, service("Gewoon")]))
        result = source_sync(source=source)
        assert result.ok, result.error
        warnings = result.report["warnings"]
        assert {w["name"] for w in warnings} == {"Met vreemde term"}
        messages = " ".join(w["message"] for w in warnings)
        assert "leeftijd" in messages and "bestaat-hier-niet" in messages and "xx" in messages
        taken = Resource.objects.get(title_nl="Met vreemde term")
        assert taken.themes.count() == 0 and taken.kind == "brochure"


class CommandTests:
    def test_sync_sources_reports_and_fails_loudly(self, canned, source, capsys):
        canned.serve(page([service()]))
        call_command("sync_sources")
        assert "1 new" in capsys.readouterr().out
        canned.serve(b"<html></html>", content_type="text/html")
        with pytest.raises(CommandError):
            call_command("sync_sources")


class SourceAdminTests:
    def test_beheerder_adds_a_source_only_http(self, client, beheerder, region_a):
        client.force_login(beheerder)
        url = reverse("admin:resources_source_add")
        assert client.get(url).status_code == 200
        refused = client.post(
            url, {"name": "X", "base_url": "ftp://elders.example.org/api/hsds/", "active": "on"}
        )
        assert refused.status_code == 200 and not Source.objects.exists()
        client.post(
            url,
            {"name": "X", "base_url": "https://elders.example.org/api/hsds", "region": region_a.pk,
             "active": "on"},
        )  # fmt: skip
        added = Source.objects.get()
        assert added.base_url == "https://elders.example.org/api/hsds/"
        history = client.get(reverse("admin:resources_source_history", args=[added.pk]))
        assert history.status_code == 200
        assert added.history.get().history_user == beheerder

    def test_a_coordinator_does_not_manage_sources(self, client, coordinator_a):
        client.force_login(coordinator_a)
        assert client.get(reverse("admin:resources_source_changelist")).status_code == 403

    def test_sync_action_and_read_only_copies(self, client, beheerder, canned, source):
        canned.serve(page([service()]))
        client.force_login(beheerder)
        response = client.post(
            reverse("admin:resources_source_changelist"),
            {"action": "sync_now", "_selected_action": [source.pk]},
            follow=True,
        )
        assert "gesynchroniseerd" in response.content.decode()
        copy = Resource.objects.get(remote_source=source)
        page_ = client.get(reverse("admin:resources_resource_change", args=[copy.pk]))
        assert page_.status_code == 200
        form = page_.context["adminform"].form
        assert set(form.fields) <= {"status", "version"}


@pytest.fixture
def reviews(canned, source, region_a):
    """Open reviews in region A: 12 remote entries, each with the name of a local one."""
    own = OrganisationFactory(region=region_a)
    for n in range(12):
        ResourceFactory(title_nl=f"Gedeeld {n}", organisation=own, region=region_a)
    canned.serve(page([service(f"Gedeeld {n}") for n in range(12)]))
    assert source_sync(source=source).ok
    return list(SyncReview.objects.order_by("pk"))


class ReviewPageTests:
    def test_query_budget_does_not_grow_with_the_reviews(
        self, client, coordinator_a, reviews, django_assert_max_num_queries
    ):
        client.force_login(coordinator_a)
        with django_assert_max_num_queries(2 + 1):  # login baseline, the reviews
            response = client.get(reverse("resources:source_reviews"))
        assert response.content.decode().count('name="decision" value="koppelen"') == 12

    def test_only_the_own_region(self, client, reviews, region_b):
        other = UserFactory(role=Role.COORDINATOR, team=TeamFactory(region=region_b))
        client.force_login(other)
        response = client.get(reverse("resources:source_reviews"))
        assert "Gedeeld" not in response.content.decode()
        review = reviews[0]
        post = client.post(
            reverse("resources:source_review", args=[review.pk]),
            {"decision": "bron", "version": review.version},
        )
        assert post.status_code == 404
        review.refresh_from_db()
        assert review.status == ReviewStatus.OPEN

    def test_a_worker_may_not(self, client, worker_a, reviews):
        client.force_login(worker_a)
        assert client.get(reverse("resources:source_reviews")).status_code == 403

    def test_keep_local_changes_nothing_local_and_records_who(self, client, coordinator_a, reviews):
        review = reviews[0]
        local_version = review.local.version
        client.force_login(coordinator_a)
        client.post(
            reverse("resources:source_review", args=[review.pk]),
            {"decision": "eigen", "version": review.version},
        )
        review.refresh_from_db()
        review.local.refresh_from_db()
        review.remote.refresh_from_db()
        assert (review.status, review.decision, review.resolved_by) == (
            ReviewStatus.RESOLVED, "eigen", coordinator_a,
        )  # fmt: skip
        assert review.resolved_at is not None
        assert review.local.version == local_version
        assert review.remote.status == Status.CONCEPT

    def test_bad_choices_are_refused_without_a_change(self, client, coordinator_a, reviews):
        review = reviews[0]
        client.force_login(coordinator_a)
        url = reverse("resources:source_review", args=[review.pk])
        assert client.post(url, {"decision": "alles", "version": review.version}).status_code == 400
        assert client.post(url, {"decision": "bron"}).status_code == 400
        assert client.get(url).status_code == 405
        client.post(url, {"decision": "eigen", "version": review.version})
        again = client.post(url, {"decision": "bron", "version": review.version + 1})
        assert again.status_code == 400  # already chosen
        review.refresh_from_db()
        assert review.decision == "eigen"


def test_the_shipped_schemas_are_the_official_ones():
    """resources/hsds_schema/ is the specification's schema/ folder (without openapi.json and
    compiled/), byte for byte, so production validates against exactly what the tests do."""
    from resources.sync import schema_dir
    from tests.resources.test_hsds import SCHEMA_DIR

    shipped = sorted(p.name for p in schema_dir().glob("*.json"))
    official = sorted(p.name for p in SCHEMA_DIR.glob("*.json") if p.name != "openapi.json")
    assert shipped == official and "service.json" in shipped
    for name in shipped:
        assert (schema_dir() / name).read_bytes() == (SCHEMA_DIR / name).read_bytes(), name


# A value each JSON Schema format the HSDS schemas use must refuse ("csv" and "datetime" in
# the schemas are no JSON Schema formats, so no validator checks them).
NOT_OF_FORMAT = {
    "uri": "geen adres met spaties",
    "email": "geen-e-mailadres",
    "date-time": "2026-13-45T25:00:00Z",
    "uuid": "0",
}


def test_every_format_the_schemas_use_is_checked():
    """The format checks come from separate packages (rfc3339-validator, rfc3986-validator);
    without one, jsonschema silently accepts anything for that format."""
    from jsonschema import Draft202012Validator

    from resources.sync import schema_dir, service_validator

    used = set()
    for path in schema_dir().glob("*.json"):
        for match in re.finditer(r'"format":\s*"([^"]+)"', path.read_text(encoding="utf-8")):
            used.add(match.group(1))
    assert used - {"csv", "datetime"} == set(NOT_OF_FORMAT)
    checker = service_validator().format_checker
    for name, bad in NOT_OF_FORMAT.items():
        assert name in checker.checkers, name
        assert not Draft202012Validator({"format": name}, format_checker=checker).is_valid(bad)
