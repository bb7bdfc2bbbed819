"""The shape of a published guide (GuideVersion.snapshot), typed and checked.

A snapshot is plain JSON so a case keeps reading the version it started with, whatever the
models become. Its shape is written down once here, as TypedDicts, and checked whenever a
snapshot is written or read (guidance.models.SnapshotField): a malformed snapshot fails with
the path of the first bad value, not with a KeyError in a worker's browser.
"""

import functools
import types
import typing
from collections import Counter
from typing import Literal, TypedDict

SNAPSHOT_SCHEMA = 1
GUIDE_SOURCE = "guide"
HONOUR_SOURCE = "honour_branch"

# Per language code ("nl", "en", …): the text in that language ("" when not written).
Texts = dict[str, str]
# Per language code: one item per line (checklists, do's and don'ts).
Lines = dict[str, list[str]]


class StepSpec(TypedDict):
    key: str
    source: Literal["guide", "honour_branch"]
    title: Texts
    body: Texts
    kind: str
    involves_parent_contact: bool
    branch: Literal["always", "honour", "not_honour"]
    may_be_not_applicable: bool
    checklist: Lines
    dos: Lines
    donts: Lines
    terms: list[str]
    routes: list[str]
    resources: list[str]


class QuestionSpec(TypedDict):
    key: str
    text: Texts
    help_text: Texts
    is_honour_signal: bool


class GuideInfo(TypedDict):
    slug: str
    title: Texts
    situation: Texts
    introduction: Texts


class HonourBranchInfo(TypedDict):
    slug: str
    title: Texts


class GuideSnapshot(TypedDict):
    schema: Literal[1]
    guide: GuideInfo
    honour_branch: HonourBranchInfo | None
    questions: list[QuestionSpec]
    steps: list[StepSpec]


class SnapshotError(ValueError):
    """A snapshot that does not have the shape of GuideSnapshot. The message names the first
    bad value by its path, e.g. `steps[3].branch`."""


def _fail(path: str, message: str) -> typing.NoReturn:
    raise SnapshotError(f"Malformed guide snapshot at {path or 'the top'}: {message}")


def _checker(hint):
    """A function that checks a value against `hint` (and its parts), built once per hint:
    a snapshot is read on every case page, so the type hints are not walked per read."""
    origin = typing.get_origin(hint)
    if typing.is_typeddict(hint):
        fields = {key: _checker(sub) for key, sub in typing.get_type_hints(hint).items()}
        required = hint.__required_keys__

        def check_object(value, path):
            if not isinstance(value, dict):
                _fail(path, f"expected an object, found {type(value).__name__}")
            missing = sorted(required - value.keys())
            if missing:
                _fail(path, f"missing {', '.join(missing)}")
            unknown = sorted(str(key) for key in value.keys() - fields.keys())
            if unknown:
                _fail(path, f"unknown {', '.join(unknown)}")
            for key, check in fields.items():
                if key in value:
                    check(value[key], f"{path}.{key}" if path else key)

        return check_object
    if origin in (typing.Union, types.UnionType):
        options = [_checker(option) for option in typing.get_args(hint)]

        def check_union(value, path):
            errors = []
            for check in options:
                try:
                    check(value, path)
                    return
                except SnapshotError as error:
                    errors.append(str(error))
            _fail(path, f"none of the allowed shapes fits ({'; '.join(errors)})")

        return check_union
    if origin is Literal:
        args = typing.get_args(hint)
        allowed = ", ".join(repr(arg) for arg in args)

        def check_literal(value, path):
            # True == 1, but true is not schema 1.
            if not any(value == a and isinstance(value, bool) == isinstance(a, bool) for a in args):
                _fail(path, f"expected one of {allowed}, found {value!r}")

        return check_literal
    if origin is list:
        (item,) = typing.get_args(hint)
        check_item = _checker(item)

        def check_list(value, path):
            if not isinstance(value, list):
                _fail(path, f"expected a list, found {type(value).__name__}")
            for index, element in enumerate(value):
                check_item(element, f"{path}[{index}]")

        return check_list
    if origin is dict:
        _key, item = typing.get_args(hint)
        if item is str:  # Texts: the common case, checked in one pass

            def check_texts(value, path):
                if not isinstance(value, dict):
                    _fail(path, f"expected an object, found {type(value).__name__}")
                for key, element in value.items():
                    if not isinstance(element, str):
                        _fail(f"{path}.{key}", f"expected text, found {type(element).__name__}")

            return check_texts
        check_item = _checker(item)

        def check_dict(value, path):
            if not isinstance(value, dict):
                _fail(path, f"expected an object, found {type(value).__name__}")
            for key, element in value.items():
                check_item(element, f"{path}.{key}")

        return check_dict
    if hint is type(None):

        def check_none(value, path):
            if value is not None:
                _fail(path, f"expected null, found {type(value).__name__}")

        return check_none
    if hint is bool:

        def check_bool(value, path):
            if not isinstance(value, bool):
                _fail(path, f"expected true or false, found {value!r}")

        return check_bool
    if hint is str:

        def check_str(value, path):
            if not isinstance(value, str):
                _fail(path, f"expected text, found {type(value).__name__}")

        return check_str
    raise TypeError(f"cannot check {hint!r}")  # pragma: no cover - a bug here, not in data


@functools.cache
def _snapshot_checker():
    return _checker(GuideSnapshot)


def check_snapshot(value) -> GuideSnapshot:
    """`value` as a GuideSnapshot, after checking its whole shape (keys, types, allowed
    values; every step key once). Raises SnapshotError."""
    _snapshot_checker()(value, "")
    counts = Counter(step["key"] for step in value["steps"])
    duplicates = sorted(key for key, count in counts.items() if count > 1)
    if duplicates:
        _fail("steps", f"step keys used twice: {', '.join(duplicates)}")
    return value
