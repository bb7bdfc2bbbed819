"""A real OpenID Connect provider for the SSO tests: django-oauth-toolkit's, mounted under
/idp/ next to the app on the live server (this module is the test-only URLconf).

The identity provider "logs in" the person the test names in IDP.email, without touching the
app's own session: the provider's authorisation view runs as a separate IdP principal
account, and the e-mail claim is what the test says. Everything after that is the real
protocol: code, state, nonce, PKCE, the token exchange, the signed ID token and its JWKS, and
userinfo, all over HTTP between allauth and this provider."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from oauth2_provider import views as dot
from oauth2_provider.oauth2_validators import OAuth2Validator

from config.urls import urlpatterns as app_urlpatterns


@dataclass
class IdPState:
    principal_email: str = ""  # the IdP-side account that authorises
    email: str = ""  # the e-mail claim the IdP vouches for
    forge_nonce: bool = False


IDP = IdPState()


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever the scope

    def get_additional_claims(self, request):
        return {"email": IDP.email, "email_verified": True, "name": "Test Persoon"}

    def finalize_id_token(self, id_token, token, token_handler, request):
        if IDP.forge_nonce:
            request.nonce = "a-nonce-this-login-never-sent"
            id_token.pop("nonce", None)
        return super().finalize_id_token(id_token, token, token_handler, request)


class AuthorizeAsTestPerson(dot.AuthorizationView):
    def dispatch(self, request, *args, **kwargs):
        from accounts.models import User

        request.user = User.objects.get(email=IDP.principal_email)
        return super().dispatch(request, *args, **kwargs)


def public(view):
    return login_not_required(view)


idp_urlpatterns = [
    path("authorize/", public(AuthorizeAsTestPerson.as_view()), name="authorize"),
    path("token/", public(dot.TokenView.as_view()), name="token"),
    path("userinfo/", public(dot.UserInfoView.as_view()), name="user-info"),
    path(
        ".well-known/openid-configuration",
        public(dot.ConnectDiscoveryInfoView.as_view()),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", public(dot.JwksInfoView.as_view()), name="jwks-info"),
]

urlpatterns = [
    path("idp/", include((idp_urlpatterns, "oauth2_provider"))),
    *app_urlpatterns,
]
