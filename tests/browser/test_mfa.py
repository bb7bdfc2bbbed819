"""The second factor in a browser (issue 10): a new user is held at enrolment, sets up an
authenticator app with a code computed here, logs in with it, and every page on the way
passes axe in Dutch and English. Passkeys through Chromium's virtual authenticator."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from accounts.constants import SecurityEventKind
from accounts.models import SecurityEvent
from accounts.tokens import invitation_tokens
from tests.accounts.oidc_provider import IDP
from tests.accounts.test_sso import idp  # noqa: F401 - the provider the SSO tests start
from tests.browser.conftest import fresh_totp_code
from tests.factories import PASSWORD, UserFactory, totp_code

TEXT = {
    "nl": {
        "enrol": "Stel er nu een in",
        "set_up_app": "App instellen",
        "code_from_app": "Code uit de app",
        "continue": "Ik heb de codes bewaard, verder",
        "logout": "Uitloggen",
        "login": "Inloggen",
        "code": "Code",
        "confirm": "Bevestigen",
        "wrong": "Deze code klopt niet",
        "add_passkey": "Passkey toevoegen",
        "passkey_name": "Naam van de passkey",
        "add": "Toevoegen",
        "use_passkey": "Passkey gebruiken",
        "password": "Wachtwoord",
        "locked": "Inloggen tijdelijk geblokkeerd",
        "refused": "Inloggen via uw organisatie is geweigerd",
    },
    "en": {
        "enrol": "Set one up now",
        "set_up_app": "Set up app",
        "code_from_app": "Code from the app",
        "continue": "I have saved the codes, continue",
        "logout": "Log out",
        "login": "Log in",
        "code": "Code",
        "confirm": "Confirm",
        "wrong": "This code is wrong",
        "add_passkey": "Add passkey",
        "passkey_name": "Name of the passkey",
        "add": "Add",
        "use_passkey": "Use passkey",
        "password": "Password",
        "locked": "Login temporarily blocked",
        "refused": "Logging in with your organisation was refused",
    },
}


def password_login(page, site, user, text):
    page.goto(f"{site}/inloggen/")
    page.get_by_label("E-mailadres" if text is TEXT["nl"] else "Email address").fill(user.email)
    page.get_by_label("Wachtwoord" if text is TEXT["nl"] else "Password").fill(PASSWORD)
    page.get_by_role("button", name=text["login"], exact=True).click()
    page.wait_for_load_state()


def visit_confirmed(page, site, path, text):
    """Open a page that may first ask for the password again (allauth's reauthentication)."""
    page.goto(f"{site}{path}")
    if "/account/bevestigen/" in page.url:
        page.get_by_label(text["password"]).fill(PASSWORD)
        page.get_by_role("button", name=text["confirm"]).click()
    expect(page).to_have_url(f"{site}{path}")


def choose_language(page, site, language):
    page.goto(f"{site}/inloggen/")
    if language == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_new_user_enrols_an_app_and_logs_in_with_its_code(page, site, assert_accessible, language):
    text = TEXT[language]
    user = UserFactory(mfa=False)
    choose_language(page, site, language)
    password_login(page, site, user, text)

    # Held at enrolment: the landing page sends back here.
    expect(page).to_have_url(f"{site}/account/2fa/")
    expect(page.get_by_role("status")).to_contain_text(text["enrol"])
    assert_accessible(page)
    page.goto(f"{site}/casussen/")
    expect(page).to_have_url(f"{site}/account/2fa/")

    page.get_by_role("link", name=text["set_up_app"]).click()
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label(text["code_from_app"]).fill(totp_code(secret))
    page.get_by_role("button", name=text["set_up_app"]).click()

    # The recovery codes, shown once enrolled.
    expect(page).to_have_url(f"{site}/account/2fa/recovery-codes/")
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name=text["continue"]).click()
    expect(page).to_have_url(f"{site}/casussen/")

    page.get_by_role("button", name=text["logout"]).click()
    password_login(page, site, user, text)
    expect(page).to_have_url(f"{site}/account/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_label(text["code"], exact=True).fill("000000")
    page.get_by_role("button", name=text["confirm"]).click()
    expect(page.locator("#code-errors")).to_contain_text(text["wrong"])
    assert_accessible(page)

    page.get_by_label(text["code"], exact=True).fill(fresh_totp_code(user, secret))
    page.get_by_role("button", name=text["confirm"]).click()
    expect(page).to_have_url(f"{site}/casussen/")
    kinds = set(SecurityEvent.objects.values_list("kind", flat=True))
    assert {SecurityEventKind.MFA_ENROLLED, SecurityEventKind.MFA_FAILED} <= kinds


@pytest.mark.parametrize("language", ["nl", "en"])
def test_passkey_enrols_and_logs_in_with_a_virtual_authenticator(
    page, site, assert_accessible, settings, language
):
    # WebAuthn on the live server's http://localhost (a secure context for the browser).
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]
    text = TEXT[language]
    user = UserFactory(mfa=False)
    choose_language(page, site, language)
    password_login(page, site, user, text)
    page.get_by_role("link", name=text["add_passkey"]).click()
    assert_accessible(page)
    page.get_by_label(text["passkey_name"]).fill("Laptop")
    page.get_by_role("button", name=text["add"], exact=True).click()
    page.get_by_role("link", name=text["continue"]).click()
    expect(page).to_have_url(f"{site}/casussen/")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1

    # The passkey's own pages: the list, renaming, removing and confirming with the passkey.
    passkey = Authenticator.objects.get(user=user, type="webauthn")
    for path in (
        "/account/2fa/webauthn/",
        f"/account/2fa/webauthn/keys/{passkey.pk}/edit/",
        f"/account/2fa/webauthn/keys/{passkey.pk}/remove/",
        "/account/2fa/webauthn/reauthenticate/",
    ):
        visit_confirmed(page, site, path, text)
        assert_accessible(page)

    page.get_by_role("button", name=text["logout"]).click()
    password_login(page, site, user, text)
    expect(page).to_have_url(f"{site}/account/2fa/authenticate/")
    page.get_by_role("button", name=text["use_passkey"]).click()
    expect(page).to_have_url(f"{site}/casussen/")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_sso_and_second_factor_pages_are_accessible(
    page, site, log_in, assert_accessible, settings, language
):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [
                {
                    "provider_id": "gemeente",
                    "name": "Gemeente Voorbeeld",
                    "client_id": "gesprekswijzer",
                    "secret": "niet-gebruikt",
                    # Never fetched: the callback below is refused on its state first.
                    "settings": {"server_url": "http://127.0.0.1:9/idp"},
                }
            ],
        }
    }
    user = UserFactory()
    log_in(page, user)
    if language == "en":
        page.get_by_role("button", name="English").click()
    for path in ("/account/2fa/", "/account/2fa/webauthn/", "/account/2fa/totp/deactivate/"):
        page.goto(f"{site}{path}")
        assert_accessible(page)
    expect(page).to_have_url(re.compile(r"/account/bevestigen/"))  # asks the password again

    page.get_by_role("button", name="Log out" if language == "en" else "Uitloggen").click()
    expect(page.get_by_role("button", name=re.compile("Gemeente Voorbeeld"))).to_be_visible()
    assert_accessible(page)
    page.goto(f"{site}/account/sso/gemeente/login/callback/?state=vervalst&code=x")
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


