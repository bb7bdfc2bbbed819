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
]
