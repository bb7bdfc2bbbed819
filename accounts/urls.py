from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    # The same addresses as account_login/account_logout (accounts/auth_urls.py), which
    # allauth reverses; these names are the ones our templates use.
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("coordinatie/", views.CoordinatorHomeView.as_view(), name="coordinator_home"),
    path("mijn-account/", views.account, name="account"),
    path("mijn-account/sessies/beeindigen/", views.session_end, name="session_end"),
    path("mijn-account/wachtwoord/", views.password_change, name="password_change"),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        views.PasswordLinkView.as_view(),
        name="password_link",
    ),
    path("uitnodiging/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
]
