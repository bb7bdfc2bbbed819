"""The one content-loader interface (glossary, social map, guides; see load_content).

A loader reads its file and, for each entry, calls `content_sync()` with the row (existing or
new) and the values the file wants, keyed by field (`title_nl`, `organisation_id`, a
many-to-many name, or a pseudo-field the loader reads itself). Every content row keeps, in
its `content_hashes` column, a hash per field of the file's value at the last load ("file")
and of the row as that load wrote it ("row"). On the next load:

- a missing row is created;
- a row whose values differ from what the last load wrote was changed in the back office:
  it is kept as it is (skipped), never reverted;
- a row the back office archived is never published again (skipped);
- a row whose file values did not change is left alone (unchanged: no save, no history);
- otherwise the row is updated with the file's values.

Field lists are the loaders' own: a field added to a loader later (no hash yet) is filled
when empty and counts as a back-office edit when it already holds something else.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

Values = dict[str, Any]


@dataclass
class ContentReport:
    """What one loader did: created, updated, unchanged, and skipped (kept a back-office
    edit or an archived entry); `skipped_keys` names the latter for the operator."""

    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    skipped_keys: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (
            f"{self.name}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped (kept back-office edits)"
        )
        if self.skipped_keys:
            text += ": " + ", ".join(self.skipped_keys)
        for note in self.notes:
            text += f"\n  {note}"
        return text

    def add(self, other: "ContentReport") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.skipped += other.skipped
        self.skipped_keys += other.skipped_keys
        self.notes += other.notes


def digest(value: Any) -> str:
    if isinstance(value, set | frozenset):
        value = sorted(value, key=str)
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _empty(value: Any) -> bool:
    return value in (None, "", [], (), {}, set(), frozenset(), False)


def current_values(obj: models.Model, keys: Iterable[str], readers: dict | None = None) -> Values:
    """The row's values for `keys`: a reader where given, the pk set of a many-to-many, or
    the attribute."""
    readers = readers or {}
    values = {}
    many_to_many = {f.name for f in obj._meta.many_to_many}
    for key in keys:
        if key in readers:
            values[key] = readers[key](obj)
        elif key in many_to_many:
            values[key] = set(getattr(obj, key).values_list("pk", flat=True)) if obj.pk else set()
        else:
            values[key] = getattr(obj, key)
    return values


def set_fields(obj: models.Model, wanted: Values) -> None:
    """Copy the plain field values of `wanted` onto `obj` (relations are the saver's job)."""
    attnames = {f.attname for f in obj._meta.concrete_fields}
    for key, value in wanted.items():
        if key in attnames:
            setattr(obj, key, value)


def content_sync(
    *,
    obj: models.Model,
    key: str,
    wanted: Values,
    save: Callable[[models.Model, Values], models.Model],
    report: ContentReport,
    readers: dict[str, Callable[[models.Model], Any]] | None = None,
    archived: bool = False,
    now: Values | None = None,
) -> tuple[models.Model, str]:
    """Create, update or keep one row (see the module docstring). `save(obj, wanted)` writes
    through the app's service (fields are already set). Returns the row and what happened:
    "created", "updated", "unchanged" or "skipped". `now` gives the row's values as they were
    before this load began, where the load itself changes them (symmetric relations)."""
    hashes = obj.content_hashes or {}
    file_hashes, row_hashes = hashes.get("file", {}), hashes.get("row", {})
    wanted_hashes = {name: digest(value) for name, value in wanted.items()}
    if obj.pk is None:
        outcome = "created"
    else:
        now = now if now is not None else current_values(obj, wanted, readers)
        if archived or _edited(now, wanted, row_hashes):
            report.skipped += 1
            report.skipped_keys.append(key)
            return obj, "skipped"
        if all(file_hashes.get(name) == value for name, value in wanted_hashes.items()):
            report.unchanged += 1
            return obj, "unchanged"
        if all(digest(now[name]) == wanted_hashes[name] for name in wanted):
            # Already as the file says (e.g. loaded before rows kept hashes): record only.
            _store(obj, wanted_hashes, {n: digest(v) for n, v in now.items()})
            report.unchanged += 1
            return obj, "unchanged"
        outcome = "updated"
    set_fields(obj, wanted)
    obj = save(obj, wanted)
    obj.refresh_from_db()  # services normalise values; prefetched relations are stale now
    written = current_values(obj, wanted, readers)
    _store(obj, wanted_hashes, {name: digest(value) for name, value in written.items()})
    setattr(report, outcome, getattr(report, outcome) + 1)
    return obj, outcome


def _edited(now: Values, wanted: Values, row_hashes: dict) -> bool:
    for name, value in now.items():
        if name in row_hashes:
            if digest(value) != row_hashes[name]:
                return True
        elif not _empty(value) and digest(value) != digest(wanted[name]):
            # Not loaded before (a new field, or a row from before hashes were kept) and
            # holding something else than the file: somebody wrote it.
            return True
    return False


def _store(obj: models.Model, file_hashes: dict, row_hashes: dict) -> None:
    """Bookkeeping only: a queryset update, so no history row and no `updated_at` change."""
    hashes = obj.content_hashes or {}
    merged = {
        "file": {**hashes.get("file", {}), **file_hashes},
        "row": {**hashes.get("row", {}), **row_hashes},
    }
    type(obj)._default_manager.filter(pk=obj.pk).update(content_hashes=merged)
    obj.content_hashes = merged
