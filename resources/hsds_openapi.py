"""The official HSDS 3.0 OpenAPI description, readable offline.

Its `$ref`s point at the schemas' public addresses (raw.githubusercontent.com); the same files
are kept beside the repository in `../shared/external/hsds-3.0/schema/`. `offline_openapi`
copies the referenced files into the description's `components` and points the references
there (one self-contained document: no network, nothing to fetch), and adds the OpenAPI links
between list and detail operations that the specification leaves out (LINKS). Nothing else
is changed.
"""

import json
import posixpath
from pathlib import Path

from django.conf import settings

from resources.hsds import OPENAPI_URL

SCHEMA_BASE = OPENAPI_URL.rsplit("/", 1)[0] + "/"
DEFAULT_SCHEMA_DIR = settings.BASE_DIR.parent / "shared" / "external" / "hsds-3.0" / "schema"


def _component_name(relative: str) -> str:
    return "hsds_" + relative.removesuffix(".json").replace("/", "_")


def _bundle(node, base: str, schema_dir: Path, components: dict):
    """`node` with every reference to a schema file replaced by one to its copy in
    `components` (files are read with `json`, each once; `base` is the folder, relative to
    `schema_dir`, of the file `node` comes from)."""
    if isinstance(node, list):
        return [_bundle(value, base, schema_dir, components) for value in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str) and not value.startswith("#"):
            relative = (
                value[len(SCHEMA_BASE) :]
                if value.startswith(SCHEMA_BASE)
                else posixpath.normpath(posixpath.join(base, value))
            )
            name = _component_name(relative)
            if name not in components:
                components[name] = {}  # taken before reading: references may go in a circle
                document = json.loads((schema_dir / relative).read_text(encoding="utf-8"))
                components[name] = _bundle(
                    document, posixpath.dirname(relative), schema_dir, components
                )
            result[key] = f"#/components/schemas/{name}"
        else:
            result[key] = _bundle(value, base, schema_dir, components)
    return result


def offline_openapi(schema_dir: Path = DEFAULT_SCHEMA_DIR, *, links: bool = True) -> dict:
    """openapi.json from `schema_dir`, self-contained (the schema files it references copied
    into `components`) and, unless `links=False`, with the LINKS between its operations."""
    schema_dir = Path(schema_dir).resolve()
    spec = json.loads((schema_dir / "openapi.json").read_text(encoding="utf-8"))
    components: dict = {}
    spec = _bundle(spec, "", schema_dir, components)
    spec.setdefault("components", {}).setdefault("schemas", {}).update(components)
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
