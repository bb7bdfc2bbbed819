"""The back office's base for content: history pages (django-simple-history) and optimistic
concurrency (config.concurrency: a stale save gets the conflict page, nothing is lost)."""

from django import forms
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from config.concurrency import VersionedAdminMixin


def usable_key(field, value) -> bool:
    """Whether `value` can be a value of the key `field` (a related model's target field):
    convertible, and for an integer key within the 64 bits every database stores."""
    try:
        value = field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    if isinstance(field, models.IntegerField | models.AutoField) and value is not None:
        return -(2**63) <= value < 2**63
    return True


class _UsableValues:
    """An autocomplete widget that shows only submitted values that can be keys: it looks the
    selected ones up to show them again, and a POSTed `broader=x` (or a number past 64 bits)
    would raise a 500 while rendering the form's error instead of the error."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        value = [item for item in value if item in ("", None) or usable_key(target, item)]
        return super().optgroups(name, value, attr)


class UsableModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a value that cannot be a key before it reaches the database: Django checks
    each value with a lookup that only fails when run, and a number past 64 bits then raises
    OverflowError (SQLite) or DataError (PostgreSQL), a 500, instead of the field's error."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        target = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        for item in value:
            if not usable_key(target, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


class SafeAutocompleteSelect(_UsableValues, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_UsableValues, AutocompleteSelectMultiple):
    pass


class HistoryAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """SimpleHistoryAdmin that answers 404, not 500, to an id that cannot be one: its views
    filter on the raw URL value, and `?id=x` on an integer key raises ValueError. A model
    with a `version` column gets the concurrency check of VersionedAdminMixin with it."""

    def _check(self, object_id: str, version_id: str | None = None) -> None:
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            if version_id is not None:
                int(version_id)
        except (ValidationError, ValueError) as exc:
            raise Http404 from exc

    def history_view(self, request, object_id, extra_context=None):
        self._check(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_changeform_initial_data(self, request):
        """The add page's initial values from the query string (`?guide=3`, as "Stap
        toevoegen" links), without a related id that cannot be one: the autocomplete widget
        would look it up and raise a 500 while rendering."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not field.is_relation:
                continue
            items = value if isinstance(value, list) else [value]
            if not all(usable_key(field.target_field, item) for item in items):
                del initial[name]
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", UsableModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
