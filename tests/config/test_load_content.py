"""load_content respects the back office (issue 11): it creates what is missing, updates only
rows nobody changed since the last load, never reverts an edit, never re-publishes an
archived entry, and a second run changes nothing."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command

from glossary.models import Term
from glossary.selectors import term_search
from guidance.models import GuideVersion, Step
from resources.constants import Status
from resources.models import Resource
from resources.services import resource_save
from tests.content_snapshot import load_content

EDITED = "kis-brochure-praten-over-sexting-misbruik"
ARCHIVED = "kis-overzichtskaart-sexting-misbruik"
UNTOUCHED = "kis-animatie-sexting-misbruik"


def history_rows() -> int:
    return sum(
        model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    )


def load(content_dir=None) -> str:
    out = StringIO()
    if content_dir is None:
        call_command("load_content", stdout=out)
    else:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(django_settings, "CONTENT_DIR", content_dir)
            call_command("load_content", stdout=out)
    return out.getvalue()


@pytest.fixture
def changed_files(tmp_path) -> Path:
    """A copy of the content where the edited, archived and untouched entries all changed."""
    target = tmp_path / "content"
    shutil.copytree(django_settings.CONTENT_DIR, target)
    path = target / "social_map.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["resources"]:
        if entry["slug"] in {EDITED, ARCHIVED, UNTOUCHED}:
            entry["description"]["nl"] += " Nieuwe zin uit het bestand."
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    guides_path = target / "guides.json"
    guides = json.loads(guides_path.read_text(encoding="utf-8"))
    for guide in guides["guides"]:
        for step in guide["steps"]:
            step["body"]["nl"] += "\n\nNieuwe alinea uit het bestand."
    guides_path.write_text(json.dumps(guides, ensure_ascii=False), encoding="utf-8")
    return target


class LoadContentTests:
    def test_a_second_run_changes_nothing_and_adds_no_history(self, db):
        # The first run as the suite's copy of one (tests/content_snapshot.py): the same rows,
        # hashes included (test_the_suites_copy_of_the_content_is_what_the_command_loads), in
        # a fraction of the 3 seconds of CPU a real first load takes.
        load_content()
        rows, versions = history_rows(), GuideVersion.objects.count()
        stamps = sorted(Resource.objects.values_list("updated_at", flat=True))
        second = load()
        assert "total: 0 created, 0 updated" in second
        assert "0 skipped" in second
        assert history_rows() == rows
        assert GuideVersion.objects.count() == versions
        assert sorted(Resource.objects.values_list("updated_at", flat=True)) == stamps

    def test_back_office_edits_and_archived_entries_survive_a_changed_file(self, db, changed_files):
        load_content()  # an earlier load (the suite's copy of one: tests/content_snapshot.py)
        edited = Resource.objects.get(slug=EDITED)
        edited.title_nl = "Door de Beheerder herschreven titel"
        resource_save(resource=edited)
        archived = Resource.objects.get(slug=ARCHIVED)
        archived.status = Status.GEARCHIVEERD
        resource_save(resource=archived)
        step = Step.objects.filter(guide__slug="ouders-slachtoffer").order_by("order").first()
        step.body_nl = "De tekst van de Beheerder."
        step.save()
        term = Term.objects.get(slug="sexting")
        term.definition_nl = "Definitie van de Beheerder."
        term.save()
        versions = GuideVersion.objects.filter(guide__slug="ouders-slachtoffer").count()

        output = load(changed_files)

        edited.refresh_from_db()
        assert edited.title_nl == "Door de Beheerder herschreven titel"
        assert "Nieuwe zin" not in edited.description_nl
        archived.refresh_from_db()
        assert archived.status == Status.GEARCHIVEERD
        assert "Nieuwe zin" not in archived.description_nl
        untouched = Resource.objects.get(slug=UNTOUCHED)
        assert untouched.description_nl.endswith("Nieuwe zin uit het bestand.")
        assert untouched.status == Status.GEPUBLICEERD
        step.refresh_from_db()
        assert step.body_nl == "De tekst van de Beheerder."
        assert Term.objects.get(slug="sexting").definition_nl == "Definitie van de Beheerder."
        # The guide with the Beheerder's draft is not published by the load; the other is.
        assert GuideVersion.objects.filter(guide__slug="ouders-slachtoffer").count() == versions
        assert GuideVersion.objects.filter(guide__slug="ouders-jeugdige-pleger").count() == 2
        assert (
            "not published (back-office edits wait for a Beheerder): ouders-slachtoffer" in output
        )
        assert f"resource {EDITED}" in output and f"resource {ARCHIVED}" in output

        rows = history_rows()
        again = load(changed_files)
        assert "total: 0 created, 0 updated" in again
        assert history_rows() == rows

    def test_missing_entries_are_created_again(self, db):
        load_content()  # an earlier load (the suite's copy of one: tests/content_snapshot.py)
        Resource.objects.filter(slug=UNTOUCHED).delete()
        step = Step.objects.filter(guide__slug="voorlichting-groepen-ouders").last()
        step.delete()
        output = load()
        assert Resource.objects.filter(slug=UNTOUCHED, status=Status.GEPUBLICEERD).exists()
        assert Step.objects.filter(guide__slug="voorlichting-groepen-ouders", key=step.key).exists()
        assert "total: 0 created" not in output

    def test_a_label_the_file_adds_is_found_by_search_after_the_load(self, db, tmp_path):
        # The terms are read with their labels prefetched; the search document was built
        # from that stale list, so a new synonym was not found until a back-office save.
        load_content()  # an earlier load (the suite's copy of one: tests/content_snapshot.py)
        target = tmp_path / "content"
        shutil.copytree(django_settings.CONTENT_DIR, target)
        path = target / "glossary.json"
        entries = json.loads(path.read_text(encoding="utf-8"))
        sexting = next(entry for entry in entries if entry["slug"] == "sexting")
        sexting.setdefault("alt_labels", {}).setdefault("nl", []).append("naaktjesruil")
        path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")

        assert "glossary terms: 0 created, 1 updated" in load(target)

        term = Term.objects.get(slug="sexting")
        assert "naaktjesruil" in term.labels.values_list("text", flat=True)
        assert [found.slug for found in term_search(query="naaktjesruil")] == ["sexting"]


def test_the_suites_copy_of_the_content_is_what_the_command_loads(db):
    """tests/content_snapshot.py stands in for the command in fixtures: the rows it writes are
    the rows the command writes (every column type on both databases, computed columns left to
    the database), searchable as after the real load, and new rows still get new keys."""
    from django.db import transaction

    from tests import content_snapshot
    from tests.factories import ResourceFactory, TermFactory

    with transaction.atomic():
        before = content_snapshot._read_all()
        call_command("load_content", verbosity=0)
        loaded = content_snapshot._read_all()
        transaction.set_rollback(True)
    assert content_snapshot._read_all() == before
    assert (
        sum(len(rows) for _, _, rows in loaded.values())
        > sum(len(rows) for _, _, rows in before.values()) + 1000
    )

    content_snapshot._apply(content_snapshot._changes(before, loaded))

    assert content_snapshot._read_all() == loaded
    loaded_term = Term.objects.order_by("pk").last()
    assert loaded_term in term_search(query=loaded_term.pref_label_nl)
    assert TermFactory().pk > loaded_term.pk
    resource = Resource.objects.order_by("pk").last()
    assert ResourceFactory().pk > resource.pk
