from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import UserPassesTestMixin
from django.shortcuts import redirect
from django.views.generic import TemplateView

from accounts.constants import Role
from accounts.forms import EmailAuthenticationForm
from accounts.selectors import user_landing_url


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return user_landing_url(user=self.request.user)


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
