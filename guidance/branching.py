"""The branching rules of a guide: which steps apply to which screening outcome.

Pure functions of a published snapshot (guidance.snapshot) and the answers given, no
database. `cases` calls them with its own answers and flag to enforce and show a case's
steps; the publish diff (guidance.diff) calls them to show what a new version changes for
each outcome. One rule, one place.
"""

from collections.abc import Mapping, Sequence

from guidance.constants import SIGNAL_ANSWERS, Answer, Branch, ScreeningOutcome
from guidance.snapshot import HONOUR_SOURCE, GuideSnapshot, QuestionSpec, StepSpec


def screening_outcome(
    *, questions: Sequence[QuestionSpec], answers: Mapping[str, str]
) -> ScreeningOutcome:
    """FLAGGED when any signal question is answered ja or twijfel; CLEAR when every signal
    question is answered nee; INCOMPLETE otherwise. A guide without screening questions is
    CLEAR. (Cases add their own rule on top: a flag, once raised, stays until a consultation.)
    """
    signal_keys = [q["key"] for q in questions if q["is_honour_signal"]]
    given = {key: answers.get(key) for key in signal_keys}
    if any(answer in SIGNAL_ANSWERS for answer in given.values()):
        return ScreeningOutcome.FLAGGED
    if all(answer == Answer.NEE for answer in given.values()):
        return ScreeningOutcome.CLEAR
    return ScreeningOutcome.INCOMPLETE


def _split(snapshot: GuideSnapshot) -> tuple[list[StepSpec], list[StepSpec]]:
    guide_steps = [s for s in snapshot["steps"] if s["source"] != HONOUR_SOURCE]
    branch_steps = [s for s in snapshot["steps"] if s["source"] == HONOUR_SOURCE]
    return guide_steps, branch_steps


def applicable_steps(*, snapshot: GuideSnapshot, outcome: ScreeningOutcome) -> list[StepSpec]:
    """The steps of a case, in order, for a screening outcome:

    - FLAGGED: the honour branch first ("Raadpleeg eerst Veilig Thuis" opens it), then the
      guide's steps that apply always or only with signals;
    - CLEAR: the guide's steps that apply always or only without signals;
    - INCOMPLETE: only the steps that apply always — nothing that assumes an outcome.
    """
    guide_steps, branch_steps = _split(snapshot)
    if outcome == ScreeningOutcome.FLAGGED:
        return branch_steps + [s for s in guide_steps if s["branch"] != Branch.NOT_HONOUR]
    if outcome == ScreeningOutcome.CLEAR:
        return [s for s in guide_steps if s["branch"] != Branch.HONOUR]
    return [s for s in guide_steps if s["branch"] == Branch.ALWAYS]


def reading_steps(*, snapshot: GuideSnapshot) -> list[StepSpec]:
    """Reading mode (no case): every step once, the honour branch first, as a worker with
    signals would meet it; each step keeps its `branch` so the page can mark it."""
    guide_steps, branch_steps = _split(snapshot)
    return branch_steps + guide_steps


def has_screening(snapshot: GuideSnapshot) -> bool:
    return bool(snapshot.get("questions"))
