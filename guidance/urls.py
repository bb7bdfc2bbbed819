from django.urls import path

from guidance import views

app_name = "guidance"

urlpatterns = [
    path("", views.guide_list, name="list"),
    path("<slug:slug>/", views.guide_overview, name="guide"),
    path("<slug:slug>/stap/<slug:key>/", views.guide_step, name="step"),
    path("<slug:slug>/afdrukken/", views.guide_print, name="print"),
    path("<slug:slug>/versies/", views.guide_version_list, name="versions"),
    path("<slug:slug>/concept/", views.guide_preview, name="preview"),
]
