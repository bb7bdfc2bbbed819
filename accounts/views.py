from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import UserPassesTestMixin
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import TemplateView

from accounts import services
from accounts.constants import Role
from accounts.forms import EmailLoginForm, OwnPasswordChangeForm, SessionEndForm
from accounts.net import client_ip
from accounts.selectors import sso_login_option, user_landing_url, user_sessions_live
from accounts.tokens import invitation_tokens, password_link_tokens


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


@require_http_methods(["GET"])
def account(request):
    """Mijn account: the user's active sessions, which they can end, and the password."""
    sessions = user_sessions_live(
        user=request.user, current_session_key=request.session.session_key
    )
    context = {
        "sessions": sessions,
        "idle_minutes": int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60),
        "limit_hours": f"{settings.SESSION_ABSOLUTE_LIMIT.total_seconds() / 3600:g}",
    }
    return render(request, "accounts/account.html", context)


@require_POST
def session_end(request):
    form = SessionEndForm(request.POST)
    if form.is_valid() and form.cleaned_data["session"] == "others":
        count = services.sessions_end(
            user=request.user,
            actor=request.user,
            keep_session_key=request.session.session_key,
            ip_address=client_ip(request),
            reason="door gebruiker",
        )
        messages.success(
            request, _("Uw andere sessies zijn beëindigd (%(count)d).") % {"count": count}
        )
        return redirect("accounts:account")
    ended = form.is_valid() and services.session_end_one(
        user=request.user,
        public_id=form.cleaned_data["session"],
        current_session_key=request.session.session_key,
        ip_address=client_ip(request),
    )
    if not ended:
        messages.error(request, _("Deze sessie bestaat niet (meer). Er is niets veranderd."))
        return redirect("accounts:account")
    messages.success(request, _("De sessie is beëindigd."))
    return redirect("accounts:account")


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_change(request):
    """A user changes their own password; their other sessions end."""
    form = OwnPasswordChangeForm(
        request.user, request.POST if request.method == "POST" else None, request=request
    )
    if request.method == "POST" and form.is_valid():
        user = services.user_change_password(
            user=request.user,
            password=form.cleaned_data["new_password1"],
            keep_session_key=request.session.session_key,
            ip_address=client_ip(request),
        )
        update_session_auth_hash(request, user)
        messages.success(
            request, _("Uw wachtwoord is gewijzigd. Uw andere sessies zijn beëindigd.")
        )
        return redirect("accounts:account")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@method_decorator(sensitive_post_parameters(), name="dispatch")
class PasswordLinkView(auth_views.PasswordResetConfirmView):
    """Set a password through a one-time link sent by a Beheerder. A used, expired or
    altered link (or one for a deactivated account) is refused and changes nothing."""

    template_name = "accounts/password_set.html"
    token_generator = password_link_tokens
    reset_url_token = "instellen"
    invitation = False

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        services.user_set_password_from_link(
            user=self.user,
            password=form.cleaned_data["new_password1"],
            invitation=self.invitation,
            ip_address=client_ip(self.request),
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Uw wachtwoord is ingesteld. U kunt nu inloggen."))
        return redirect("accounts:login")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "invitation": self.invitation}

    def render_to_response(self, context, **response_kwargs):
        if not self.validlink:
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


class InvitationView(PasswordLinkView):
    token_generator = invitation_tokens
    invitation = True
