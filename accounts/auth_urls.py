"""The URLs django-allauth reverses by name (account_login, mfa_*, openid_connect_*): its
login with the second factor, enrolment and single sign-on. Only the views this app uses:
no signup, no password change or reset, no e-mail management here."""

from allauth.account import views as allauth_views
from allauth.socialaccount import views as social_views
from django.urls import include, path

from accounts import views

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="account_login"),
    path("uitloggen/", views.LogoutView.as_view(), name="account_logout"),
    path("account/bevestigen/", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("account/inactief/", allauth_views.account_inactive, name="account_inactive"),
    path("account/2fa/", include("allauth.mfa.urls")),
    path(
        "account/sso/geannuleerd/",
        social_views.login_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path("account/sso/fout/", social_views.login_error, name="socialaccount_login_error"),
    # /account/sso/<provider_id>/login/ and .../login/callback/
    path("account/", include("allauth.socialaccount.providers.openid_connect.urls")),
]
