import pytest
from django.core.exceptions import PermissionDenied

from accounts.constants import Role
from resources.models import Organisation, ReferralRoute, Resource
from resources.services import entry_mark_checked, organisation_save, resource_save
from tests.factories import TeamFactory, UserFactory


def slugs(queryset):
    return set(queryset.values_list("slug", flat=True))


class QuerySetScopingTests:
    def test_worker_sees_published_national_and_own_region(self, social_map, worker_a):
        assert slugs(Resource.objects.visible_to(worker_a)) == {
            "gesprek", "fietsen", "les", "eer-factsheet", "lokaal-a",
        }  # fmt: skip
        assert slugs(Organisation.objects.visible_to(worker_a)) == {"landelijk-org", "org-a"}
        assert slugs(ReferralRoute.objects.visible_to(worker_a)) == {"route-landelijk", "route-a"}

    def test_worker_without_a_team_sees_national_only(self, social_map):
        loner = UserFactory(role=Role.MEDEWERKER, team=None)
        assert "lokaal-a" not in slugs(Resource.objects.visible_to(loner))
        assert "gesprek" in slugs(Resource.objects.visible_to(loner))

    def test_coordinator_reads_like_a_worker_and_edits_own_region_only(
        self, social_map, coordinator_a
    ):
        assert "lokaal-b" not in slugs(Resource.objects.visible_to(coordinator_a))
        assert slugs(Resource.objects.editable_by(coordinator_a)) == {"lokaal-a"}
        admin_visible = slugs(Resource.objects.admin_visible_to(coordinator_a))
        assert {"lokaal-a", "gesprek", "concept", "archief"} <= admin_visible
        assert "lokaal-b" not in admin_visible

    def test_beheerder_sees_and_edits_every_region(self, social_map, beheerder):
        assert {"lokaal-a", "lokaal-b"} <= slugs(Resource.objects.visible_to(beheerder))
        assert "archief" not in slugs(Resource.objects.visible_to(beheerder))
        assert slugs(Resource.objects.editable_by(beheerder)) == slugs(Resource.objects.all())

    def test_a_published_resource_of_an_archived_organisation_is_hidden(self, social_map, worker_a):
        national = social_map["organisations"]["national"]
        national.status = "gearchiveerd"
        organisation_save(organisation=national)
        assert "gesprek" not in slugs(Resource.objects.visible_to(worker_a))


class ServiceScopingTests:
    def test_coordinator_cannot_change_a_national_resource(self, social_map, coordinator_a):
        resource = social_map["resources"]["gesprek"]
        resource.title_nl = "Gewijzigd"
        with pytest.raises(PermissionDenied):
            resource_save(resource=resource, actor=coordinator_a)
        assert Resource.objects.get(slug="gesprek").title_nl == "Het Mediagesprek"

    def test_coordinator_cannot_move_an_entry_to_another_region(
        self, social_map, coordinator_a, region_b
    ):
        organisation = social_map["organisations"]["a"]
        organisation.region = region_b
        with pytest.raises(PermissionDenied):
            organisation_save(organisation=organisation, actor=coordinator_a)

    def test_coordinator_changes_own_region(self, social_map, coordinator_a):
        resource = social_map["resources"]["a"]
        resource.title_nl = "Nieuw spreekuur"
        resource_save(resource=resource, actor=coordinator_a)
        assert Resource.objects.get(slug="lokaal-a").title_nl == "Nieuw spreekuur"

    def test_worker_cannot_write_anything(self, social_map, worker_a):
        with pytest.raises(PermissionDenied):
            resource_save(resource=social_map["resources"]["a"], actor=worker_a)
        with pytest.raises(PermissionDenied):
            entry_mark_checked(entry=social_map["resources"]["a"], actor=worker_a)


class PageScopingTests:
    @pytest.mark.parametrize("slug", ["lokaal-b", "concept", "archief", "bestaat-niet"])
    def test_hidden_resources_are_404_for_a_worker(self, client, social_map, worker_a, slug):
        client.force_login(worker_a)
        assert client.get(f"/sociale-kaart/materiaal/{slug}/").status_code == 404

    def test_other_regions_organisation_is_404(self, client, social_map, worker_a):
        client.force_login(worker_a)
        assert client.get("/sociale-kaart/organisaties/org-b/").status_code == 404
        assert client.get("/sociale-kaart/organisaties/org-a/").status_code == 200

    def test_map_never_lists_other_regions_or_archived(self, client, social_map, worker_a):
        client.force_login(worker_a)
        html = client.get("/sociale-kaart/").content.decode()
        assert "Spreekuur in regio A" in html
        assert "Spreekuur in regio B" not in html
        assert "Oud materiaal" not in html
        assert "Nog niet af" not in html


def resource_form(resource=None, **overrides):
    data = {
        "title_nl": "Lokaal spreekuur",
        "title_en": "Local surgery",
        "slug": "lokaal-spreekuur",
        "organisation": "",
        "kind": "hulplijn",
        "status": "gepubliceerd",
        "description_nl": "Elke week een spreekuur.",
        "description_en": "",
        "url": "https://spreekuur.example.org/",
        "alert_nl": "",
        "alert_en": "",
        "cost": "gratis",
        "source": "",
    }
    data.update(overrides)
    return data


