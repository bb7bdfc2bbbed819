from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from cases import views as case_views
from config import views

urlpatterns = [
    # Answered by config.middleware.HealthCheckMiddleware before host checks; named here.
    path("health/", views.readiness, name="health"),
    path("health/live/", views.liveness, name="health-live"),
    path("health/ready/", views.readiness, name="health-ready"),
    path("referentie/", views.baseline, name="baseline"),  # make bench's reference page
    path("favicon.ico", views.favicon),
    path("taal/", login_not_required(set_language), name="set_language"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility_statement"),
    # One login page for everybody, so lockout and look are the same for the back office.
    path(
        "beheer/login/",
        login_not_required(RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    ),
    # Everyone changes their own password in one place (current password asked, lockout
    # counted, other sessions ended); the admin's own form is not used.
    path(
        "beheer/password_change/",
        RedirectView.as_view(pattern_name="accounts:password_change"),
        name="admin_password_change_redirect",
    ),
    path("beheer/", admin.site.urls),
    path("begrippen/", include("glossary.urls")),
    path("leidraden/", include("guidance.urls")),
    path("casussen/", include("cases.urls")),
    path("sociale-kaart/", include("resources.urls")),
    path("statistieken/", case_views.statistics, name="statistics"),
    path("statistieken/cijfers.csv", case_views.statistics_csv, name="statistics_csv"),
    # Open data (HSDS 3.0): public, read-only, no login (see resources/api.py).
    path("api/hsds/", include("resources.api_urls")),
    path("", include("accounts.auth_urls")),
    path("", include("accounts.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"
handler500 = "config.views.server_error"
