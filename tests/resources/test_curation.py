from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from resources.models import Organisation, Resource
from resources.selectors import review_list
from resources.services import entry_mark_checked, link_check_record
from tests.factories import OrganisationFactory, ResourceFactory


@pytest.fixture
def entries(region_a, region_b, beheerder):
    now = timezone.now()
    org = OrganisationFactory(slug="org-a", name_nl="Wijkteam A", region=region_a)
    made = {
        "never": ResourceFactory(slug="never", organisation=org, region=region_a),
        "old": ResourceFactory(slug="old", organisation=org, region=region_a),
        "fresh": ResourceFactory(slug="fresh", organisation=org, region=region_a),
        "broken": ResourceFactory(slug="broken", organisation=org, region=region_a),
        "fixed": ResourceFactory(slug="fixed", organisation=org, region=region_a),
        "archived": ResourceFactory(
            slug="archived", organisation=org, region=region_a, status="gearchiveerd"
        ),
        "national": ResourceFactory(slug="national"),
        "other": ResourceFactory(slug="other", region=region_b),
    }
    Resource.objects.filter(slug="old").update(last_checked_at=now - timedelta(days=400))
    Resource.objects.exclude(slug__in=["never", "old", "national", "other"]).update(
        last_checked_at=now - timedelta(days=30), last_checked_by=beheerder
    )
    Organisation.objects.update(last_checked_at=now - timedelta(days=30))
    link_check_record(entry=made["broken"], ok=False, error="HTTP 404", when=now)
    # Failed before a person checked it again: no longer on the list.
    link_check_record(
        entry=made["fixed"], ok=False, error="HTTP 500", when=now - timedelta(days=60)
    )
    return made


def slugs(entries):
    return {entry.slug for entry in entries}


class ReviewListTests:
    def test_coordinator_sees_stale_entries_of_own_region(self, entries, coordinator_a):
        organisations, resources = review_list(user=coordinator_a)
        assert slugs(resources) == {"never", "old", "broken"}
        assert organisations == []

    def test_beheerder_sees_national_and_every_region(self, entries, beheerder):
        _organisations, resources = review_list(user=beheerder)
        assert slugs(resources) == {"never", "old", "broken", "national", "other"}

    def test_worker_has_no_list(self, client, entries, worker_a):
        client.force_login(worker_a)
        assert client.get("/sociale-kaart/te-controleren/").status_code == 403

    def test_list_page_shows_reasons(self, client, entries, coordinator_a):
        client.force_login(coordinator_a)
        html = client.get("/sociale-kaart/te-controleren/").content.decode()
        assert "<h1>Te controleren</h1>" in html
        assert "HTTP 404" in html
        assert "Nooit" in html
        assert "Vandaag gecontroleerd" in html


class MarkCheckedTests:
    def test_service_records_who_and_when_without_changing_last_changed(
        self, entries, coordinator_a
    ):
        resource = entries["broken"]
        changed_before = Resource.objects.get(pk=resource.pk).updated_at
        entry_mark_checked(entry=resource, actor=coordinator_a)
        stored = Resource.objects.get(pk=resource.pk)
        assert stored.last_checked_by == coordinator_a
        assert timezone.now() - stored.last_checked_at < timedelta(minutes=1)
        assert stored.updated_at == changed_before
        assert "broken" not in slugs(review_list(user=coordinator_a)[1])

    def test_coordinator_cannot_check_national_entries(self, entries, coordinator_a):
        with pytest.raises(PermissionDenied):
            entry_mark_checked(entry=entries["national"], actor=coordinator_a)

    def test_one_click_through_http(self, client, entries, coordinator_a):
        client.force_login(coordinator_a)
        response = client.post("/sociale-kaart/te-controleren/materiaal/never/gecontroleerd/")
        assert response.status_code == 302
        assert Resource.objects.get(slug="never").last_checked_by == coordinator_a
        page = client.get(response.url).content.decode()
        assert "is vandaag gecontroleerd" in page

    def test_http_refuses_other_regions_and_get(self, client, entries, coordinator_a):
        client.force_login(coordinator_a)
        url = "/sociale-kaart/te-controleren/materiaal/{}/gecontroleerd/"
        assert client.post(url.format("national")).status_code == 404
        assert client.post(url.format("other")).status_code == 404
        assert client.get(url.format("never")).status_code == 405
        unknown_kind = "/sociale-kaart/te-controleren/iets/never/gecontroleerd/"
        assert client.post(unknown_kind).status_code == 404
        assert Resource.objects.get(slug="national").last_checked_at is None

    def test_organisations_can_be_checked_too(self, client, entries, coordinator_a):
        Organisation.objects.update(last_checked_at=None)
        client.force_login(coordinator_a)
        response = client.post("/sociale-kaart/te-controleren/organisatie/org-a/gecontroleerd/")
        assert response.status_code == 302
        assert Organisation.objects.get(slug="org-a").last_checked_by == coordinator_a

    def test_review_list_query_budget(
        self, client, entries, beheerder, django_assert_max_num_queries
    ):
        from tests.factories import bulk_resources

        bulk_resources(300)
        client.force_login(beheerder)
        with django_assert_max_num_queries(10):
            response = client.get("/sociale-kaart/te-controleren/")
        assert response.content.decode().count("Vandaag gecontroleerd<span") >= 300
