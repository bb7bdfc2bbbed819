"""Single sign-on end to end (issue 10): allauth's OpenID Connect client against a real
provider (django-oauth-toolkit) that this test module starts on the live server."""

import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from accounts.constants import SecurityEventKind
from accounts.models import SecurityEvent, User
from tests.accounts.oidc_provider import IDP
from tests.factories import UserFactory

pytestmark = pytest.mark.urls("tests.accounts.oidc_provider")

CLIENT_ID = "gesprekswijzer-test"
CLIENT_SECRET = "alleen-voor-deze-test"  # noqa: S105 - test data
CALLBACK = "/account/sso/gemeente/login/callback/"


@pytest.fixture
def idp(live_server, transactional_db, settings):
    """The provider on the live server, a registered client, and allauth pointed at it."""
    from oauth2_provider.models import Application

    base = live_server.url
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": f"{base}/idp"}
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [
                {
                    "provider_id": "gemeente",
                    "name": "Gemeente Test",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": f"{base}/idp", "oauth_pkce_enabled": True},
                }
            ],
        }
    }
    principal = UserFactory(email="principal@idp.test", mfa=False, is_active=False)
    Application.objects.create(
        name="Gesprekswijzer",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{base}{CALLBACK}",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    IDP.principal_email = principal.email
    IDP.forge_nonce = False
    yield base
    IDP.email = ""
    IDP.forge_nonce = False


def start_sso(base, *, language=None):
    """A browser's first steps: the login page, then the SSO button (a POST)."""
    session = requests.Session()
    page = session.get(f"{base}/inloggen/")
    assert "Inloggen via Gemeente Test" in page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    if language:
        session.post(f"{base}/taal/", data={"csrfmiddlewaretoken": token, "language": language})
    return session, token


def sso_login(base, **kwargs):
    session, token = start_sso(base, **kwargs)
    response = session.post(
        f"{base}/account/sso/gemeente/login/",
        data={"csrfmiddlewaretoken": token, "process": "login"},
        timeout=30,
    )
    return session, response


def callback_url(base):
    """Run the flow up to the provider's answer and return the callback address it sent."""
    session, token = start_sso(base)
    to_idp = session.post(
        f"{base}/account/sso/gemeente/login/",
        data={"csrfmiddlewaretoken": token, "process": "login"},
        allow_redirects=False,
    )
    assert urlparse(to_idp.headers["Location"]).path == "/idp/authorize/"
    assert "nonce" in parse_qs(urlparse(to_idp.headers["Location"]).query)
    back = session.get(to_idp.headers["Location"], allow_redirects=False)
    assert urlparse(back.headers["Location"]).path == CALLBACK
    return session, back.headers["Location"]


def logged_in(session, base) -> bool:
    return session.get(f"{base}/casussen/", allow_redirects=False).status_code == 200


@pytest.mark.parametrize("has_factor", [True, False], ids=["with-factor", "without-factor"])
def test_known_email_logs_in_and_no_second_factor_is_asked_again(idp, has_factor):
    worker = UserFactory(email="wijkwerker@gemeente.test", mfa=has_factor)
    IDP.email = "WijkWerker@Gemeente.test"  # matched without regard to case
    session, response = sso_login(idp)
    assert response.status_code == 200
    assert response.url == f"{idp}/casussen/"
    assert logged_in(session, idp)
    assert SocialAccount.objects.get().user == worker
    [event] = SecurityEvent.objects.filter(kind=SecurityEventKind.SSO_LOGIN)
    assert event.actor == worker and event.ip_address == "127.0.0.1"

    again, response = sso_login(idp)  # the second time through the stored link
    assert response.url == f"{idp}/casussen/"
    assert SocialAccount.objects.count() == 1


@pytest.mark.parametrize("case", ["unknown", "deactivated"])
def test_an_address_without_an_active_account_is_refused_and_nothing_is_made(idp, case):
    if case == "deactivated":
        UserFactory(email="weg@gemeente.test", is_active=False)
    IDP.email = "weg@gemeente.test"
    users_before = User.objects.count()
    session, response = sso_login(idp)
    assert response.status_code == 403
    assert "geen actief account" in response.text
    assert "Er is geen account aangemaakt" in response.text
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()
    assert not logged_in(session, idp)
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.SSO_REFUSED).count() == 1


def test_the_refusal_is_translated(idp):
    IDP.email = "onbekend@gemeente.test"
    session, response = sso_login(idp, language="en")
    assert response.status_code == 403
    assert "no active account" in response.text


def test_an_id_token_with_another_nonce_is_refused(idp):
    UserFactory(email="wijkwerker@gemeente.test")
    IDP.email = "wijkwerker@gemeente.test"
    IDP.forge_nonce = True
    session, response = sso_login(idp)
    assert response.status_code == 403
    assert "hoorde niet bij deze inlogpoging" in response.text
    assert not SocialAccount.objects.exists()
    assert not logged_in(session, idp)
    [event] = SecurityEvent.objects.filter(kind=SecurityEventKind.SSO_REFUSED)
    assert event.detail == "nonce klopt niet"


def test_a_callback_with_a_wrong_state_or_a_replay_is_refused(idp):
    UserFactory(email="wijkwerker@gemeente.test")
    IDP.email = "wijkwerker@gemeente.test"
    session, url = callback_url(idp)
    parts = urlparse(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    forged = f"{idp}{parts.path}?{urlencode({**query, 'state': 'niet-de-goede-state'})}"
    refused = session.get(forged)
    assert refused.status_code == 403
    assert "hoorde niet bij deze inlogpoging" in refused.text
    assert not logged_in(session, idp)

    assert session.get(f"{idp}{parts.path}?{parts.query}").url == f"{idp}/casussen/"
    session.post(
        f"{idp}/uitloggen/",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
    )
    replay = session.get(f"{idp}{parts.path}?{parts.query}")
    assert replay.status_code == 403
    assert not logged_in(session, idp)
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.SSO_REFUSED).count() == 2
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.SSO_LOGIN).count() == 1
