"""CSV export and import of the social map for Coördinatoren (issue 14, item 2;
resources/csv_map.py)."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied

from accounts.constants import Role, SecurityEventKind
from accounts.models import SecurityEvent
from resources import csv_map
from resources.models import MapImport, Organisation, Resource
from resources.services import ImportRefused, map_import_apply, map_import_plan, resource_save
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
