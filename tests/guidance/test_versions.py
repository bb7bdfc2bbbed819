import pytest
from django.core.exceptions import ValidationError

from guidance.models import GuideVersion
from guidance.services import guide_publish
from tests.factories import make_guide


class VersionFreezeTests:
    def test_editing_the_draft_changes_nothing_in_a_published_version(self, db):
        guide = make_guide()
        v1 = guide.versions.get()
        frozen = v1.snapshot
        step = guide.steps.get(key="vertrouwen")
        step.title_nl = "Nieuwe titel"
        step.involves_parent_contact = False
        step.save()
        guide.steps.get(key="nazorg").delete()
        branch = guide.honour_branch
        branch.questions.update(text_nl="Gewijzigd?")
        v1.refresh_from_db()
        assert v1.snapshot == frozen
        titles = [s["title"]["nl"] for s in v1.snapshot["steps"]]
        assert "Stap vertrouwen" in titles
        assert "Nieuwe titel" not in titles

    def test_publishing_a_changed_draft_makes_the_next_version(self, db):
        guide = make_guide()
        step = guide.steps.get(key="vertrouwen")
        step.title_nl = "Nieuwe titel"
        step.save()
        v2 = guide_publish(guide=guide, note="Gewijzigd.")
        assert v2.number == 2
        assert [v.number for v in guide.versions.order_by("number")] == [1, 2]
        assert "Nieuwe titel" in [s["title"]["nl"] for s in v2.snapshot["steps"]]
        assert "Nieuwe titel" not in [
            s["title"]["nl"] for s in guide.versions.get(number=1).snapshot["steps"]
        ]

    def test_publishing_an_unchanged_draft_makes_no_new_version(self, db):
        guide = make_guide()
        assert guide_publish(guide=guide, note="Gewijzigd.").number == 1
        assert guide.versions.count() == 1

    def test_a_published_version_cannot_be_saved_again(self, db):
        version = make_guide().versions.get()
        version.snapshot = {"steps": []}
        with pytest.raises(ValidationError):
            version.save()
        assert GuideVersion.objects.get(pk=version.pk).snapshot["steps"]

    def test_a_changed_honour_branch_reaches_guides_only_when_they_are_published(self, db):
        guide = make_guide()
        branch = guide.honour_branch
        branch.steps.filter(key="raadpleeg-veilig-thuis").update(title_nl="Eerst advies vragen")
        assert "Eerst advies vragen" not in str(guide.versions.get().snapshot)
        assert "Eerst advies vragen" in str(guide_publish(guide=guide, note="Gewijzigd.").snapshot)

    def test_a_guide_without_steps_cannot_be_published(self, db):
        guide = make_guide(slug="leeg", with_branch=False, publish=False, steps=[])
        with pytest.raises(ValidationError):
            guide_publish(guide=guide, note="Gewijzigd.")
        assert not guide.versions.exists()

    def test_duplicate_keys_across_guide_and_branch_are_refused(self, db):
        guide = make_guide(
            slug="dubbel",
            publish=False,
            steps=[{"key": "raadpleeg-veilig-thuis", "kind": "voorbereiding"}],
        )
        with pytest.raises(ValidationError) as error:
            guide_publish(guide=guide, note="Gewijzigd.")
        assert "raadpleeg-veilig-thuis" in str(error.value)
