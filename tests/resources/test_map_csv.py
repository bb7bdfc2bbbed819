"""CSV export and import of the social map for Coördinatoren (issue 14, item 2;
resources/csv_map.py)."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.constants import Role, SecurityEventKind
from accounts.models import SecurityEvent
from resources import csv_map
from resources.models import MapImport, Organisation, Resource
from resources.selectors import EXPORT_CHUNK
from resources.services import ImportRefused, map_import_apply, resource_save
from tests.factories import (
    OrganisationFactory,
    ResourceFactory,
    TeamFactory,
    UserFactory,
    bulk_resources,
)

EXPORT = "/sociale-kaart/export.csv"
IMPORT = "/sociale-kaart/importeren/"


@pytest.fixture
def coordinator_b(region_b):
    return UserFactory(role=Role.COORDINATOR, team=TeamFactory(region=region_b))


def exported(client, **params) -> str:
    response = client.get(EXPORT, params)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content).decode("utf-8")


def table(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def as_csv(rows: list[dict], *, delimiter=",", columns=None, line_end="\r\n") -> str:
    out = io.StringIO(newline="")
    columns = columns or list(rows[0])
    writer = csv.DictWriter(
        out, fieldnames=columns, delimiter=delimiter, lineterminator=line_end, extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def upload(client, content, name="kaart.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    file = io.BytesIO(data)
    file.name = name
    return client.post(IMPORT, {"bestand": file})


def preview(client, content, **kwargs):
    """Upload, follow to the preview; (response, the stored upload or None)."""
    response = upload(client, content, **kwargs)
    if response.status_code != 302:
        return response, None
    return client.get(response["Location"]), MapImport.objects.get()


def confirm(client, stored, digest):
    return client.post(f"{IMPORT}{stored.pk}/bevestigen/", {"plan": digest})


def new_row(**values) -> dict:
    row = {
        "id": "",
        "organization.name": "Buurthuis De Brug",
        "organization.website": "https://debrug.example.org/",
        "name": "Ouderavond sexting",
        "name_en": "Parents' evening on sexting",
        "description": "Een avond voor ouders.",
        "url": "https://debrug.example.org/ouderavond",
        "languages.code": "nl, en",
        "attributes.theme": "ouders",
        "attributes.audience": "ouders",
        "attributes.kind": "training",
        "attributes.cost": "gratis",
    }
    row.update(values)
    return row


# --- export --------------------------------------------------------------------------------


class ExportTests:
    def test_published_entries_the_coordinator_may_see_with_hsds_columns(
        self, client, social_map, coordinator_a
    ):
        client.force_login(coordinator_a)
        response = client.get(EXPORT)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="sociale-kaart.csv"' in response["Content-Disposition"]
        text = b"".join(response.streaming_content).decode("utf-8")
        assert text.startswith("\ufeff")  # for Excel
        assert next(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == list(csv_map.COLUMNS)
        rows = {row["name"]: row for row in table(text)}
        # National and region A; never region B, a draft or an archived entry.
        assert set(rows) == {
            "Het Mediagesprek",
            "Samen fietsen en praten",
            "Lespakket weerbaarheid",
            "Factsheet meldcode",
            "Spreekuur in regio A",
        }
        row = rows["Het Mediagesprek"]
        resource = social_map["resources"]["gesprek"]
        assert row["id"] == str(resource.uuid)
        assert row["organization_id"] == str(resource.organisation.uuid)
        assert row["organization.name"] == "Landelijke Stichting"
        assert row["languages.code"] == "ar, en, fr, nl, tr"
        assert row["attributes.audience"] == "ouders, professionals"
        assert row["attributes.kind"] == "gesprekstool"
        assert row["status"] == "active"
        assert row["version"] == str(resource.version)

    def test_carries_the_map_filters(self, client, social_map, coordinator_a):
        client.force_login(coordinator_a)
        rows = table(exported(client, taal="ar", doelgroep="ouders"))
        assert {row["name"] for row in rows} == {"Het Mediagesprek", "Spreekuur in regio A"}
        rows = table(exported(client, q="fietsen"))
        assert [row["name"] for row in rows] == ["Samen fietsen en praten"]

    def test_map_page_links_to_the_export_with_its_filters(
        self, client, social_map, coordinator_a, worker_a
    ):
        client.force_login(coordinator_a)
        html = client.get("/sociale-kaart/", {"taal": "ar", "pagina": "1"}).content.decode()
        assert 'href="/sociale-kaart/export.csv?taal=ar"' in html
        assert "Deze selectie exporteren (CSV)" in html
        client.force_login(worker_a)
        assert "export.csv" not in client.get("/sociale-kaart/").content.decode()

    def test_worker_is_refused(self, client, social_map, worker_a):
        client.force_login(worker_a)
        assert client.get(EXPORT).status_code == 403

    @pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
    def test_every_formula_start_gets_an_apostrophe_and_the_import_takes_it_off(self, start):
        cell = csv_map.neutralise(f"{start}1+1")
        assert cell == f"'{start}1+1"
        assert csv_map.unneutralise(cell) == f"{start}1+1"
        assert csv_map.neutralise("gewoon") == "gewoon"
        assert csv_map.unneutralise("'gewoon") == "'gewoon"  # only what the export added


class NeutralisedCellTests:
    """One resource of its own, without the map: the export must hold exactly its row."""

    def test_cells_that_a_spreadsheet_would_run_are_neutralised(
        self, client, region_a, coordinator_a
    ):
        organisation = OrganisationFactory(name_nl="@SUM(A1)", phone="+31 20 123 4567")
        ResourceFactory(
            title_nl='=HYPERLINK("https://evil.example/","klik")',
            description_nl="- eerste punt\n- tweede punt",
            alert_nl="+1 bel nu",
            organisation=organisation,
        )
        client.force_login(coordinator_a)
        (row,) = table(exported(client))
        assert row["name"] == '\'=HYPERLINK("https://evil.example/","klik")'
        assert row["description"].startswith("'- eerste punt")
        assert row["alert"] == "'+1 bel nu"
        assert row["organization.name"] == "'@SUM(A1)"
        assert row["organization.phones.number"] == "'+31 20 123 4567"


# --- import: round trip, changes, concurrency ----------------------------------------------

CONTENT = (
    "title_nl", "title_en", "description_nl", "description_en", "url", "alert_nl", "alert_en",
    "parent_text_nl", "parent_text_en", "kind", "cost", "religious_context",
    "anonymous_contact", "source",
)  # fmt: skip


def content(resource: Resource) -> dict:
    values = {name: getattr(resource, name) for name in CONTENT}
    values = {name: "" if value is None else value for name, value in values.items()}
    values["organisation"] = (resource.organisation.name_nl, resource.organisation.website)
    values["themes"] = sorted(t.slug for t in resource.themes.all())
    values["audiences"] = sorted(a.code for a in resource.audiences.all())
    values["languages"] = sorted(lang.code for lang in resource.languages.all())
    values["groups"] = sorted(g.slug for g in resource.professional_groups.all())
    return values


class RoundTripTests:
    def test_export_then_import_into_another_region_as_drafts_with_equal_content(
        self, client, social_map, region_a, region_b, coordinator_a, coordinator_b
    ):
        source = social_map["resources"]["a"]
        Resource.objects.filter(pk=source.pk).update(
            religious_context=["islamitisch"], anonymous_contact=True, source="001, 002",
            alert_nl="=Tijdelijk dicht", description_nl="- ma\n- di",
        )  # fmt: skip
        client.force_login(coordinator_a)
        text = exported(client, regio=str(region_a.pk))
        assert [row["name"] for row in table(text)] == ["Spreekuur in regio A"]
        before = content(Resource.objects.get(pk=source.pk))

        client.force_login(coordinator_b)
        response, stored = preview(client, text)
        plan = response.context["plan"]
        assert [row.action for row in plan.rows] == ["new"]
        response = confirm(client, stored, plan.digest)
        assert response.status_code == 302

        copy = Resource.objects.exclude(pk=source.pk).get(title_nl="Spreekuur in regio A")
        assert copy.region == region_b
        assert copy.status == "concept"
        assert copy.uuid != source.uuid
        assert copy.organisation.region == region_b  # region A's organisation is not B's
        assert copy.organisation.status == "concept"
        assert content(copy) == before
        # The source is untouched; the upload is gone; the security log has counts only.
        assert Resource.objects.get(pk=source.pk).region == region_a
        assert not MapImport.objects.exists()
        event = SecurityEvent.objects.get(kind=SecurityEventKind.MAP_IMPORTED)
        assert event.actor == coordinator_b
        assert event.detail == f"csv regio={region_b.pk} nieuw=1 gewijzigd=0 organisaties=1"
        assert "Spreekuur" not in event.detail

    def test_national_organisation_is_linked_not_copied(self, client, social_map, coordinator_b):
        client.force_login(coordinator_b)
        row = new_row(**{"organization_id": str(social_map["organisations"]["national"].uuid)})
        response, stored = preview(client, as_csv([row]))
        confirm(client, stored, response.context["plan"].digest)
        made = Resource.objects.get(title_nl="Ouderavond sexting")
        assert made.organisation == social_map["organisations"]["national"]
        assert made.status == "concept"

    def test_rows_naming_the_same_new_organisation_share_it(self, client, region_b, social_map,
                                                            coordinator_b):  # fmt: skip
        client.force_login(coordinator_b)
        rows = [new_row(), new_row(name="Tweede avond")]
        response, stored = preview(client, as_csv(rows))
        assert len(response.context["plan"].organisations) == 1
        confirm(client, stored, response.context["plan"].digest)
        assert (
            Organisation.objects.filter(name_nl="Buurthuis De Brug", region=region_b).count() == 1
        )
        assert Resource.objects.filter(organisation__name_nl="Buurthuis De Brug").count() == 2


class ChangeTests:
    def test_a_row_with_an_own_id_changes_that_entry_and_makes_it_a_draft(
        self, client, social_map, region_a, coordinator_a
    ):
        resource = social_map["resources"]["a"]
        client.force_login(coordinator_a)
        rows = table(exported(client, regio=str(region_a.pk)))
        rows[0]["name"] = "Spreekuur in regio A (nieuw)"
        rows[0]["languages.code"] = "nl"
        response, stored = preview(client, as_csv(rows))
        (row,) = response.context["plan"].rows
        assert row.action == "changed"
        assert row.changes == ["name", "languages.code"]
        assert "Gewijzigd (wordt concept)" in response.content.decode()
        assert Resource.objects.get(pk=resource.pk).title_nl == "Spreekuur in regio A"  # not yet
        confirm(client, stored, response.context["plan"].digest)
        stored_resource = Resource.objects.get(pk=resource.pk)
        assert stored_resource.title_nl == "Spreekuur in regio A (nieuw)"
        assert [lang.code for lang in stored_resource.languages.all()] == ["nl"]
        assert stored_resource.status == "concept"
        assert stored_resource.version == resource.version + 1

    def test_an_equal_row_changes_nothing(self, client, social_map, region_a, coordinator_a):
        client.force_login(coordinator_a)
        text = exported(client, regio=str(region_a.pk))
        response, _stored = preview(client, text)
        assert [row.action for row in response.context["plan"].rows] == ["unchanged"]
        assert "Er is niets te importeren" in response.content.decode()

    def test_an_id_of_another_region_never_changes_that_entry(
        self, client, social_map, region_a, coordinator_a
    ):
        other = social_map["resources"]["b"]
        client.force_login(coordinator_a)
        row = new_row(id=str(other.uuid), name="Overgenomen")
        response, stored = preview(client, as_csv([row]))
        assert response.context["plan"].rows[0].action == "new"
        confirm(client, stored, response.context["plan"].digest)
        assert Resource.objects.get(pk=other.pk).title_nl == "Spreekuur in regio B"
        assert Resource.objects.get(title_nl="Overgenomen").region == region_a

    def test_national_entries_are_left_alone_when_equal_and_refused_when_changed(
        self, client, social_map, coordinator_a
    ):
        national = social_map["resources"]["gesprek"]
        client.force_login(coordinator_a)
        rows = table(exported(client, regio="landelijk"))
        response, _stored = preview(client, as_csv(rows))
        plan = response.context["plan"]
        assert {row.action for row in plan.rows} == {"unchanged"}
        assert "Een landelijke vermelding; die blijft zoals ze is." in plan.rows[0].warnings
        changed = next(row for row in rows if row["id"] == str(national.uuid))
        changed["name"] = "Mijn Mediagesprek"
        response, _stored = preview(client, as_csv([changed]))
        assert errors_of(response)[0][:2] == (2, "id")
        assert "landelijke vermelding" in errors_of(response)[0][2]
        assert Resource.objects.get(pk=national.pk).title_nl == "Het Mediagesprek"

    def test_an_entry_edited_after_the_export_is_refused_not_overwritten(
        self, client, social_map, region_a, coordinator_a
    ):
        resource = social_map["resources"]["a"]
        client.force_login(coordinator_a)
        rows = table(exported(client, regio=str(region_a.pk)))
        resource.title_nl = "Door een collega gewijzigd"
        resource_save(resource=resource, actor=coordinator_a)
        rows[0]["name"] = "Mijn versie"
        response, _stored = preview(client, as_csv(rows))
        (row,) = response.context["plan"].rows
        assert row.action == "error"
        assert row.errors[0][0] == "version"
        assert "gewijzigd na uw export" in response.content.decode()
        assert "Importeren als concept" not in response.content.decode()

    def test_an_entry_saved_between_preview_and_confirm_refuses_the_import(
        self, client, social_map, region_a, coordinator_a
    ):
        resource = social_map["resources"]["a"]
        client.force_login(coordinator_a)
        rows = table(exported(client, regio=str(region_a.pk)))
        rows[0]["name"] = "Mijn versie"
        del rows[0]["version"]  # without it only the preview's plan tells the change
        response, stored = preview(client, as_csv([*rows, new_row()]))
        digest = response.context["plan"].digest
        resource.refresh_from_db()
        resource.description_nl = "Tussendoor gewijzigd."
        resource_save(resource=resource, actor=coordinator_a)
        response = confirm(client, stored, digest)
        assert response.status_code == 302
        assert response["Location"] == f"{IMPORT}{stored.pk}/"
        resource.refresh_from_db()
        assert resource.title_nl == "Spreekuur in regio A"
        assert resource.description_nl == "Tussendoor gewijzigd."
        assert not Resource.objects.filter(title_nl="Ouderavond sexting").exists()
        message = client.get(response["Location"]).content.decode()
        assert "Er is intussen iets veranderd" in message

    def test_a_failure_half_way_leaves_nothing_behind(
        self, client, social_map, coordinator_a, monkeypatch
    ):
        from resources import services

        client.force_login(coordinator_a)
        rows = [new_row(), new_row(name="Tweede"), new_row(name="Derde")]
        response, stored = preview(client, as_csv(rows))
        real, calls = services.resource_save, []

        def failing(**kwargs):
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("disk full")
            return real(**kwargs)

        monkeypatch.setattr(services, "resource_save", failing)
        with pytest.raises(RuntimeError):
            map_import_apply(
                user=coordinator_a, upload=stored, seen_digest=response.context["plan"].digest
            )
        assert not Resource.objects.filter(organisation__name_nl="Buurthuis De Brug").exists()
        assert not Organisation.objects.filter(name_nl="Buurthuis De Brug").exists()
        assert not SecurityEvent.objects.filter(kind=SecurityEventKind.MAP_IMPORTED).exists()
        assert MapImport.objects.filter(pk=stored.pk).exists()

    def test_a_file_with_errors_cannot_be_confirmed(self, client, social_map, coordinator_a):
        client.force_login(coordinator_a)
        rows = [new_row(), new_row(name="Fout", **{"languages.code": "xx"})]
        response, stored = preview(client, as_csv(rows))
        plan = response.context["plan"]
        with pytest.raises(ImportRefused):
            map_import_apply(user=coordinator_a, upload=stored, seen_digest=plan.digest)
        confirm(client, stored, plan.digest)
        assert not Resource.objects.filter(title_nl="Ouderavond sexting").exists()


# --- import: bad input -----------------------------------------------------------------------


def errors_of(response) -> list[tuple[int, str, str]]:
    plan = response.context["plan"]
    return [(row.number, column, message) for row in plan.rows for column, message in row.errors]


class BadInputTests:
    @pytest.fixture(autouse=True)
    def _logged_in(self, client, social_map, coordinator_a):
        client.force_login(coordinator_a)

    def test_semicolon_separator_bom_and_windows_line_ends(self, client):
        text = "\ufeff" + as_csv([new_row(), new_row(name="Tweede")], delimiter=";")
        assert "\r\n" in text
        response, _stored = preview(client, text)
        plan = response.context["plan"]
        assert plan.delimiter == ";"
        assert plan.ok
        assert [row.action for row in plan.rows] == ["new", "new"]
        assert plan.rows[0].relations["languages"][0].code == "nl"  # "nl, en" in one cell

    def test_tab_separator_and_old_mac_line_ends(self, client):
        response, _stored = preview(client, as_csv([new_row()], delimiter="\t", line_end="\r"))
        assert response.context["plan"].ok

    def test_unknown_language_code(self, client):
        response, _stored = preview(client, as_csv([new_row(**{"languages.code": "nl, xx"})]))
        assert errors_of(response) == [
            (
                2,
                "languages.code",
                "Onbekende taalcode: xx. Gebruik ISO 639-1-codes zoals nl, en, ar.",
            )
        ]
        html = response.content.decode()
        assert (
            'Rij 2, kolom <code class="text-reset">languages.code</code>: Onbekende taalcode: xx.'
            in html
        )

    def test_a_repeated_row_is_skipped_and_a_repeated_id_or_name_is_an_error(
        self, client, social_map
    ):
        own = social_map["resources"]["a"]
        rows = [
            new_row(),
            new_row(),  # the same row again
            new_row(description="Anders beschreven."),  # the same name and organisation
            new_row(id=str(own.uuid), name="Spreekuur"),
            new_row(id=str(own.uuid), name="Spreekuur", description="Anders."),
        ]
        response, _stored = preview(client, as_csv(rows))
        plan = response.context["plan"]
        assert [row.action for row in plan.rows] == [
            "new",
            "duplicate",
            "error",
            "changed",
            "error",
        ]
        assert "Dezelfde rij als rij 2; overgeslagen." in plan.rows[1].warnings
        assert errors_of(response) == [
            (4, "name", "Dubbel: dezelfde naam en organisatie als rij 2."),
            (6, "id", "Hetzelfde id als rij 5."),
        ]

    def test_unknown_taxonomy_values(self, client):
        row = new_row(**{
            "attributes.theme": "ouders, bestaat-niet",
            "attributes.audience": "ouders",
            "attributes.kind": "toverdrank",
            "attributes.cost": "duur",
            "attributes.professional-group": "astronauten",
        })  # fmt: skip
        response, _stored = preview(client, as_csv([row]))
        columns = {column for _row, column, _message in errors_of(response)}
        assert columns == {
            "attributes.theme", "attributes.kind", "attributes.cost",
            "attributes.professional-group",
        }  # fmt: skip
        assert "Onbekende waarde: bestaat-niet." in response.content.decode()

    def test_labels_are_accepted_as_well_as_codes(self, client):
        row = new_row(**{"attributes.kind": "Podcast", "attributes.audience": "Ouders, Jongeren"})
        response, _stored = preview(client, as_csv([row]))
        assert response.context["plan"].ok

    @pytest.mark.parametrize(
        ("column", "value"),
        [
            ("url", "javascript:alert(1)"),
            ("url", "ftp://bestanden.example.org/"),
            ("organization.website", "data:text/html,hoi"),
        ],
    )
    def test_links_other_than_http_are_refused(self, client, column, value):
        response, _stored = preview(client, as_csv([new_row(**{column: value})]))
        assert [c for _r, c, _m in errors_of(response)] == [column]

    def test_a_file_over_the_limit(self, client):
        big = as_csv([new_row(description="x" * 9000, name=f"Rij {n}") for n in range(250)])
        assert len(big.encode()) > csv_map.MAX_BYTES
        response = upload(client, big)
        assert response.status_code == 400
        html = response.content.decode()
        assert "Het bestand is groter dan 2 MB" in html
        assert "Dit veld is verplicht" not in html  # the reason, not "no file"
        assert not MapImport.objects.exists()

    def test_too_many_rows(self, client):
        rows = [new_row(name=f"Rij {n}") for n in range(csv_map.MAX_ROWS + 1)]
        response = upload(client, as_csv(rows))
        assert response.status_code == 400
        assert "er kunnen er hoogstens 1000 tegelijk" in response.content.decode()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Dit is geen CSV-bestand"),
            ("name,description\nCaf\xe9,b\n".encode("cp1252"), "niet in UTF-8 opgeslagen"),
            (b"", "leeg"),
            (b"\xef\xbb\xbf\r\n\r\n", "Het bestand is leeg."),
            (b"id,name,description,attributes.kind,organization.name\r\n", "geen rijen"),
            (b"naam,omschrijving\nA,B\n", "De eerste regel noemt geen bekende kolom"),
            (
                b"name,description,organization.name\nA,B,C\n",
                "Deze verplichte kolommen ontbreken: attributes.kind.",
            ),
            (
                b"name,description,attributes.kind\nA,B,video\n",
                "ontbreken: organization_id of organization.name.",
            ),
            (b"name,name,description\nA,B,C\n", "meer dan eens"),
        ],
    )
    def test_files_that_cannot_be_read_say_why(self, client, data, message):
        response = upload(client, data)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not MapImport.objects.exists()

    def test_no_file_at_all(self, client):
        response = client.post(IMPORT, {})
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.content.decode()

    def test_required_cells_and_model_rules_by_column(self, client):
        rows = [
            new_row(name="", description=""),
            new_row(name="Voor ouders", parent_text="Bel Veilig Thuis bij eergerelateerd geweld."),
            new_row(name="Anoniem", anonymous_contact="misschien", version="twee"),
            new_row(name="Geloof", religious_context="islamitisch, pastafari"),
            new_row(name="Zonder organisatie", **{"organization.name": ""}),
        ]
        columns = list(dict.fromkeys(name for row in rows for name in row))
        response, _stored = preview(client, as_csv(rows, columns=columns))
        by_row = {}
        for number, column, _message in errors_of(response):
            by_row.setdefault(number, []).append(column)
        assert by_row == {
            2: ["name", "description"],
            3: ["parent_text"],
            4: ["anonymous_contact", "version"],
            5: ["religious_context"],
            6: ["organization.name"],
        }


# --- permissions -----------------------------------------------------------------------------


class PermissionTests:
    def test_worker_and_beheerder_cannot_import(self, client, social_map, worker_a, beheerder):
        for user in (worker_a, beheerder):
            client.force_login(user)
            assert client.get(IMPORT).status_code == 403
            assert upload(client, as_csv([new_row()])).status_code == 403
        assert not MapImport.objects.exists()
        with pytest.raises(PermissionDenied):
            csv_map_store(worker_a)

    def test_a_coordinator_without_a_region_cannot_import(self, client, social_map):
        coordinator = UserFactory(role=Role.COORDINATOR, team=None)
        client.force_login(coordinator)
        assert client.get(IMPORT).status_code == 403
        assert upload(client, as_csv([new_row()])).status_code == 403

    def test_the_upload_needs_the_csrf_token(self, social_map, coordinator_a):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(coordinator_a)
        assert upload(client, as_csv([new_row()])).status_code == 403
        assert not MapImport.objects.exists()
        page = client.get(IMPORT)
        token = page.cookies["csrftoken"].value
        file = io.BytesIO(as_csv([new_row()]).encode())
        file.name = "kaart.csv"
        response = client.post(IMPORT, {"bestand": file, "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert MapImport.objects.count() == 1

    def test_another_coordinator_cannot_see_or_confirm_an_upload(
        self, client, social_map, coordinator_a, coordinator_b
    ):
        client.force_login(coordinator_a)
        response, stored = preview(client, as_csv([new_row()]))
        digest = response.context["plan"].digest
        client.force_login(coordinator_b)
        response = client.get(f"{IMPORT}{stored.pk}/")
        assert response.status_code == 302 and response["Location"] == IMPORT
        confirm(client, stored, digest)
        assert not Resource.objects.filter(title_nl="Ouderavond sexting").exists()
        with pytest.raises(PermissionDenied):
            map_import_apply(user=coordinator_b, upload=stored, seen_digest=digest)

    def test_worker_cannot_reach_preview_or_confirm(self, client, social_map, coordinator_a,
                                                    worker_a):  # fmt: skip
        client.force_login(coordinator_a)
        response, stored = preview(client, as_csv([new_row()]))
        client.force_login(worker_a)
        assert client.get(f"{IMPORT}{stored.pk}/").status_code == 403
        assert confirm(client, stored, "x").status_code == 403

    def test_a_coordinator_who_moved_region_cannot_confirm_into_the_old_one(
        self, client, social_map, coordinator_a, region_b
    ):
        client.force_login(coordinator_a)
        response, stored = preview(client, as_csv([new_row()]))
        coordinator_a.team.region = region_b
        coordinator_a.team.save()
        confirm(client, stored, response.context["plan"].digest)
        assert not Resource.objects.filter(title_nl="Ouderavond sexting").exists()


def csv_map_store(user):
    from resources.services import map_import_store

    return map_import_store(user=user, filename="x.csv", data=b"name\nA\n")


# --- query budgets ---------------------------------------------------------------------------


class QueryBudgetTests:
    def test_export_reads_a_query_per_chunk_of_rows(
        self, client, region_a, coordinator_a, django_assert_max_num_queries
    ):
        bulk_resources(1200, region=region_a)
        client.force_login(coordinator_a)
        chunks = -(-1200 // EXPORT_CHUNK)  # 3: 500, 500, 200
        with django_assert_max_num_queries(2 + 5 + 1 + chunks):  # login, vocabulary, role
            response = client.get(EXPORT)
            text = b"".join(response.streaming_content).decode()
        rows = table(text)
        assert len(rows) == 1200
        assert len({row["id"] for row in rows}) == 1200  # no row twice across the chunks
        # In map order, as on the page.
        ranked = Resource.objects.order_by("map_rank", "sort_title_nl", "pk")
        assert [row["id"] for row in rows] == [
            str(u) for u in ranked.values_list("uuid", flat=True)
        ]

    def test_export_chunks_keep_their_place_with_equal_titles(
        self, client, region_a, coordinator_a, monkeypatch
    ):
        from resources import selectors

        monkeypatch.setattr(selectors, "EXPORT_CHUNK", 2)
        organisation = OrganisationFactory(region=region_a)
        for _n in range(5):
            ResourceFactory(title_nl="Zelfde titel", organisation=organisation, region=region_a)
        client.force_login(coordinator_a)
        rows = table(exported(client))
        assert len(rows) == 5 and len({row["id"] for row in rows}) == 5

    def test_preview_reads_in_a_fixed_number_of_queries(
        self, client, region_a, coordinator_a, django_assert_max_num_queries
    ):
        bulk_resources(400, region=region_a)
        client.force_login(coordinator_a)
        rows = table(exported(client))
        for row in rows[:200]:
            row["name"] += " (bijgewerkt)"
        for row in rows[200:300]:
            row["id"] = ""
            row["organization_id"] = ""
            row["organization.name"] += " nieuw"
        response = upload(client, as_csv(rows))
        with django_assert_max_num_queries(2 + 5 + 3):  # login, vocabulary, upload, rows, orgs
            response = client.get(response["Location"])
        plan = response.context["plan"]
        assert plan.ok
        assert (plan.count_changed, plan.count_new, plan.count_unchanged) == (200, 100, 100)
        assert len(plan.organisations) == len({row["organization.name"] for row in rows[200:300]})


# --- never a 500 -----------------------------------------------------------------------------


class FuzzTests:
    @pytest.fixture(autouse=True)
    def _map(self, social_map):
        pass

    @settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        cells=st.lists(
            st.lists(st.text(max_size=30), min_size=0, max_size=7), min_size=0, max_size=4
        ),
        delimiter=st.sampled_from([",", ";", "\t"]),
        raw=st.binary(max_size=200),
    )
    def test_any_file_gives_a_plan_or_a_reason_never_an_exception(
        self, coordinator_a, region_a, cells, delimiter, raw
    ):
        from resources.caching import vocabulary

        header = ["name", "description", "attributes.kind", "organization.name", "id",
                  "languages.code", "url"]  # fmt: skip
        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(cells)
        for data in (out.getvalue().encode(), raw, out.getvalue().encode() + raw):
            try:
                text = csv_map.decode(data)
            except csv_map.FileError:
                continue
            plan = csv_map.plan_import(
                user=coordinator_a, region=region_a, text=text, vocab=vocabulary()
            )
            assert plan.file_errors or plan.rows
            for row in plan.rows:
                assert row.action in {"new", "changed", "unchanged", "duplicate", "error"}
