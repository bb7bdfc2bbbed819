import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
UUID = "00000000-0000-0000-0000-000000000001"
# The HSDS API is open data: public on purpose (resources/api.py). Nothing else is.
API = {
    "/api/hsds/",
    "/api/hsds/services",
    f"/api/hsds/services/{UUID}",
    "/api/hsds/organizations",
    f"/api/hsds/organizations/{UUID}",
    "/api/hsds/taxonomies",
    f"/api/hsds/taxonomies/{UUID}",
    "/api/hsds/taxonomy_terms",
    f"/api/hsds/taxonomy_terms/{UUID}",
    "/api/hsds/service_at_locations",
    f"/api/hsds/service_at_locations/{UUID}",
    "/api/hsds/anything/else",
}
# One-time links that set a password work without login (and refuse anything else).
PASSWORD_LINKS = {"/uitnodiging/1/1/", "/wachtwoord-instellen/1/1/"}
# Steps of logging in (allauth, issue 10) that show only a fixed message, never data.
LOGIN_STEPS = {"/account/inactief/", "/account/sso/geannuleerd/", "/account/sso/fout/"}
# The accessibility statement is for anyone, before logging in too.
STATEMENT = {"/toegankelijkheid/"}
PUBLIC = {
    "/inloggen/",
    "/health/",
    "/health/live/",
    "/health/ready/",
    "/taal/",
    "/beheer/login/",
    "/favicon.ico",
    *API,
    *PASSWORD_LINKS,
    *LOGIN_STEPS,
    *STATEMENT,
}


def all_paths(resolver=None, prefix=""):
    """Every URL of the project, with 1 filled in for each path argument."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from all_paths(pattern, route)
        elif isinstance(pattern, URLPattern):
            path = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
            samples = {"<uuid:": "00000000-0000-0000-0000-000000000001", "<ref:": "GW-2026-0001"}
            for converter in ("<int:", "<str:", "<slug:", "<uuid:", "<path:", "<ref:", "<"):
                while converter in path:
                    start = path.index(converter)
                    end = path.index(">", start)
                    path = path[:start] + samples.get(converter, "1") + path[end + 1 :]
            if "(?P" in path or "(" in path:
                continue  # regex routes of the admin; the admin is covered by its index
            yield "/" + path


class AnonymousTests:
    def test_every_non_public_url_redirects_to_login(self, client, db):
        paths = sorted(set(all_paths()) - PUBLIC)
        assert len(paths) > 10
        for path in paths:
            response = client.get(path)
            assert response.status_code in (301, 302), path
            assert response.url.startswith(("/inloggen/", "/beheer/login/")), (path, response.url)

    def test_the_open_data_api_answers_without_login(self, client, db):
        for path in sorted(API):
            response = client.get(path)
            assert response.status_code in (200, 404), path
            assert response["Content-Type"] == "application/json", path

    def test_admin_login_sends_people_to_the_one_login_page(self, client, db):
        response = client.get("/beheer/login/?next=/beheer/")
        assert response.status_code == 302
        assert response.url == "/inloggen/?next=/beheer/"

    def test_login_page_is_public(self, client, db):
        assert client.get("/inloggen/").status_code == 200


class HeaderTests:
    @pytest.mark.parametrize("role", ["worker", "coordinator", "beheerder"])
    def test_no_page_behind_login_is_kept_or_read_elsewhere(self, client, db, request, role):
        """Only the open data may be read by other websites (CORS); a page behind login,
        read with the user's cookies, never. And no browser or proxy keeps a copy of one:
        every answer to a logged-in user is `no-store`, whatever its status."""
        client.force_login(request.getfixturevalue(role))
        paths = sorted(set(all_paths()) - PUBLIC)
        assert len(paths) > 10
        for path in paths:
            response = client.get(path)
            assert "Access-Control-Allow-Origin" not in response, path
            assert "Access-Control-Allow-Credentials" not in response, path
            assert response["Cache-Control"] == "no-store", (path, response.status_code)
        assert client.get("/api/hsds/services")["Access-Control-Allow-Origin"] == "*"

    def test_csp_is_strict_without_unsafe_inline(self, client, db):
        csp = client.get("/inloggen/").headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp

    def test_security_headers(self, client, db):
        headers = client.get("/inloggen/").headers
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"

    def test_pages_have_no_inline_script_or_style(self, client, worker):
        client.force_login(worker)
        for path in ("/inloggen/", "/casussen/", "/sociale-kaart/", "/sociale-kaart/folder/"):
            html = client.get(path).content.decode()
            assert "<script>" not in html
            assert " style=" not in html
            assert "<style" not in html


def clean_environ():
    # The browser tests allow the ORM inside playwright's event loop for this process only.
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


class ThirdPartyTests:
    def test_no_page_loads_anything_from_another_origin(self, client, beheerder):
        from tests.factories import TermFactory

        term = TermFactory()
        client.force_login(beheerder)
        pages = [
            "/beheer/",
            "/beheer/glossary/term/add/",
            f"/beheer/glossary/term/{term.pk}/change/",
            "/begrippen/",
            term.get_absolute_url(),
            "/sociale-kaart/",
            "/beheer/resources/resource/add/",
            "/beheer/resources/organisation/add/",
            "/beheer/resources/referralroute/add/",
        ]
        for path in pages:
            html = client.get(path).content.decode()
            for marker in ('src="//', 'src="http', 'href="//', "googleapis", "cdn."):
                assert marker not in html, (path, marker)


class DeployCheckTests:
    def test_check_deploy_is_clean_with_prod_settings(self):
        env = {
            **clean_environ(),
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "SECRET_KEY": "x" * 64 + "-a-long-random-production-secret-key-for-the-check",
            "ALLOWED_HOSTS": "gesprekswijzer.example.nl",
            "DATABASE_URL": "sqlite:///:memory:",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def test_prod_settings_refuse_to_start_without_a_secret_key(self):
        env = {
            **clean_environ(),
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "SECRET_KEY": "",
            "ALLOWED_HOSTS": "gesprekswijzer.example.nl",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr


class HealthTests:
    def test_health_answers_200_when_the_database_answers(self, client, db):
        response = client.get("/health/")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert "no-cache" in response.headers["Cache-Control"]

    def test_health_answers_503_when_the_database_does_not(self, client, db):
        with mock.patch("config.views.connection.cursor", side_effect=Exception("down")):
            response = client.get("/health/")
        assert response.status_code == 503

    def test_health_refuses_post(self, client, db):
        assert client.post("/health/").status_code == 405


@pytest.mark.parametrize("path", ["/bestaat-niet/"])
def test_unknown_page_is_a_friendly_404_for_a_logged_in_user(client, worker, path):
    client.force_login(worker)
    response = client.get(path)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


class SecondFactorSettingsTests:
    def test_production_cannot_switch_the_second_factor_off(self):
        env = {
            **clean_environ(),
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "SECRET_KEY": "x" * 64,
            "ALLOWED_HOSTS": "gesprekswijzer.example.nl",
            "DATABASE_URL": "sqlite:///:memory:",
            "MFA_REQUIRED": "0",
            "MFA_DEMO_USERS_MAY_SKIP": "1",
        }
        code = (
            "from django.conf import settings as s; "
            "print(s.MFA_REQUIRED, s.MFA_DEMO_USERS_MAY_SKIP, s.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN)"
        )
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.stdout.strip().splitlines()[-1].split() == ["True", "False", "False"], (
            result.stdout + result.stderr
        )

    def test_sso_is_off_unless_configured(self, settings):
        from accounts.selectors import sso_login_option

        assert settings.OIDC_ENABLED is False
        assert sso_login_option() is None
