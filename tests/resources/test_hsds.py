"""The open data API and export, validated against the official HSDS 3.0 schemas in
../shared/external/hsds-3.0 (beside the repository, as in CI). The schemas' public $id
addresses are mapped to those local files: no network."""

import json
from functools import cache
from pathlib import Path

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from accounts.services import DEMO_REGION
from resources import hsds
from resources.constants import stable_uuid
from tests.factories import OrganisationFactory, RegionFactory, ResourceFactory

HSDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "external" / "hsds-3.0"
SCHEMA_DIR = HSDS / "schema"
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
PATHS = {
    "/api/hsds/services": "/services",
    "/api/hsds/organizations": "/organizations",
    "/api/hsds/taxonomies": "/taxonomies",
    "/api/hsds/taxonomy_terms": "/taxonomy_terms",
}


@cache
def registry() -> Registry:
    if not SCHEMA_DIR.is_dir():
        pytest.fail(f"The HSDS schemas are missing: {SCHEMA_DIR} (shared/ beside the repo)")
    resources = []
    for path in SCHEMA_DIR.rglob("*.json"):
        uri = BASE + path.relative_to(SCHEMA_DIR).as_posix()
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


def validate(instance, schema: dict) -> None:
    validator = Draft202012Validator(
        schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def response_schema(openapi_path: str) -> dict:
    """The 200 response schema of an OpenAPI path, resolved inside openapi.json."""
    pointer = openapi_path.replace("~", "~0").replace("/", "~1")
    return {
        "$ref": f"{BASE}openapi.json#/paths/{pointer}/get/responses/200/content/"
        "application~1json/schema"
    }


def ref(name: str) -> dict:
    return {"$ref": BASE + name}


PAGE_KEYS = {
    "total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
    "contents",
}  # fmt: skip


@pytest.fixture
def open_data(social_map):
    demo = RegionFactory(name=DEMO_REGION)
    demo_org = OrganisationFactory(slug="demo-org", name_nl="Voorbeeld (demo)", region=demo)
    ResourceFactory(slug="demo", title_nl="Demo-materiaal", organisation=demo_org, region=demo)
    secret = OrganisationFactory(
        slug="opvang",
        name_nl="Opvanghuis",
        address_confidential=True,
        visiting_address="Geheime straat 1",
        phone="0800-2000",
    )
    ResourceFactory(slug="opvang-hulp", title_nl="Hulp van de opvang", organisation=secret)
    return social_map


class ApiSchemaTests:
    @pytest.mark.parametrize("path", list(PATHS))
    def test_lists_answer_the_page_envelope_with_valid_contents(self, client, open_data, path):
        response = client.get(path)  # no login: open data
        assert response.status_code == 200
        data = response.json()
        assert set(data) == PAGE_KEYS
        assert data["total_items"] > 0
        validate(data, response_schema(PATHS[path]))

    def test_service_detail_is_a_full_valid_service(self, client, open_data):
        resource = open_data["resources"]["gesprek"]
        data = client.get(f"/api/hsds/services/{resource.uuid}").json()
        validate(data, ref("compiled/service.json"))
        validate(data, response_schema("/services/{id}"))
        assert data["id"] == str(resource.uuid)
        assert {language["code"] for language in data["languages"]} == {
            "nl", "en", "fr", "tr", "ar",
        }  # fmt: skip
        terms = {a["taxonomy_term"]["code"] for a in data["attributes"]}
        assert {"ouders", "professionals", "wijkteams", "gesprekstool", "onbekend"} <= terms
        assert all(a["link_id"] == data["id"] for a in data["attributes"])

    def test_organization_detail_is_valid(self, client, open_data):
        organisation = open_data["organisations"]["national"]
        data = client.get(f"/api/hsds/organizations/{organisation.uuid}").json()
        validate(data, ref("compiled/organization.json"))
        names = {service["name"] for service in data["services"]}
        assert "Het Mediagesprek" in names
        assert "Oud materiaal" not in names

    def test_taxonomy_and_term_details_are_valid(self, client, open_data):
        taxonomy = client.get("/api/hsds/taxonomies").json()["contents"][0]
        validate(client.get(f"/api/hsds/taxonomies/{taxonomy['id']}").json(), ref("taxonomy.json"))
        term = client.get("/api/hsds/taxonomy_terms").json()["contents"][0]
        detail = client.get(f"/api/hsds/taxonomy_terms/{term['id']}").json()
        validate(detail, ref("taxonomy_term.json"))

    def test_export_writes_the_same_data_valid(self, open_data, tmp_path):
        call_command("export_hsds", str(tmp_path), verbosity=0)
        services = json.loads((tmp_path / "services.json").read_text())
        for service in services:
            validate(service, ref("compiled/service.json"))
        for organisation in json.loads((tmp_path / "organizations.json").read_text()):
            validate(organisation, ref("compiled/organization.json"))
        for term in json.loads((tmp_path / "taxonomy_terms.json").read_text()):
            validate(term, ref("taxonomy_term.json"))
        assert {s["name"] for s in services} >= {"Het Mediagesprek", "Spreekuur in regio B"}


class ApiContentTests:
    def names(self, client, **params):
        data = client.get("/api/hsds/services", {"per_page": 200, **params}).json()
        return {service["name"] for service in data["contents"]}

    def test_published_services_of_every_region_but_never_drafts_archive_or_demo(
        self, client, open_data
    ):
        names = self.names(client)
        assert {"Het Mediagesprek", "Spreekuur in regio A", "Spreekuur in regio B"} <= names
        assert not names & {"Nog niet af", "Oud materiaal", "Demo-materiaal"}

    def test_confidential_address_is_never_published(self, client, open_data):
        opvang = client.get("/api/hsds/organizations", {"search": "Opvanghuis"}).json()
        organisation = opvang["contents"][0]
        detail = client.get(f"/api/hsds/organizations/{organisation['id']}").content.decode()
        assert "Geheime straat" not in detail
        assert "0800-2000" in detail  # its public contact point

    def test_search_filter(self, client, open_data):
        assert self.names(client, search="fiets") == {"Samen fietsen en praten"}

    def test_taxonomy_term_filter(self, client, open_data):
        term = str(stable_uuid("theme", "preventie"))
        names = self.names(client, taxonomy_term_id=term)
        assert "Het Mediagesprek" in names and "Lespakket weerbaarheid" in names
        assert "Factsheet meldcode" not in names
        assert self.names(client, taxonomy_term_id=str(stable_uuid("cost", "gratis"))) == {
            "Samen fietsen en praten"
        }

    def test_pagination(self, client, open_data):
        first = client.get("/api/hsds/services", {"per_page": 2}).json()
        assert first["size"] == 2 and first["first_page"] and not first["last_page"]
        last = client.get(
            "/api/hsds/services", {"per_page": 2, "page": first["total_pages"]}
        ).json()
        assert last["last_page"]

    @pytest.mark.parametrize(
        "params",
        [{"page": "x"}, {"per_page": ""}, {"page": "1.5"}, {"lang": "xx"}, {"full": "maybe"},
         {"modified_after": "gisteren"}, {"format": "ndjson"}],
    )  # fmt: skip
    def test_values_it_cannot_use_are_a_json_400_in_english(self, client, open_data, params):
        response = client.get("/api/hsds/services", params)
        assert response.status_code == 400
        body = response.json()
        assert body["status"] == 400 and body["error"] == "Bad Request"
        assert list(params)[0] in body["message"]
        assert response["Access-Control-Allow-Origin"] == "*"

    @pytest.mark.parametrize(
        ("params", "page_number", "size", "total_pages"),
        [({"page": "0"}, 1, 7, 1), ({"page": "-4"}, 1, 7, 1), ({"per_page": "0"}, 1, 1, 7),
         ({"per_page": "-1", "page": "3"}, 3, 1, 7), ({"per_page": "1000"}, 1, 7, 1),
         ({"page": "9" * 40}, 1_000_000, 0, 1), ({"page": "+2", "per_page": "5"}, 2, 2, 2)],
    )  # fmt: skip
    def test_paging_values_the_specification_allows_are_clamped_and_said_so(
        self, client, open_data, params, page_number, size, total_pages
    ):
        data = client.get("/api/hsds/services", params).json()
        assert data["total_items"] == 7  # published, not demo
        assert (data["page_number"], data["size"], data["total_pages"]) == (
            page_number, size, total_pages,
        )  # fmt: skip
        assert data["first_page"] == (page_number == 1)
        assert data["last_page"] == (page_number >= total_pages)

    def test_unknown_parameters_are_ignored_and_odd_ids_match_nothing(self, client, open_data):
        everything = client.get("/api/hsds/services").json()
        ignored = client.get("/api/hsds/services", {"colour": "blue", "minimal": "true"}).json()
        assert ignored == everything
        for name in ("taxonomy_term_id", "taxonomy_id", "organization_id"):
            data = client.get("/api/hsds/services", {name: "abc"}).json()
            assert data["total_items"] == 0 and data["empty"], name

    def test_search_survives_control_characters_and_length(self, client, open_data):
        assert self.names(client, search="fiets\x00") == {"Samen fietsen en praten"}
        assert client.get("/api/hsds/services", {"search": "x" * 5000}).status_code == 200

    def test_taxonomy_and_modified_after_filters(self, client, open_data):
        kinds = self.names(client, taxonomy_id=hsds.taxonomy_id("kind"))
        groups = self.names(client, taxonomy_id=hsds.taxonomy_id("professional-group"))
        assert "Spreekuur in regio A" in kinds and "Spreekuur in regio A" not in groups
        assert "Het Mediagesprek" in groups
        assert self.names(client, modified_after="2000-01-01") == kinds
        assert self.names(client, modified_after="9999-12-31T23:59:59-05:00") == set()

    def test_full_lists_are_fully_nested_and_valid(self, client, open_data):
        data = client.get("/api/hsds/services", {"full": "true"}).json()
        validate(data, response_schema("/services"))
        for service in data["contents"]:
            validate(service, ref("compiled/service.json"))
        assert all("attributes" in service for service in data["contents"])
        organisations = client.get(
            "/api/hsds/organizations", {"full": "true", "full_service": "true"}
        ).json()
        validate(organisations, response_schema("/organizations"))
        for organisation in organisations["contents"]:
            validate(organisation, ref("compiled/organization.json"))
        nested = [s for o in organisations["contents"] for s in o["services"]]
        assert nested and all("languages" in service for service in nested)

    def test_english_texts_on_request(self, client, open_data):
        resource = open_data["resources"]["gesprek"]
        data = client.get(f"/api/hsds/services/{resource.uuid}", {"lang": "en"}).json()
        assert data["name"] == "Het Mediagesprek (en)"

    @pytest.mark.usefixtures("social_map")  # shares the class's map; does not need it
    def test_api_root(self, client, db):
        assert client.get("/api/hsds/").json()["version"] == "3.0"


class ApiQueryBudgetTests:
    """2,000 services and nothing else (the map above would add rows to the counts)."""

    def test_list_query_budget(self, client, db, django_assert_max_num_queries):
        from tests.factories import bulk_resources

        bulk_resources(2000)
        with django_assert_max_num_queries(4):
            response = client.get("/api/hsds/services", {"per_page": 200})
        assert len(response.json()["contents"]) == 200
        # Fully nested: the page, its four relations and the two term tables, not one per row.
        with django_assert_max_num_queries(9):
            response = client.get("/api/hsds/services", {"per_page": 200, "full": "true"})
        assert all(service["attributes"] for service in response.json()["contents"])
        with django_assert_max_num_queries(10):
            response = client.get(
                "/api/hsds/organizations", {"per_page": 200, "full_service": "true"}
            )
        organisations = response.json()["contents"]
        assert sum(len(o["services"]) for o in organisations) == 2000


class ValidatorSanityTests:
    def test_the_schemas_do_catch_a_broken_service(self, client, open_data):
        resource = open_data["resources"]["gesprek"]
        data = client.get(f"/api/hsds/services/{resource.uuid}").json()
        del data["status"]
        data["id"] = "geen-uuid"
        with pytest.raises(AssertionError):
            validate(data, ref("compiled/service.json"))
        page = client.get("/api/hsds/services").json()
        page["contents"][0]["status"] = "misschien"
        with pytest.raises(AssertionError):
            validate(page, response_schema("/services"))


class KeptListTests:
    """The list pages are kept per content version, language and query (api._kept_list)."""

    def test_the_same_page_again_runs_no_query_and_is_the_same(
        self, client, open_data, django_assert_num_queries
    ):
        for path in ("/api/hsds/services", "/api/hsds/organizations"):
            first = client.get(path, {"per_page": 3})
            with django_assert_num_queries(0):
                again = client.get(path, {"per_page": 3})
            assert again.content == first.content
            assert again["Content-Type"] == "application/json"
            assert again["Access-Control-Allow-Origin"] == "*"
            validate(again.json(), response_schema(PATHS[path]))

    def test_another_page_language_or_filter_is_another_answer(self, client, open_data):
        def titles(**params):
            data = client.get("/api/hsds/services", {"per_page": 2, **params}).json()
            return [service["name"] for service in data["contents"]]

        assert titles(page=1) != titles(page=2)
        assert titles(search="fiets") == ["Samen fietsen en praten"]
        resource = open_data["resources"]["gesprek"]
        resource.title_en = "The media talk"
        resource.save()
        assert "The media talk" in titles(lang="en", search="Mediagesprek")
        assert "The media talk" not in titles(lang="nl", search="Mediagesprek")

    def test_a_saved_service_or_organisation_shows_at_once(self, client, open_data):
        resource = open_data["resources"]["gesprek"]
        before = client.get("/api/hsds/services", {"per_page": 200}).json()
        assert resource.title_nl in {s["name"] for s in before["contents"]}
        resource.title_nl = "Het Mediagesprek (herzien)"
        resource.save()
        after = client.get("/api/hsds/services", {"per_page": 200}).json()
        assert "Het Mediagesprek (herzien)" in {s["name"] for s in after["contents"]}
        organisation = resource.organisation
        organisation.name_nl = "Nieuwe naam"
        organisation.save()
        listed = client.get("/api/hsds/organizations", {"per_page": 200}).json()
        assert "Nieuwe naam" in {o["name"] for o in listed["contents"]}

    def test_a_large_page_is_answered_but_not_kept(
        self, client, open_data, settings, django_assert_max_num_queries
    ):
        settings.API_KEPT_MAX_BYTES = 100
        first = client.get("/api/hsds/services", {"per_page": 3})
        assert len(first.content) > 100
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            again = client.get("/api/hsds/services", {"per_page": 3})
        assert len(queries) > 0 and again.content == first.content
