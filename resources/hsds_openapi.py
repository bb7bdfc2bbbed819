"""The official HSDS 3.0 OpenAPI description, readable offline.

Its `$ref`s point at the schemas' public addresses (raw.githubusercontent.com); the same files
are kept beside the repository in `../shared/external/hsds-3.0/schema/`. `offline_openapi`
rewrites those references to the local files (`file://` addresses), so a tool such as
schemathesis resolves them without the network, and adds the OpenAPI links between list and
detail operations that the specification leaves out (LINKS). Nothing else is changed.
"""

import json
from pathlib import Path

from django.conf import settings

from resources.hsds import OPENAPI_URL

SCHEMA_BASE = OPENAPI_URL.rsplit("/", 1)[0] + "/"
DEFAULT_SCHEMA_DIR = settings.BASE_DIR.parent / "shared" / "external" / "hsds-3.0" / "schema"


def _rewrite(node, schema_dir: Path):
    if isinstance(node, dict):
        return {
            key: (
                (schema_dir / value[len(SCHEMA_BASE) :]).as_uri()
                if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_BASE)
                else _rewrite(value, schema_dir)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite(value, schema_dir) for value in node]
    return node


def offline_openapi(schema_dir: Path = DEFAULT_SCHEMA_DIR, *, links: bool = True) -> dict:
    """openapi.json from `schema_dir` with its references pointing at the files beside it
    (and, unless `links=False`, the LINKS between its operations)."""
    schema_dir = Path(schema_dir).resolve()
    spec = json.loads((schema_dir / "openapi.json").read_text(encoding="utf-8"))
    spec = _rewrite(spec, schema_dir)
    return with_links(spec) if links else spec


def _ref(path: str) -> str:
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/get"


# OpenAPI links the specification leaves out: how a client walks from a list to its entries and
# from an entry to the entries it names. They only add to the description (schemathesis'
# stateful phase follows them); nothing the specification says is changed.
LINKS = {
    "/services": {
        "ServiceOfList": ("/services/{id}", {"path.id": "$response.body#/contents/0/id"}),
        "OrganizationOfListedService": (
            "/organizations/{id}",
            {"path.id": "$response.body#/contents/0/organization_id"},
        ),
    },
    "/organizations": {
        "OrganizationOfList": ("/organizations/{id}", {"path.id": "$response.body#/contents/0/id"}),
    },
    "/taxonomies": {
        "TaxonomyOfList": ("/taxonomies/{id}", {"path.id": "$response.body#/contents/0/id"}),
        "TermsOfListedTaxonomy": (
            "/taxonomy_terms",
            {"query.taxonomy_id": "$response.body#/contents/0/id"},
        ),
    },
    "/taxonomy_terms": {
        "TermOfList": ("/taxonomy_terms/{id}", {"path.id": "$response.body#/contents/0/id"}),
        "TaxonomyOfListedTerm": (
            "/taxonomies/{id}",
            {"path.id": "$response.body#/contents/0/taxonomy_id"},
        ),
    },
    "/services/{id}": {
        "OrganizationOfService": (
            "/organizations/{id}",
            {"path.id": "$response.body#/organization_id"},
        ),
        "TermOfService": (
            "/taxonomy_terms/{id}",
            {"path.id": "$response.body#/attributes/0/taxonomy_term_id"},
        ),
        "ServicesOfSameOrganization": (
            "/services",
            {"query.organization_id": "$response.body#/organization_id"},
        ),
    },
    "/organizations/{id}": {
        "ServiceOfOrganization": ("/services/{id}", {"path.id": "$response.body#/services/0/id"}),
    },
    "/taxonomies/{id}": {
        "TermsOfTaxonomy": ("/taxonomy_terms", {"query.taxonomy_id": "$response.body#/id"}),
        "ServicesInTaxonomy": ("/services", {"query.taxonomy_id": "$response.body#/id"}),
    },
    "/taxonomy_terms/{id}": {
        "TaxonomyOfTerm": ("/taxonomies/{id}", {"path.id": "$response.body#/taxonomy_id"}),
        "ServicesWithTerm": ("/services", {"query.taxonomy_term_id": "$response.body#/id"}),
    },
}


def with_links(spec: dict) -> dict:
    """`spec` with LINKS added to the 200 answers of its GET operations."""
    for source, links in LINKS.items():
        response = spec["paths"][source]["get"]["responses"]["200"]
        response["links"] = {
            name: {"operationRef": _ref(target), "parameters": parameters}
            for name, (target, parameters) in links.items()
        }
    return spec
