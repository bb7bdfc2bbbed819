import subprocess
import sys

import pytest
from django.test import override_settings

from tests.config.test_security import ROOT, clean_environ
from tests.factories import UserFactory

STATEMENT = "/toegankelijkheid/"
FOOTER_LINK = f'<a href="{STATEMENT}">'


class AccessibilityStatementTests:
    def test_anyone_reads_it_without_logging_in(self, client, db):
        response = client.get(STATEMENT)
        assert response.status_code == 200
        html = response.content.decode()
        assert "<h1>Toegankelijkheidsverklaring</h1>" in html
        for fact in ("WCAG", "2.1", "niveau AA", "EN 301 549"):
            assert fact in html
        assert "Besluit digitale toegankelijkheid overheid" in html
        # The test method, and what is not (yet) good, in so many words.
        assert "axe" in html
        assert "3:1" in html
        assert "320 pixels" in html
        assert "alleen het toetsenbord" in html
        assert "PDF" in html
        assert "/beheer/" in html
        assert '<time datetime="2026-12-02">2 december 2026</time>' in html

    def test_it_claims_no_status_it_does_not_have(self, client, db):
        html = client.get(STATEMENT).content.decode()
        assert "claimt daarom geen status" in html
        assert "onafhankelijke, deskundige partij" in html

    def test_the_footer_links_it_on_public_and_logged_in_pages(self, client, worker):
        assert FOOTER_LINK in client.get("/inloggen/").content.decode()
        assert FOOTER_LINK in client.get("/bestaat-niet/").content.decode()
        client.force_login(worker)
        for path in ("/casussen/", "/sociale-kaart/", "/begrippen/", STATEMENT):
            response = client.get(path)
            assert response.status_code == 200, path
            assert FOOTER_LINK in response.content.decode(), path

    def test_in_english_after_the_language_switch(self, client, db):
        client.post("/taal/", {"language": "en", "next": STATEMENT})
        html = client.get(STATEMENT).content.decode()
        assert '<html lang="en">' in html
        assert "<h1>Accessibility statement</h1>" in html
        assert "Dutch Government Digital Accessibility Decree" in html
        assert "Known limitations and what has not been tested yet" in html
        assert "has not yet been tested with screen readers" in html
        assert "claims no status in the register of toegankelijkheidsverklaring.nl" in html
        assert '<time datetime="2026-12-02">2 December 2026</time>' in html
        assert f"{FOOTER_LINK}Accessibility statement</a>" in html

    def test_names_no_contact_address_when_none_is_set(self, client, db):
        html = client.get(STATEMENT).content.decode()
        assert "mailto:" not in html
        assert "Neem contact op met de beheerder van Gesprekswijzer in uw organisatie." in html

    @override_settings(
        ACCESSIBILITY_CONTACT_EMAIL="toegankelijkheid@gemeente.example",
        ACCESSIBILITY_CONTACT_URL="https://gemeente.example/toegankelijkheid/melden",
    )
    def test_shows_the_contact_route_the_organisation_set(self, client, db):
        html = client.get(STATEMENT).content.decode()
        assert (
            '<a href="mailto:toegankelijkheid@gemeente.example">'
            "toegankelijkheid@gemeente.example</a>"
        ) in html
        assert '<a href="https://gemeente.example/toegankelijkheid/melden">' in html
        assert "beheerder van Gesprekswijzer in uw organisatie" not in html

    def test_a_user_still_to_set_up_a_second_factor_can_read_it(self, client, db):
        client.force_login(UserFactory(mfa=False))
        assert client.get("/casussen/").status_code == 302  # sent to enrolment
        assert client.get(STATEMENT).status_code == 200

    def test_it_is_read_only(self, client, db):
        assert client.post(STATEMENT).status_code == 405


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ACCESSIBILITY_CONTACT_URL", "javascript:alert(1)"),
        ("ACCESSIBILITY_CONTACT_EMAIL", "geen adres"),
    ],
)
def test_settings_refuse_a_contact_route_that_is_not_one(variable, value):
    env = {**clean_environ(), "DJANGO_SETTINGS_MODULE": "config.settings.test", variable: value}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert variable in result.stderr
