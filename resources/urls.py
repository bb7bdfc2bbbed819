from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("", views.resource_map, name="map"),
    path("materiaal/<slug:slug>/", views.resource_page, name="resource"),
    path("organisaties/<slug:slug>/", views.organisation_page, name="organisation"),
    path("folder/", views.handout_page, name="handout"),
    path("folder/kiezen/", views.handout_pick, name="handout_pick"),
    path("folder/leegmaken/", views.handout_reset, name="handout_reset"),
    path("folder/afdrukken/", views.handout_print, name="handout_print"),
    path("folder/pdf/", views.handout_pdf, name="handout_pdf"),
    path("te-controleren/", views.review_page, name="review"),
    path("export.csv", views.map_export, name="map_export"),
    path("importeren/", views.map_import, name="map_import"),
    path("importeren/<uuid:pk>/", views.map_import_preview, name="map_import_preview"),
    path("importeren/<uuid:pk>/bevestigen/", views.map_import_confirm, name="map_import_confirm"),
    path(
        "te-controleren/<str:kind>/<slug:slug>/gecontroleerd/",
        views.mark_checked,
        name="mark_checked",
    ),
    path("bronnen/beoordelen/", views.source_reviews_page, name="source_reviews"),
    path("bronnen/beoordelen/<int:pk>/", views.source_review_decide, name="source_review"),
]
