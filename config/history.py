"""The back office's base for content: history pages (django-simple-history) and optimistic
concurrency (config.concurrency: a stale save gets the conflict page, nothing is lost)."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from config.concurrency import VersionedAdminMixin


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
            try:
                for item in value if isinstance(value, list) else [value]:
                    field.target_field.to_python(item)
            except ValidationError:
                del initial[name]
        return initial
