"""HSDS 3.0 paths (no trailing slash, as the OpenAPI description writes them). Everything else
under /api/hsds/ (malformed ids, unknown paths) answers the API's JSON 404, not the site's page."""

from django.urls import path, re_path

from resources import api

app_name = "hsds"

urlpatterns = [
    path("", api.root, name="root"),
    path("services", api.services, name="services"),
    path("services/<uuid:id>", api.service, name="service"),
    path("organizations", api.organizations, name="organizations"),
    path("organizations/<uuid:id>", api.organization, name="organization"),
    path("taxonomies", api.taxonomies, name="taxonomies"),
    path("taxonomies/<uuid:id>", api.taxonomy, name="taxonomy"),
    path("taxonomy_terms", api.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<uuid:id>", api.taxonomy_term, name="taxonomy_term"),
    # Optional in the specification and not offered here (resources.hsds.NOT_OFFERED).
    re_path(
        r"^(?P<endpoint>service_at_locations)(?:/(?P<id>[^/]*))?\Z",
        api.not_offered,
        name="not_offered",
    ),
    re_path(r"^(?P<rest>.*)\Z", api.unknown_path, name="unknown"),
]
