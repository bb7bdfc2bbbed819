"""The HSDS 3.0 API as an outside client sees it: schemathesis generates requests from the
official openapi.json (`../shared/external/hsds-3.0/schema/`, references resolved to the local
schema files, no network) and checks every answer against it, with a fixed seed
(schemathesis.toml), calling the Django WSGI application directly on factory data."""

import json
import re
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.config import SchemathesisConfig

from resources.hsds_openapi import offline_openapi
from tests.resources import schemathesis_hooks  # noqa: F401 (registers formats)
from tests.resources.test_hsds import open_data  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / ".." / "shared" / "external" / "hsds-3.0" / "schema"

config = SchemathesisConfig.from_path(ROOT / "schemathesis.toml")
schema = schemathesis.openapi.from_dict(offline_openapi(SCHEMA_DIR), config=config)
schema.app = WSGIHandler()
# The in-process WSGI transport does not decode a gzipped body (GZipMiddleware compresses the
# API's JSON for clients that ask, as HTTP clients do); ask for the plain body here.
schema.config.update(base_url="http://localhost/api/hsds", headers={"Accept-Encoding": "identity"})


@pytest.fixture(autouse=True)
def _in_the_test_transaction(open_data):  # noqa: F811
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction; Django's own test client switches that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
def test_every_operation_answers_as_the_specification_says(case):
    case.call_and_validate()


DETAILS = {"GET /services/{id}", "GET /organizations/{id}", "GET /taxonomies/{id}",
           "GET /taxonomy_terms/{id}"}  # fmt: skip


def test_following_the_links_from_lists_to_entries_holds(_in_the_test_transaction):
    """A client's walk: lists, then the entries they name, then the entries those name. Every
    answer is checked against the specification, and every detail operation must have been
    reached with an id taken from an answer (a generated UUID is never published)."""
    found = set()

    class Walk(schema.as_state_machine()):
        def after_call(self, response, case):
            super().after_call(response, case)
            if response.status_code == 200:
                found.add(case.operation.label)

    Walk.run(
        settings=hypothesis.settings(
            max_examples=40, stateful_step_count=10, derandomize=True, database=None
        )
    )
    assert found >= DETAILS, DETAILS - found


def test_the_offline_description_is_self_contained_and_keeps_the_official_paths(tmp_path):
    call_command("hsds_openapi", str(tmp_path / "openapi.json"), schemas=str(SCHEMA_DIR))
    written = json.loads((tmp_path / "openapi.json").read_text())
    official = json.loads((SCHEMA_DIR / "openapi.json").read_text())
    references = re.findall(r'"\$ref": "([^"]*)"', json.dumps(written))
    assert references and all(ref.startswith("#/") for ref in references)
    assert set(written["paths"]) == set(official["paths"])
    assert written["components"]["parameters"] == official["components"]["parameters"]
    links = written["paths"]["/services"]["get"]["responses"]["200"]["links"]
    assert links["ServiceOfList"]["parameters"] == {"path.id": "$response.body#/contents/0/id"}
