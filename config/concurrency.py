"""Nothing typed is lost (issue 11): optimistic concurrency for every editable record.

Each editable row carries a `version` column. An editor's form holds the version it was
built from; a save claims the next version with one compare-and-swap statement,

    UPDATE … SET version = n + 1 WHERE id = … AND version = n

inside the transaction that then writes the row. Of two saves based on the same version,
exactly one claims it; the other finds no row and raises VersionConflict, whatever the
caller (a page, the back office, a command). The statement is atomic on SQLite and
PostgreSQL alike; on PostgreSQL a second claim waits for the first transaction to commit,
then re-reads the row, finds version n + 1 and claims nothing.

The caller then shows a conflict page: the other person's text beside the user's own, the
user's text kept in the form, and the form moved to the new version so that saving again
is a deliberate merge.

Why a column of our own and not django-concurrency: its model-level patch of `_do_update`
would also apply to simple-history's copies and to the content loader, its admin answers a
stale save with an untranslated "Record Modified" and keeps the stale version (so the user
can only start over), and the case pages need the same check outside the admin. The claim
below is the one rule; services call it, and `VersionedAdminMixin` (config/history.py uses
it for every back-office page with history) shows the conflict.
"""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import model_to_dict
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VERSION = "version"


class VersionConflict(Exception):
    """A save based on a version that is no longer the row's: someone saved in between."""

    def __init__(self, seen: int | None = None, current: int | None = None):
        super().__init__("stale version")
        self.seen = seen
        self.current = current


def version_field() -> models.PositiveIntegerField:
    """The column every editable record carries (one definition, so all behave alike)."""
    return models.PositiveIntegerField(gettext_lazy("versie"), default=1, editable=False)


def is_versioned(model) -> bool:
    return any(field.name == VERSION for field in model._meta.concrete_fields)


def version_claim(obj: models.Model, *, seen: int | None = None) -> None:
    """Claim the next version of `obj`'s row, or raise VersionConflict when the row is no
    longer at the version the editor saw (`seen`, or `obj.version` as loaded or set by a
    form). A new row (not yet saved) claims nothing. Call it inside the transaction that
    saves the row, before the save; the save then writes the claimed version."""
    if obj._state.adding or obj.pk is None:
        return
    seen = obj.version if seen is None else seen
    manager = type(obj)._base_manager
    if not manager.filter(pk=obj.pk, version=seen).update(version=seen + 1):
        current = manager.filter(pk=obj.pk).values_list(VERSION, flat=True).first()
        raise VersionConflict(seen=seen, current=current)
    obj.version = seen + 1


def version_bump(queryset: models.QuerySet, **values) -> int:
    """Update rows and move each to its next version, so a form built before this change
    is recognised as stale."""
    return queryset.update(version=models.F(VERSION) + 1, **values)


# --- Showing a conflict ---------------------------------------------------------------------


def display_value(obj: models.Model, name: str) -> str:
    """A field's value as a reader recognises it: the label of a choice, the name of a
    related row, the names of many, yes/no, or the text itself."""
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(item) for item in getattr(obj, name).all()) or "—"
    value = getattr(obj, name)
    if field.choices and not isinstance(value, list):
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if value in (None, ""):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(localize(value))


def _model_field_names(form) -> list[str]:
    model = form._meta.model
    names = {f.name for f in model._meta.get_fields() if getattr(f, "concrete", False)}
    names |= {f.name for f in model._meta.many_to_many}
    return [name for name in form.fields if name != VERSION and name in names]


