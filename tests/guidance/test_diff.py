"""The publish diff and the snapshot's shape, as pure functions: no database."""

import copy

import pytest

from guidance.constants import ScreeningOutcome
from guidance.diff import Line, guide_diff, review_token
from guidance.snapshot import SnapshotError, check_snapshot


def step(key, *, source="guide", branch="always", title=None, body="", **fields):
    return {
        "key": key,
        "source": source,
        "title": title or {"nl": f"Stap {key}", "en": f"Step {key}"},
        "body": {"nl": body, "en": ""},
        "kind": "voorbereiding",
        "involves_parent_contact": False,
        "branch": "honour" if source == "honour_branch" else branch,
        "may_be_not_applicable": False,
        "checklist": {"nl": [], "en": []},
        "dos": {"nl": [], "en": []},
        "donts": {"nl": [], "en": []},
        "terms": [],
        "routes": [],
        "resources": [],
        **fields,
    }


def question(key, *, signal=True):
    return {
        "key": key,
        "text": {"nl": f"Vraag {key}?", "en": f"Question {key}?"},
        "help_text": {"nl": "", "en": ""},
        "is_honour_signal": signal,
    }


def snapshot(steps, questions=(), branch=True):
    return {
        "schema": 1,
        "guide": {
            "slug": "leidraad",
            "title": {"nl": "Leidraad", "en": "Guide"},
            "situation": {"nl": "", "en": ""},
            "introduction": {"nl": "", "en": ""},
        },
        "honour_branch": {"slug": "eer", "title": {"nl": "Route", "en": "Route"}}
        if branch
        else None,
        "questions": list(questions),
        "steps": list(steps),
    }


@pytest.fixture
def published():
    return snapshot(
        [
            step("raadpleeg", source="honour_branch"),
            step("a", body="Eerste regel.\nTweede regel."),
            step("b"),
            step("c"),
            step("d", branch="not_honour"),
            step("e"),
        ],
        [question("dreiging"), question("weet-jongere", signal=False)],
    )


def keys(refs):
    return [ref.key for ref in refs]


class StepDiffTests:
    def test_an_equal_draft_has_no_changes(self, published):
        assert not guide_diff(published, copy.deepcopy(published))

    def test_added_and_removed_steps_with_their_places(self, published):
        draft = copy.deepcopy(published)
        draft["steps"].insert(2, step("nieuw"))
        draft["steps"] = [s for s in draft["steps"] if s["key"] != "c"]
        diff = guide_diff(published, draft)
        assert [(r.key, r.position) for r in diff.steps.added] == [("nieuw", 3)]
        assert [(r.key, r.position) for r in diff.steps.removed] == [("c", 4)]
        assert diff.steps.added[0].title == {"nl": "Stap nieuw", "en": "Step nieuw"}
        # Steps that only shift place because of an insertion have not moved.
        assert not diff.steps.moved
        assert not diff.steps.changed

    def test_a_moved_step_is_the_one_that_moved_not_its_neighbours(self, published):
        draft = copy.deepcopy(published)
        moved = draft["steps"].pop(5)  # e: from last to right after a
        draft["steps"].insert(2, moved)
        diff = guide_diff(published, draft)
        assert [(m.key, m.old_position, m.new_position) for m in diff.steps.moved] == [("e", 6, 3)]
        assert not diff.steps.added and not diff.steps.removed and not diff.steps.changed

    def test_changed_text_side_by_side_per_language(self, published):
        draft = copy.deepcopy(published)
        a = draft["steps"][1]
        a["body"]["nl"] = "Eerste regel.\nNieuwe tweede regel."
        a["title"]["en"] = "Step A, renamed"
        a["checklist"]["en"] = ["Interpreter booked?"]
        (change,) = guide_diff(published, draft).steps.changed
        assert change.key == "a"
        by_field = {(t.field, t.language): t for t in change.texts}
        assert set(by_field) == {("body", "nl"), ("title", "en"), ("checklist", "en")}
        body = by_field["body", "nl"]
        assert body.old == (Line("Eerste regel.", False), Line("Tweede regel.", True))
        assert body.new == (Line("Eerste regel.", False), Line("Nieuwe tweede regel.", True))
        title = by_field["title", "en"]
        assert title.old == (Line("Step a", True),)
        assert title.new == (Line("Step A, renamed", True),)
        assert by_field["checklist", "en"].old == ()
        assert by_field["checklist", "en"].new == (Line("Interpreter booked?", True),)
        assert change.title["en"] == "Step A, renamed"

    def test_changed_values_of_a_step(self, published):
        draft = copy.deepcopy(published)
        draft["steps"][2]["involves_parent_contact"] = True
        draft["steps"][2]["terms"] = ["sexting"]
        (change,) = guide_diff(published, draft).steps.changed
        assert [(v.field, v.old, v.new) for v in change.values] == [
            ("involves_parent_contact", False, True),
            ("terms", [], ["sexting"]),
        ]
        assert change.texts == ()


