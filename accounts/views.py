from allauth.account import views as allauth_views
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import UserPassesTestMixin
from django.shortcuts import redirect
from django.views.generic import TemplateView

from accounts.constants import Role
from accounts.forms import EmailLoginForm
from accounts.selectors import sso_login_option, user_landing_url


class LoginView(allauth_views.LoginView):
    """allauth's login (e-mail and password, then the second factor), on our own page."""

    template_name = "accounts/login.html"
    form_class = EmailLoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_provider"] = sso_login_option()
        return context


class LogoutView(auth_views.LogoutView):
    pass


def home(request):
    """The start address sends everyone to the page that fits their role."""
    return redirect(user_landing_url(user=request.user))


class RoleRequiredMixin(UserPassesTestMixin):
    roles: tuple[Role, ...] = ()

    def test_func(self):
        return self.request.user.role in self.roles


class CoordinatorHomeView(RoleRequiredMixin, TemplateView):
    roles = (Role.COORDINATOR,)
    template_name = "accounts/coordinator_home.html"
