"""What a new version of a guide changes against the newest published one.

`guide_diff(old, new)` is a pure function of two snapshots (guidance.snapshot): steps added,
removed, moved and changed (texts side by side, per language), screening questions, and for
every screening outcome the steps that start or stop applying (guidance.branching). The
publish page shows it; nothing here touches the database.
"""

import difflib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from guidance.branching import applicable_steps
from guidance.constants import ScreeningOutcome
from guidance.snapshot import GuideSnapshot, QuestionSpec, StepSpec, Texts

STEP_TEXTS = ("title", "body", "checklist", "dos", "donts")
STEP_VALUES = (
    "kind",
    "branch",
    "involves_parent_contact",
    "may_be_not_applicable",
    "terms",
    "routes",
    "resources",
)
QUESTION_TEXTS = ("text", "help_text")
QUESTION_VALUES = ("is_honour_signal",)
GUIDE_TEXTS = ("title", "situation", "introduction")
OUTCOMES = (ScreeningOutcome.FLAGGED, ScreeningOutcome.CLEAR, ScreeningOutcome.INCOMPLETE)


@dataclass(frozen=True)
class Line:
    text: str
    changed: bool


@dataclass(frozen=True)
class TextChange:
    """One text field in one language, old and new side by side, line by line; `changed`
    marks the lines that differ."""

    field: str
    language: str
    old: tuple[Line, ...]
    new: tuple[Line, ...]


@dataclass(frozen=True)
class ValueChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class ItemRef:
    """A step or question by key, with its title (or question text) and its 1-based place."""

    key: str
    title: Texts
    position: int


@dataclass(frozen=True)
class Move:
    key: str
    title: Texts
    old_position: int
    new_position: int


@dataclass(frozen=True)
class ItemChange:
    key: str
    title: Texts
    texts: tuple[TextChange, ...]
    values: tuple[ValueChange, ...]


@dataclass(frozen=True)
class ItemsDiff:
    added: tuple[ItemRef, ...] = ()
    removed: tuple[ItemRef, ...] = ()
    moved: tuple[Move, ...] = ()
    changed: tuple[ItemChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.moved or self.changed)


@dataclass(frozen=True)
class OutcomeChange:
    """For one screening outcome: the steps that now apply and the ones that no longer do."""

    outcome: ScreeningOutcome
    starts: tuple[ItemRef, ...]
    stops: tuple[ItemRef, ...]


@dataclass(frozen=True)
class GuideDiff:
    guide: tuple[TextChange, ...] = ()
    honour_branch: ValueChange | None = None
    steps: ItemsDiff = field(default_factory=ItemsDiff)
    questions: ItemsDiff = field(default_factory=ItemsDiff)
    outcomes: tuple[OutcomeChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.guide or self.honour_branch or self.steps or self.questions or self.outcomes
        )


def _as_text(value) -> str:
    return "\n".join(value) if isinstance(value, list) else value


def _side_by_side(old: str, new: str) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    old_changed, new_changed = [True] * len(old_lines), [True] * len(new_lines)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for block in matcher.get_matching_blocks():
        old_changed[block.a : block.a + block.size] = [False] * block.size
        new_changed[block.b : block.b + block.size] = [False] * block.size
    return (
        tuple(Line(text, changed) for text, changed in zip(old_lines, old_changed, strict=True)),
        tuple(Line(text, changed) for text, changed in zip(new_lines, new_changed, strict=True)),
    )


def _languages(*texts: dict) -> list[str]:
    languages: list[str] = []
    for text in texts:
        languages += [language for language in text if language not in languages]
    return languages


def _text_changes(old: dict, new: dict, fields: Sequence[str]) -> tuple[TextChange, ...]:
    changes = []
    for name in fields:
        for language in _languages(new[name], old[name]):
            before = _as_text(old[name].get(language, "") or "")
            after = _as_text(new[name].get(language, "") or "")
            if before != after:
                old_lines, new_lines = _side_by_side(before, after)
                changes.append(TextChange(name, language, old_lines, new_lines))
    return tuple(changes)


def _value_changes(old: dict, new: dict, fields: Sequence[str]) -> tuple[ValueChange, ...]:
    return tuple(
        ValueChange(name, old[name], new[name]) for name in fields if old[name] != new[name]
    )