class AdminScopingTests:
    def test_coordinator_list_shows_national_and_own_region(
        self, client, social_map, coordinator_a
    ):
        client.force_login(coordinator_a)
        html = client.get("/beheer/resources/resource/").content.decode()
        assert "Spreekuur in regio A" in html
        assert "Het Mediagesprek" in html
        assert "Spreekuur in regio B" not in html

    def test_coordinator_cannot_open_another_regions_entry(self, client, social_map, coordinator_a):
        client.force_login(coordinator_a)
        other = social_map["resources"]["b"]
        response = client.get(f"/beheer/resources/resource/{other.pk}/change/")
        assert response.status_code == 302  # the admin's "does not exist" redirect
        history = client.get(f"/beheer/resources/resource/{other.pk}/history/")
        assert history.status_code == 403

    def test_national_entries_are_read_only_for_a_coordinator(
        self, client, social_map, coordinator_a
    ):
        client.force_login(coordinator_a)
        national = social_map["resources"]["gesprek"]
        page = client.get(f"/beheer/resources/resource/{national.pk}/change/")
        assert page.status_code == 200
        assert 'name="title_nl"' not in page.content.decode()
        response = client.post(
            f"/beheer/resources/resource/{national.pk}/change/",
            resource_form(organisation=national.organisation_id, slug="gesprek"),
        )
        assert response.status_code == 403
        assert Resource.objects.get(pk=national.pk).title_nl == "Het Mediagesprek"

    def test_reverting_history_of_a_national_entry_is_refused(
        self, client, social_map, coordinator_a
    ):
        client.force_login(coordinator_a)
        national = social_map["resources"]["gesprek"]
        version = national.history.first()
        url = f"/beheer/resources/resource/{national.pk}/history/{version.history_id}/"
        response = client.post(
            url,
            resource_form(
                organisation=national.organisation_id, slug="gesprek", version=national.version
            ),
        )
        assert response.status_code == 403

    def test_coordinator_adds_a_resource_in_own_region(self, client, social_map, coordinator_a):
        client.force_login(coordinator_a)
        organisation = social_map["organisations"]["a"]
        response = client.post(
            "/beheer/resources/resource/add/", resource_form(organisation=organisation.pk)
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        created = Resource.objects.get(slug="lokaal-spreekuur")
        assert created.region == coordinator_a.region
        assert "spreekuur" in created.search_document

    def test_coordinator_cannot_pick_another_regions_organisation(
        self, client, social_map, coordinator_a
    ):
        client.force_login(coordinator_a)
        other = social_map["organisations"]["b"]
        response = client.post(
            "/beheer/resources/resource/add/",
            resource_form(organisation=other.pk, region=other.region_id),
        )
        assert response.status_code == 200
        assert not Resource.objects.filter(slug="lokaal-spreekuur").exists()

    def test_a_bad_address_is_refused_with_a_message(self, client, social_map, beheerder):
        client.force_login(beheerder)
        national = social_map["organisations"]["national"]
        response = client.post(
            "/beheer/resources/resource/add/",
            resource_form(organisation=national.pk, url="javascript:alert(1)"),
        )
        assert response.status_code == 200
        assert not Resource.objects.filter(slug="lokaal-spreekuur").exists()
        assert "http://" in response.content.decode()

    def test_beheerder_edits_national_and_regional_entries(self, client, social_map, beheerder):
        client.force_login(beheerder)
        for key in ("gesprek", "b"):
            resource = social_map["resources"][key]
            response = client.post(
                f"/beheer/resources/resource/{resource.pk}/change/",
                resource_form(
                    organisation=resource.organisation_id,
                    slug=resource.slug,
                    title_nl=f"Bewerkt {key}",
                    region=resource.region_id or "",
                    version=resource.version,
                ),
            )
            assert response.status_code == 302, response.content.decode()[:2000]
            assert Resource.objects.get(pk=resource.pk).title_nl == f"Bewerkt {key}"

    def test_coordinator_has_no_delete(self, client, social_map, coordinator_a):
        client.force_login(coordinator_a)
        own = social_map["resources"]["a"]
        assert client.get(f"/beheer/resources/resource/{own.pk}/delete/").status_code == 403

    def test_worker_has_no_back_office(self, client, social_map, worker_a):
        client.force_login(worker_a)
        assert client.get("/beheer/resources/resource/").status_code == 302

    def test_coordinator_route_list_is_scoped(self, client, social_map, coordinator_a):
        client.force_login(coordinator_a)
        html = client.get("/beheer/resources/referralroute/").content.decode()
        assert "Wijkteam A" in html
        assert "Wijkteam B" not in html

    def test_coordinator_without_a_region_cannot_add(self, client, social_map):
        coordinator = UserFactory(role=Role.COORDINATOR, team=None)
        client.force_login(coordinator)
        assert client.get("/beheer/resources/resource/add/").status_code == 403

    def test_coordinator_of_region_b_does_not_see_region_a(self, client, social_map, region_b):
        coordinator = UserFactory(role=Role.COORDINATOR, team=TeamFactory(region=region_b))
        client.force_login(coordinator)
        html = client.get("/beheer/resources/organisation/").content.decode()
        assert "Wijkteam B" in html
        assert "Wijkteam A" not in html
