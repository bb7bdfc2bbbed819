"""HSDS 3.0 paths (no trailing slash, as the OpenAPI description writes them)."""

from django.urls import path

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
]
