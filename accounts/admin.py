from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import selectors, services
from accounts.constants import Role
from accounts.models import Region, SecurityEvent, Team, User
from accounts.net import client_ip
from config.admin import ReadOnlyAdmin


class RoleFormMixin(forms.Form):
    role = forms.ChoiceField(label=_("rol"), choices=Role.choices)


class UserInviteForm(RoleFormMixin, forms.ModelForm):
    """A new user: no password field. The user sets their own through the invitation."""

    class Meta:
        model = User
        fields = ("email", "display_name", "team")


class UserEditForm(RoleFormMixin, forms.ModelForm):
    """No password here either: a Beheerder sends a reset link (action) instead."""

    class Meta:
        model = User
        fields = ("email", "display_name", "team", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.role:
            self.fields["role"].initial = self.instance.role.value


class RoleListFilter(admin.SimpleListFilter):
    """Filter users by role, with the role's name in the page's language (the group's name
    is the Dutch one)."""

    title = _("rol")
    parameter_name = "rol"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(groups__name=self.value())
        return queryset


def role_name(group: Group) -> str:
    """A role group's name in the page's language; another group keeps its own name."""
    return Role(group.name).label if group.name in Role.values else group.name


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Users get one role through the role field; the services set groups and staff access,
    log every change and end sessions. A Beheerder never sets or sees a password: they invite
    (add), send a reset link, end sessions or deactivate. Superuser status and loose
    permissions are not editable here."""

    form = UserEditForm
    add_form = UserInviteForm
    ordering = ["email"]
    list_display = ["email", "display_name", "team", "role_label", "is_active", "last_login"]
    list_filter = [RoleListFilter, "is_active", "team__region"]
    search_fields = ["email", "display_name"]
    list_select_related = ["team__region"]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["send_password_link", "end_sessions", "deactivate"]
    fieldsets = (
        (None, {"fields": ("email",)}),
        (_("Gegevens"), {"fields": ("display_name", "team", "role", "is_active")}),
        (_("Datums"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "fields": ("email", "display_name", "team", "role"),
                "description": _(
                    "De gebruiker krijgt een e-mail met een link om zelf een wachtwoord te "
                    "kiezen. Niemand anders kent dat wachtwoord."
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("rol"))
    def role_label(self, obj):
        return obj.role.label if obj.role else "—"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.user_update(
                user=obj,
                actor=request.user,
                email=data["email"],
                display_name=data["display_name"],
                team=data["team"],
                role=Role(data["role"]),
                is_active=data["is_active"],
                ip_address=client_ip(request),
            )
            return
        user = services.user_invite(
            email=data["email"],
            display_name=data["display_name"],
            team=data["team"],
            role=Role(data["role"]),
            actor=request.user,
            base_url=request.build_absolute_uri("/"),
            ip_address=client_ip(request),
        )
        # The admin goes on with `obj` (the log entry, the redirect): make it the saved user.
        obj.pk, obj.password, obj.email = user.pk, user.password, user.email
        obj._state.adding = False
        messages.info(
            request, _("Er is een uitnodiging gestuurd naar %(email)s.") % {"email": user.email}
        )

    @admin.action(description=_("Link voor een nieuw wachtwoord sturen"))
    def send_password_link(self, request, queryset):
        sent = 0
        for user in queryset:
            try:
                services.user_send_password_link(
                    user=user,
                    actor=request.user,
                    base_url=request.build_absolute_uri("/"),
                    ip_address=client_ip(request),
                )
            except ValidationError as exc:
                self.message_user(
                    request, f"{user.email}: {' '.join(exc.messages)}", messages.WARNING
                )
            else:
                sent += 1
        self.message_user(
            request,
            ngettext("%(count)d link verstuurd.", "%(count)d links verstuurd.", sent)
            % {"count": sent},
        )

    @admin.action(description=_("Sessies beëindigen"))
    def end_sessions(self, request, queryset):
        ended = sum(
            services.sessions_end(
                user=user,
                actor=request.user,
                ip_address=client_ip(request),
                reason="door beheerder",
            )  # fmt: skip
            for user in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)d sessie beëindigd.", "%(count)d sessies beëindigd.", ended)
            % {"count": ended},
        )

    @admin.action(description=_("Deactiveren"))
    def deactivate(self, request, queryset):
        users = [user for user in queryset if user.is_active and user.pk != request.user.pk]
        for user in users:
            services.user_deactivate(user=user, actor=request.user, ip_address=client_ip(request))
        self.message_user(
            request,
            ngettext(
                "%(count)d gebruiker gedeactiveerd.",
                "%(count)d gebruikers gedeactiveerd.",
                len(users),
            )  # fmt: skip
            % {"count": len(users)},
        )


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """The roles (Django groups), read by the Beheerder; names in the page's language."""

    list_display = ["name_shown"]

    @admin.display(description=_("rol"), ordering="name")
    def name_shown(self, obj):
        return role_name(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        group = self.get_object(request, object_id)
        if group is not None:
            extra_context = {**(extra_context or {}), "subtitle": role_name(group)}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    """The security log, read-only for the Beheerder: nobody adds, changes or deletes."""

    list_display = ["occurred_at", "kind", "actor", "subject", "ip_address", "detail_shown"]
    readonly_fields = ["detail_shown"]
    list_filter = ["kind", "occurred_at"]
    search_fields = ["actor__email", "subject__email", "detail"]
    list_select_related = ["actor", "subject"]
    list_per_page = 100

    @admin.display(description=_("toelichting"))
    def detail_shown(self, obj):
        return selectors.security_event_detail(event=obj)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "team_count"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(team_count=Count("teams"))

    @admin.display(description=_("teams"), ordering="team_count")
    def team_count(self, obj):
        return obj.team_count


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "member_count"]
    list_filter = ["region"]
    search_fields = ["name", "region__name"]
    list_select_related = ["region"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("leden"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    def save_model(self, request, obj, form, change):
        services.team_save(team=obj, actor=request.user, ip_address=client_ip(request))
