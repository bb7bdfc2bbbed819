"""Done when (issue 14): two instances. A second instance of this app runs as its own process
with its own SQLite database file on a free port (tests/resources/remote_instance.py), serving
its open map over HTTP; this test's database is the subscribing instance. An entry published
there is synced in here, edited there, synced again, the conflict is resolved on the review
list here, and the entry removed there is archived here."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from resources.constants import Status
from resources.models import Resource, ReviewStatus, Source, SyncReview
from resources.sync import source_sync
from tests.factories import OrganisationFactory, ResourceFactory, ThemeFactory

REMOTE = Path(__file__).with_name("remote_instance.py")


class RemoteInstance:
    def __init__(self, database: Path):
        self.process = subprocess.Popen(
            [sys.executable, str(REMOTE), str(database)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REMOTE.parents[2],
        )
        first = self.process.stdout.readline()
        if not first:
            self.process.kill()
            pytest.fail("the second instance did not start")
        self.port = json.loads(first)["port"]
        self.api = f"http://127.0.0.1:{self.port}/api/hsds/"

    def order(self, **order) -> dict:
        self.process.stdin.write(json.dumps(order) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        assert answer["ok"], answer
        return answer

    def stop(self):
        # Nothing to keep: its database is a temporary file.
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdin.close()
        self.process.stdout.close()


@pytest.fixture
def remote(tmp_path):
    instance = RemoteInstance(tmp_path / "remote.sqlite3")
    yield instance
    instance.stop()


class SyncJourneyTests:
    def test_publish_sync_edit_review_remove(self, client, remote, coordinator_a, region_a):
        ThemeFactory(slug="ouders", name_nl="Ouders")
        own_org = OrganisationFactory(slug="eigen", name_nl="Wijkteam A", region=region_a)
        local = ResourceFactory(
            slug="eigen-gesprek",
            title_nl="Het Mediagesprek",
            organisation=own_org,
            region=region_a,
            kind="gesprekstool",
        )
        source = Source.objects.create(name="Regio Elders", base_url=remote.api, region=region_a)

        # Published there, with the same name as an entry here: taken in, hidden, to review.
        remote_id = remote.order(
            op="publish", slug="gesprek", title="Het Mediagesprek", url="https://m.example.org/"
        )["id"]
        result = source_sync(source=source)
        assert result.ok, result.error
        assert result.report["created"] == 1 and result.report["reviews"] == 1
        copy = Resource.objects.get(remote_source=source)
        assert str(copy.remote_id) == remote_id
        assert copy.status == Status.CONCEPT
        assert copy.remote_fetched_at is not None
        assert copy.region == region_a
        assert [t.slug for t in copy.themes.all()] == ["ouders"]
        review = SyncReview.objects.get(status=ReviewStatus.OPEN)
        assert (review.remote, review.local, review.kind) == (copy, local, "nieuw")

        # Again, nothing changed there: nothing changes here.
        before = (copy.version, SyncReview.objects.count(), Resource.history.count())
        again = source_sync(source=source)
        assert again.ok and again.report["unchanged"] == 1
        copy.refresh_from_db()
        assert (copy.version, SyncReview.objects.count(), Resource.history.count()) == before

        # The Coördinator links both on the review list.
        client.force_login(coordinator_a)
        page = client.get(reverse("resources:source_reviews"))
        assert page.status_code == 200
        assert "Het Mediagesprek" in page.content.decode()
        response = client.post(
            reverse("resources:source_review", args=[review.pk]),
            {"decision": "koppelen", "version": review.version},
        )
        assert response.status_code == 302
        copy.refresh_from_db()
        assert copy.status == Status.GEPUBLICEERD and copy.remote_local == local

        # Edited there: the copy follows; the local entry waits for the Coördinator's choice.
        remote.order(op="edit", slug="gesprek", title="Het Mediagesprek (nieuw)")
        assert source_sync(source=source).report["updated"] == 1
        copy.refresh_from_db()
        local.refresh_from_db()
        assert copy.title_nl == "Het Mediagesprek (nieuw)"
        assert local.title_nl == "Het Mediagesprek"
        review = SyncReview.objects.get(status=ReviewStatus.OPEN)
        assert review.kind == "gewijzigd"
        # A stale form (the version the page showed before) is refused, nothing changes.
        stale = client.post(
            reverse("resources:source_review", args=[review.pk]),
            {"decision": "bron", "version": review.version - 1},
        )
        assert stale.status_code == 409
        local.refresh_from_db()
        assert local.title_nl == "Het Mediagesprek"
        client.post(
            reverse("resources:source_review", args=[review.pk]),
            {"decision": "bron", "version": review.version},
        )
        local.refresh_from_db()
        review.refresh_from_db()
        assert local.title_nl == "Het Mediagesprek (nieuw)"
        assert (review.status, review.decision, review.resolved_by) == (
            "afgehandeld",
            "bron",
            coordinator_a,
        )
        assert local.history.first().history_user == coordinator_a

        # Removed there: archived here, not deleted; the local entry stays.
        remote.order(op="remove", slug="gesprek")
        assert source_sync(source=source).report["archived"] == 1
        copy.refresh_from_db()
        assert copy.status == Status.GEARCHIVEERD and copy.remote_removed_at is not None
        local.refresh_from_db()
        assert local.status == Status.GEPUBLICEERD