class BranchDiffTests:
    def test_a_changed_branch_shows_per_outcome_which_steps_start_or_stop(self, published):
        draft = copy.deepcopy(published)
        draft["steps"][3]["branch"] = "honour"  # c: from always to only with signals
        diff = guide_diff(published, draft)
        (change,) = diff.steps.changed
        assert [(v.field, v.old, v.new) for v in change.values] == [("branch", "always", "honour")]
        outcomes = {o.outcome: o for o in diff.outcomes}
        assert set(outcomes) == {ScreeningOutcome.CLEAR, ScreeningOutcome.INCOMPLETE}
        assert keys(outcomes[ScreeningOutcome.CLEAR].stops) == ["c"]
        assert keys(outcomes[ScreeningOutcome.CLEAR].starts) == []
        assert keys(outcomes[ScreeningOutcome.INCOMPLETE].stops) == ["c"]

    def test_a_new_not_honour_step_applies_only_without_signals(self, published):
        draft = copy.deepcopy(published)
        draft["steps"].append(step("zonder", branch="not_honour"))
        outcomes = {o.outcome: o for o in guide_diff(published, draft).outcomes}
        assert set(outcomes) == {ScreeningOutcome.CLEAR}
        assert keys(outcomes[ScreeningOutcome.CLEAR].starts) == ["zonder"]

    def test_a_detached_honour_branch(self, published):
        draft = copy.deepcopy(published)
        draft["honour_branch"] = None
        draft["questions"] = []
        draft["steps"] = [s for s in draft["steps"] if s["source"] != "honour_branch"]
        diff = guide_diff(published, draft)
        assert (diff.honour_branch.old, diff.honour_branch.new) == ("eer", None)
        assert keys(diff.steps.removed) == ["raadpleeg"]
        assert keys(diff.questions.removed) == ["dreiging", "weet-jongere"]
        flagged = next(o for o in diff.outcomes if o.outcome == ScreeningOutcome.FLAGGED)
        assert keys(flagged.stops) == ["raadpleeg"]


class QuestionDiffTests:
    def test_a_changed_screening_question_in_both_languages(self, published):
        draft = copy.deepcopy(published)
        draft["questions"][0]["text"] = {"nl": "Is er dreiging?", "en": "Is there a threat?"}
        draft["questions"][1]["is_honour_signal"] = True
        diff = guide_diff(published, draft)
        changes = {c.key: c for c in diff.questions.changed}
        assert {(t.field, t.language) for t in changes["dreiging"].texts} == {
            ("text", "nl"),
            ("text", "en"),
        }
        assert changes["dreiging"].title["en"] == "Is there a threat?"
        assert [(v.field, v.old, v.new) for v in changes["weet-jongere"].values] == [
            ("is_honour_signal", False, True)
        ]

    def test_added_moved_and_removed_questions(self, published):
        draft = copy.deepcopy(published)
        draft["questions"] = [question("weet-jongere", signal=False), question("angst")]
        diff = guide_diff(published, draft)
        assert keys(diff.questions.added) == ["angst"]
        assert keys(diff.questions.removed) == ["dreiging"]
        assert not diff.questions.moved


class FirstVersionTests:
    def test_without_a_published_version_everything_is_added(self, published):
        diff = guide_diff(None, published)
        assert len(diff.steps.added) == 6
        assert keys(diff.questions.added) == ["dreiging", "weet-jongere"]
        assert not diff.outcomes

    def test_guide_texts(self, published):
        draft = copy.deepcopy(published)
        draft["guide"]["introduction"]["en"] = "Read this first."
        (change,) = guide_diff(published, draft).guide
        assert (change.field, change.language) == ("introduction", "en")


class ReviewTokenTests:
    def test_the_token_follows_the_draft_and_the_base_version(self, published):
        token = review_token(base=1, snapshot=published)
        assert token == review_token(base=1, snapshot=copy.deepcopy(published))
        assert token != review_token(base=2, snapshot=published)
        draft = copy.deepcopy(published)
        draft["steps"][1]["title"]["nl"] = "Anders"
        assert token != review_token(base=1, snapshot=draft)


class SnapshotShapeTests:
    def test_a_well_formed_snapshot_passes(self, published):
        assert check_snapshot(published) is published

    @pytest.mark.parametrize(
        ("breaks", "path"),
        [
            (lambda s: s["steps"][1].pop("branch"), "steps[1]: missing branch"),
            (lambda s: s["steps"][1].update(branch="sometimes"), "steps[1].branch"),
            (lambda s: s["steps"][2].update(may_be_not_aplicable=True), "unknown"),
            (lambda s: s["steps"][2].update(involves_parent_contact="yes"), "steps[2].involves"),
            (lambda s: s["steps"][2]["title"].update(nl=None), "steps[2].title.nl"),
            (lambda s: s["steps"][2]["checklist"].update(nl="one line"), "steps[2].checklist"),
            (lambda s: s.update(schema=True), "schema"),
            (lambda s: s.update(honour_branch="eer"), "honour_branch"),
            (lambda s: s["questions"][0].pop("is_honour_signal"), "questions[0]"),
            (lambda s: s["steps"].append(step("a")), "step keys used twice: a"),
        ],
    )
    def test_a_malformed_snapshot_fails_with_the_path_of_the_bad_value(
        self, published, breaks, path
    ):
        breaks(published)
        with pytest.raises(SnapshotError) as error:
            check_snapshot(published)
        assert path in str(error.value)
        assert str(error.value).startswith("Malformed guide snapshot")

    def test_a_snapshot_that_is_no_object(self):
        with pytest.raises(SnapshotError, match="expected an object"):
            check_snapshot([])
