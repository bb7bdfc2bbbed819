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


@functools.cache
def _fields(typed_dict) -> tuple[dict, frozenset]:
    return typing.get_type_hints(typed_dict), typed_dict.__required_keys__


def _check(value, hint, path: str) -> None:
    origin = typing.get_origin(hint)
    if typing.is_typeddict(hint):
        if not isinstance(value, dict):
            _fail(path, f"expected an object, found {type(value).__name__}")
        hints, required = _fields(hint)
        missing = sorted(required - value.keys())
        if missing:
            _fail(path, f"missing {', '.join(missing)}")
        unknown = sorted(str(key) for key in value.keys() - hints.keys())
        if unknown:
            _fail(path, f"unknown {', '.join(unknown)}")
        for key, sub in hints.items():
            if key in value:
                _check(value[key], sub, f"{path}.{key}" if path else key)
    elif origin in (typing.Union, types.UnionType):
        errors = []
        for option in typing.get_args(hint):
            try:
                _check(value, option, path)
                return
            except SnapshotError as error:
                errors.append(str(error))
        _fail(path, f"none of the allowed shapes fits ({'; '.join(errors)})")
    elif origin is Literal:
        # True == 1, but true is not schema 1.
        args = typing.get_args(hint)
        if not any(value == a and isinstance(value, bool) == isinstance(a, bool) for a in args):
            allowed = ", ".join(repr(arg) for arg in args)
            _fail(path, f"expected one of {allowed}, found {value!r}")
    elif origin is list:
        if not isinstance(value, list):
            _fail(path, f"expected a list, found {type(value).__name__}")
        (item,) = typing.get_args(hint)
        for index, element in enumerate(value):
            _check(element, item, f"{path}[{index}]")
    elif origin is dict:
        if not isinstance(value, dict):
            _fail(path, f"expected an object, found {type(value).__name__}")
        _key, item = typing.get_args(hint)
        for key, element in value.items():
            _check(element, item, f"{path}.{key}")
    elif hint is type(None):
        if value is not None:
            _fail(path, f"expected null, found {type(value).__name__}")
    elif hint is bool:
        if not isinstance(value, bool):
            _fail(path, f"expected true or false, found {value!r}")
    elif hint is str:
        if not isinstance(value, str):
            _fail(path, f"expected text, found {type(value).__name__}")
    else:  # pragma: no cover - a hint this checker does not know is a bug here
        raise TypeError(f"cannot check {hint!r}")


def check_snapshot(value) -> GuideSnapshot:
    """`value` as a GuideSnapshot, after checking its whole shape (keys, types, allowed
    values; every step key once). Raises SnapshotError."""
    _check(value, GuideSnapshot, "")
    counts = Counter(step["key"] for step in value["steps"])
    duplicates = sorted(key for key, count in counts.items() if count > 1)
    if duplicates:
        _fail("steps", f"step keys used twice: {', '.join(duplicates)}")
    return value
