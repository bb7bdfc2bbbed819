from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import Region, Team, User
from accounts.services import user_assign_role

admin.site.site_header = _("Gesprekswijzer — beheer")
admin.site.site_title = _("Gesprekswijzer beheer")
admin.site.index_title = _("Beheer")


class RoleFormMixin(forms.Form):
    role = forms.ChoiceField(label=_("rol"), choices=Role.choices)


class UserCreationForm(RoleFormMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name", "team")


class UserEditForm(RoleFormMixin, UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "display_name", "team", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.role:
            self.fields["role"].initial = self.instance.role.value


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users get one role through the role field; the service sets groups and staff access.
    Superuser status and loose permissions are not editable here."""

    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "display_name", "team", "role_label", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "team__region"]
    search_fields = ["email", "display_name"]
    list_select_related = ["team__region"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Gegevens"), {"fields": ("display_name", "team", "role", "is_active")}),
        (_("Datums"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "team", "role", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("rol"))
    def role_label(self, obj):
        return obj.role.label if obj.role else "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        user_assign_role(user=obj, role=Role(form.cleaned_data["role"]))


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