class VersionedModelFormMixin:
    """A ModelForm that carries the version its editor saw (a hidden field) and, when the
    row moved on since, refuses to validate: every field whose stored value differs from
    what the user sends gets the stored value as its error, the user's input stays in the
    form, and the hidden version moves to the stored one, so saving again merges on
    purpose. The save itself claims the version (version_claim), so a save that slips
    between this check and the write is refused as well."""

    conflict: VersionConflict | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[VERSION] = forms.IntegerField(
            widget=forms.HiddenInput, min_value=0, required=self.instance.pk is not None,
            initial=self.instance.version if self.instance.pk else None,
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get(VERSION)
        if self.instance.pk is None or seen is None:
            return cleaned
        stored = self._stored()
        if stored is not None and stored.version != seen:
            self._refuse(stored, seen)
        else:
            self.instance.version = seen
        return cleaned

    def _stored(self) -> models.Model | None:
        return type(self.instance)._base_manager.filter(pk=self.instance.pk).first()

    def _refuse(self, stored: models.Model, seen: int) -> None:
        self.conflict = VersionConflict(seen=seen, current=stored.version)
        self.add_error(
            None,
            _(
                "Iemand anders heeft dit opgeslagen terwijl u het bewerkte. Er is niets "
                "opgeslagen. Uw tekst staat nog in het formulier; bij elk veld dat verschilt "
                "staat wat nu is opgeslagen. Neem over wat u wilt houden en sla opnieuw op."
            ),
        )
        names = _model_field_names(self)
        stored_values = model_to_dict(stored, fields=names)
        for name in names:
            field = self.fields[name]
            sent = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if field.has_changed(stored_values.get(name), sent):
                self.add_error(
                    name,
                    ValidationError(
                        _("Nu opgeslagen (door een ander): %(value)s"),
                        params={"value": display_value(stored, name)},
                        code="conflict",
                    ),
                )
        # Saving again is a merge against the stored version.
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION)] = str(stored.version)


def _strip_version(kwargs: dict, fieldsets) -> None:
    """The version is the form's own hidden field, not a model form field: keep it out of
    the fields the model form is built from (an explicit `fields=None`, Django's way of
    asking for every field, is left alone)."""
    if "fields" in kwargs and kwargs["fields"] is None:
        return
    fields = kwargs.get("fields") or flatten_fieldsets(fieldsets())
    kwargs["fields"] = [name for name in fields if name != VERSION]


def with_version(form_class):
    if issubclass(form_class, VersionedModelFormMixin):
        return form_class
    return type(form_class.__name__, (VersionedModelFormMixin, form_class), {})


class VersionedAdminMixin:
    """The back office's optimistic concurrency, for any ModelAdmin whose model has a
    `version` column (others are left alone). The change form carries the version; a stale
    save gets the conflict page (status 409): the stored text at each differing field, the
    user's text kept, the form moved to the stored version. `save_model` claims the
    version; an admin whose `save_model` calls a service instead must let that service
    call `version_claim`. Inherit it (config.history.HistoryAdmin does) to get all of it."""

    def _versioned(self) -> bool:
        return is_versioned(self.model)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._versioned() or obj is None or VERSION in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        options = {**options, "fields": [*options.get("fields", ()), VERSION]}
        return [(name, options), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not self._versioned():
            return super().get_form(request, obj, change=change, **kwargs)
        _strip_version(kwargs, lambda: self.get_fieldsets(request, obj))
        if getattr(request, "versioned_revert", False) and obj is not None and obj.pk:
            stored = self.model._base_manager.filter(pk=obj.pk).values_list(VERSION, flat=True)
            obj.version = stored.first() or obj.version
        return with_version(super().get_form(request, obj, change=change, **kwargs))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting to an old version is a save over the current one: its form carries the
        # current version, not the old one's (see get_form).
        request.versioned_revert = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if self._versioned():
            version_claim(obj)
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except VersionConflict:
            # Someone saved between this form's check and its write (all of it rolled
            # back). Run the form again: it now sees the stored version and refuses.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        forms_ = [context["adminform"].form] if "adminform" in context else []
        for formset in context.get("inline_admin_formsets", []):
            forms_ += list(formset.formset.forms)
        if any(getattr(form, "conflict", None) for form in forms_):
            response.status_code = 409
        return response


class VersionedInlineMixin:
    """The same for the rows of an inline (each row carries its own version): a row
    changed by someone else meanwhile shows the stored text at each differing field."""

    def get_formset(self, request, obj=None, **kwargs):
        if not is_versioned(self.model):
            return super().get_formset(request, obj, **kwargs)
        _strip_version(kwargs, lambda: self.get_fieldsets(request, obj))
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = with_version(formset.form)
        return type(formset.__name__, (VersionClaimingFormSet, formset), {})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not is_versioned(self.model) or VERSION in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        options = {**options, "fields": [*options.get("fields", ()), VERSION]}
        return [(name, options), *rest]


class VersionClaimingFormSet:
    """An inline formset whose changed rows claim their version before they are saved."""

    def save_existing(self, form, obj, commit=True):
        if commit:
            version_claim(obj)
        return super().save_existing(form, obj, commit=commit)
