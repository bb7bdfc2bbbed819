import itertools

import pytest

from guidance.branching import applicable_steps, reading_steps, screening_outcome
from guidance.constants import Answer, ScreeningOutcome
from tests.factories import make_guide

QUESTIONS = [
    {"key": "dreiging", "is_honour_signal": True},
    {"key": "angst-familie", "is_honour_signal": True},
    {"key": "weet-jongere", "is_honour_signal": False},
]


class ScreeningOutcomeTests:
    def test_none_answered_is_incomplete(self):
        assert screening_outcome(questions=QUESTIONS, answers={}) == ScreeningOutcome.INCOMPLETE

    @pytest.mark.parametrize("answer", [Answer.JA, Answer.TWIJFEL])
    def test_one_ja_or_twijfel_on_a_signal_flags(self, answer):
        outcome = screening_outcome(questions=QUESTIONS, answers={"dreiging": answer})
        assert outcome == ScreeningOutcome.FLAGGED

    def test_all_signals_nee_is_clear(self):
        answers = {"dreiging": Answer.NEE, "angst-familie": Answer.NEE}
        assert screening_outcome(questions=QUESTIONS, answers=answers) == ScreeningOutcome.CLEAR

    def test_some_nee_some_open_is_incomplete(self):
        answers = {"dreiging": Answer.NEE}
        outcome = screening_outcome(questions=QUESTIONS, answers=answers)
        assert outcome == ScreeningOutcome.INCOMPLETE

    def test_ja_on_a_question_that_is_no_signal_does_not_flag(self):
        answers = {"dreiging": Answer.NEE, "angst-familie": Answer.NEE, "weet-jongere": Answer.JA}
        assert screening_outcome(questions=QUESTIONS, answers=answers) == ScreeningOutcome.CLEAR

    @pytest.mark.parametrize(
        "pattern", list(itertools.product([None, Answer.JA, Answer.NEE, Answer.TWIJFEL], repeat=2))
    )
    def test_every_answer_pattern(self, pattern):
        answers = {k: a for k, a in zip(["dreiging", "angst-familie"], pattern, strict=True) if a}
        outcome = screening_outcome(questions=QUESTIONS, answers=answers)
        if Answer.JA in pattern or Answer.TWIJFEL in pattern:
            assert outcome == ScreeningOutcome.FLAGGED
        elif None in pattern:
            assert outcome == ScreeningOutcome.INCOMPLETE
        else:
            assert outcome == ScreeningOutcome.CLEAR

    def test_a_guide_without_questions_is_clear(self):
        assert screening_outcome(questions=[], answers={}) == ScreeningOutcome.CLEAR


@pytest.fixture
def snapshot(db):
    return make_guide().versions.get().snapshot


def keys(steps):
    return [step["key"] for step in steps]


class ApplicableStepsTests:
    def test_flagged_starts_with_consulting_veilig_thuis(self, snapshot):
        steps = applicable_steps(snapshot=snapshot, outcome=ScreeningOutcome.FLAGGED)
        assert keys(steps) == [
            "raadpleeg-veilig-thuis",
            "meldcode-gesprek",
            "wat-is-er-gebeurd",
            "kennis-eer",
            "vertrouwen",
            "alleen-bij-eer",
            "nazorg",
        ]

    def test_clear_leaves_out_the_honour_steps(self, snapshot):
        steps = applicable_steps(snapshot=snapshot, outcome=ScreeningOutcome.CLEAR)
        assert keys(steps) == [
            "wat-is-er-gebeurd",
            "kennis-eer",
            "geen-signalen",
            "vertrouwen",
            "nazorg",
        ]

    def test_incomplete_shows_only_steps_that_always_apply(self, snapshot):
        steps = applicable_steps(snapshot=snapshot, outcome=ScreeningOutcome.INCOMPLETE)
        assert keys(steps) == ["wat-is-er-gebeurd", "kennis-eer", "vertrouwen", "nazorg"]

    def test_every_honour_branch_step_is_marked_honour(self, snapshot):
        steps = applicable_steps(snapshot=snapshot, outcome=ScreeningOutcome.FLAGGED)
        assert all(s["branch"] == "honour" for s in steps if s["source"] == "honour_branch")

    def test_parent_contact_is_marked_in_the_snapshot(self, snapshot):
        parent = [s["key"] for s in snapshot["steps"] if s["involves_parent_contact"]]
        assert parent == ["vertrouwen", "meldcode-gesprek"]

    def test_reading_shows_every_step_once_branch_first(self, snapshot):
        assert keys(reading_steps(snapshot=snapshot)) == [
            "raadpleeg-veilig-thuis",
            "meldcode-gesprek",
            "wat-is-er-gebeurd",
            "kennis-eer",
            "geen-signalen",
            "vertrouwen",
            "alleen-bij-eer",
            "nazorg",
        ]

    def test_a_guide_without_branch(self, db):
        snapshot = make_guide(slug="voorlichting", with_branch=False).versions.get().snapshot
        assert snapshot["questions"] == []
        outcome = screening_outcome(questions=snapshot["questions"], answers={})
        steps = applicable_steps(snapshot=snapshot, outcome=outcome)
        assert "geen-signalen" in keys(steps)
        assert "alleen-bij-eer" not in keys(steps)
