"""OpenID Connect details allauth's provider leaves out: a nonce in every authorisation
request, checked against the ID token at the callback (with the state allauth checks itself),
and the e-mail address the identity provider vouches for."""

import hmac
import secrets

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider


class NonceOpenIDConnectProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider, sending a fresh nonce that is kept with the
    (server-side) state of this login attempt."""

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params = {**auth_params, "nonce": nonce}
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )


def nonce_matches(sociallogin) -> bool:
    """True when the ID token carries the nonce this login attempt sent."""
    expected = (sociallogin.state or {}).get("nonce") or ""
    id_token = (sociallogin.account.extra_data or {}).get("id_token") or {}
    received = id_token.get("nonce") or ""
    return bool(expected) and hmac.compare_digest(str(expected), str(received))


def email_of(sociallogin) -> str:
    """The e-mail address from the identity provider (userinfo first, then the ID token)."""
    data = sociallogin.account.extra_data or {}
    for part in ("userinfo", "id_token"):
        email = (data.get(part) or {}).get("email")
        if email:
            return str(email)
    return ""