def log_in_with_code(page, site, user, text):
    password_login(page, site, user, text)
    expect(page).to_have_url(f"{site}/account/2fa/authenticate/")
    page.get_by_label(text["code"], exact=True).fill(fresh_totp_code(user))
    page.get_by_role("button", name=text["confirm"]).click()
    expect(page).to_have_url(f"{site}/casussen/")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_other_account_pages_pass_axe(page, site, assert_accessible, language):
    """The pages of issue 10 the journeys above do not pass through: an invitation, the
    inactive and cancelled steps, confirming with a code, new recovery codes, switching the
    app off, and the lockout page, each with 0 axe violations in Dutch and English."""
    text = TEXT[language]
    choose_language(page, site, language)
    invited = UserFactory(mfa=False)
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    for path in (
        f"/uitnodiging/{uid}/{invitation_tokens.make_token(invited)}/",
        "/account/inactief/",
        "/account/sso/geannuleerd/",
    ):
        page.goto(f"{site}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)

    user = UserFactory()
    log_in_with_code(page, site, user, text)
    for path in (
        "/account/2fa/reauthenticate/",
        "/account/2fa/recovery-codes/generate/",
        "/account/2fa/totp/deactivate/",
    ):
        visit_confirmed(page, site, path, text)
        assert_accessible(page)
    page.get_by_role("button", name=text["logout"]).click()

    for _ in range(5):
        page.goto(f"{site}/inloggen/")
        page.get_by_label("E-mailadres" if language == "nl" else "Email address").fill(user.email)
        page.get_by_label(text["password"]).fill("niet het goede wachtwoord")
        page.get_by_role("button", name=text["login"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["locked"])
    assert_accessible(page)


@pytest.mark.urls("tests.accounts.oidc_provider")
@pytest.mark.parametrize("language", ["nl", "en"])
def test_sso_confirmation_and_refusal_pass_axe(page, idp, assert_accessible, language):  # noqa: F811
    """Through the real provider the SSO tests start: the step before the provider and the
    refusal of an address without an account."""
    text = TEXT[language]
    IDP.email = "onbekend@gemeente.test"
    choose_language(page, idp, language)
    page.goto(f"{idp}/account/sso/gemeente/login/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Gemeente Test")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["refused"])
    assert_accessible(page)
