"""The back office's base for content: history pages (django-simple-history) and optimistic
concurrency (config.concurrency: a stale save gets the conflict page, nothing is lost)."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
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