def _longest_common_order(old_keys: list[str], new_keys: list[str]) -> set[str]:
    """The largest set of keys that kept their order relative to each other (the longest
    common subsequence); the other keys that are in both lists moved."""
    rows, cols = len(old_keys), len(new_keys)
    lengths = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            if old_keys[i] == new_keys[j]:
                lengths[i][j] = lengths[i + 1][j + 1] + 1
            else:
                lengths[i][j] = max(lengths[i + 1][j], lengths[i][j + 1])
    kept, i, j = set(), 0, 0
    while i < rows and j < cols:
        if old_keys[i] == new_keys[j]:
            kept.add(old_keys[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return kept


def _items_diff(
    old: Sequence[dict], new: Sequence[dict], *, title: str, texts: Sequence[str], values
) -> ItemsDiff:
    old_by_key = {item["key"]: (place, item) for place, item in enumerate(old, start=1)}
    new_by_key = {item["key"]: (place, item) for place, item in enumerate(new, start=1)}
    added = tuple(
        ItemRef(key, item[title], place)
        for key, (place, item) in new_by_key.items()
        if key not in old_by_key
    )
    removed = tuple(
        ItemRef(key, item[title], place)
        for key, (place, item) in old_by_key.items()
        if key not in new_by_key
    )
    old_common = [item["key"] for item in old if item["key"] in new_by_key]
    new_common = [item["key"] for item in new if item["key"] in old_by_key]
    kept = _longest_common_order(old_common, new_common)
    moved = tuple(
        Move(key, new_by_key[key][1][title], old_by_key[key][0], new_by_key[key][0])
        for key in new_common
        if key not in kept
    )
    changed = []
    for key in new_common:
        before, after = old_by_key[key][1], new_by_key[key][1]
        text_changes = _text_changes(before, after, texts)
        value_changes = _value_changes(before, after, values)
        if text_changes or value_changes:
            changed.append(ItemChange(key, after[title], text_changes, value_changes))
    return ItemsDiff(added, removed, moved, tuple(changed))


def step_diff(old: Sequence[StepSpec], new: Sequence[StepSpec]) -> ItemsDiff:
    return _items_diff(old, new, title="title", texts=STEP_TEXTS, values=STEP_VALUES)


def question_diff(old: Sequence[QuestionSpec], new: Sequence[QuestionSpec]) -> ItemsDiff:
    return _items_diff(old, new, title="text", texts=QUESTION_TEXTS, values=QUESTION_VALUES)


def _outcome_changes(old: GuideSnapshot, new: GuideSnapshot) -> tuple[OutcomeChange, ...]:
    changes = []
    for outcome in OUTCOMES:
        before = applicable_steps(snapshot=old, outcome=outcome)
        after = applicable_steps(snapshot=new, outcome=outcome)
        before_keys = {step["key"] for step in before}
        after_keys = {step["key"] for step in after}
        starts = tuple(
            ItemRef(step["key"], step["title"], place)
            for place, step in enumerate(after, start=1)
            if step["key"] not in before_keys
        )
        stops = tuple(
            ItemRef(step["key"], step["title"], place)
            for place, step in enumerate(before, start=1)
            if step["key"] not in after_keys
        )
        if starts or stops:
            changes.append(OutcomeChange(outcome, starts, stops))
    return tuple(changes)


def _branch_slug(snapshot: GuideSnapshot) -> str | None:
    branch = snapshot["honour_branch"]
    return branch["slug"] if branch else None


def guide_diff(old: GuideSnapshot | None, new: GuideSnapshot) -> GuideDiff:
    """What publishing `new` changes against `old` (None: nothing published yet, so every
    step and question is added)."""
    if old is None:
        return GuideDiff(
            steps=step_diff([], new["steps"]), questions=question_diff([], new["questions"])
        )
    old_branch, new_branch = _branch_slug(old), _branch_slug(new)
    return GuideDiff(
        guide=_text_changes(old["guide"], new["guide"], GUIDE_TEXTS),
        honour_branch=(
            ValueChange("honour_branch", old_branch, new_branch)
            if old_branch != new_branch
            else None
        ),
        steps=step_diff(old["steps"], new["steps"]),
        questions=question_diff(old["questions"], new["questions"]),
        outcomes=_outcome_changes(old, new),
    )


def review_token(*, base: int | None, snapshot: GuideSnapshot) -> str:
    """A short fingerprint of one comparison: the published version it starts from and the
    draft it shows. Publishing checks it, so what is published is what was reviewed."""
    content = json.dumps([base, snapshot], sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(content.encode(), digest_size=16).hexdigest()
