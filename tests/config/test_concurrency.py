"""Nothing typed is lost in the back office (issue 11): two Beheerders saving the same
resource or guide step. The stale save gets the conflict page (409) with the stored text at
each differing field, the user's text kept and the form moved to the stored version; the
check itself is a compare-and-swap in the services (config/concurrency.py)."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client

from config.concurrency import VersionConflict, VersionedModelFormMixin, version_claim
from glossary.services import term_save
from guidance.models import Step
from resources.models import Resource
from resources.services import resource_save
from tests.factories import ResourceFactory, TermFactory, UserFactory, make_guide


def form_data(response) -> dict:
    """The POST a browser would send from an admin change page as rendered."""
    data = {}

    def add(form):
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif isinstance(value, dt.datetime | dt.date):
                data[bound.html_name] = value.isoformat()
            elif value is not None:
                data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


@pytest.fixture
def beheerders(db):
    from accounts.constants import Role

    first, second = Client(), Client()
    first.force_login(UserFactory(role=Role.BEHEERDER, team=None, display_name="Bea Eerst"))
    second.force_login(UserFactory(role=Role.BEHEERDER, team=None, display_name="Ben Tweede"))
    return first, second


class VersionClaimTests:
    def test_one_of_two_saves_on_the_same_version_wins(self, db):
        resource = ResourceFactory()
        stale = Resource.objects.get(pk=resource.pk)
        resource.description_nl = "Eerst"
        resource_save(resource=resource)
        stale.description_nl = "Later, op de oude versie"
        with pytest.raises(VersionConflict):
            resource_save(resource=stale)
        assert Resource.objects.get(pk=resource.pk).description_nl == "Eerst"

    def test_the_content_loader_and_commands_save_on_the_version_they_read(self, db):
        term = TermFactory()
        stale = type(term).objects.get(pk=term.pk)
        term.definition_nl = "Nieuw"
        term_save(term=term)
        with pytest.raises(VersionConflict):
            term_save(term=stale)

    def test_a_new_row_claims_nothing(self, db):
        step = Step(key="x")
        version_claim(step)  # not saved yet: nothing to compare
        assert step.version == 1


class ResourceAdminConflictTests:
    def test_a_stale_save_gets_the_conflict_page_and_nothing_is_lost(self, beheerders):
        first, second = beheerders
        resource = ResourceFactory(description_nl="Oorspronkelijk.")
        url = f"/beheer/resources/resource/{resource.pk}/change/"
        mine, theirs = form_data(first.get(url)), form_data(second.get(url))
        assert mine["version"] == theirs["version"] == resource.version
        theirs["description_nl"] = "Aangevuld door Ben."
        assert second.post(url, theirs).status_code == 302
        mine["description_nl"] = "Herschreven door Bea."
        response = first.post(url, mine)
        assert response.status_code == 409
        html = response.content.decode()
        assert "Iemand anders heeft dit opgeslagen" in html
        assert "Aangevuld door Ben." in html  # the other person's text …
        assert "Herschreven door Bea.</textarea>" in html  # … beside the user's own
        form = response.context["adminform"].form
        assert set(form.errors) == {"__all__", "description_nl"}
        assert form["version"].value() == str(resource.version + 1)
        assert Resource.objects.get(pk=resource.pk).description_nl == "Aangevuld door Ben."
        # The merge: sent again on the stored version.
        merged = form_data(response)
        merged["description_nl"] = "Aangevuld door Ben. Herschreven door Bea."
        assert first.post(url, merged).status_code == 302
        stored = Resource.objects.get(pk=resource.pk)
        assert stored.description_nl == "Aangevuld door Ben. Herschreven door Bea."
        assert stored.version == resource.version + 2

    def test_a_save_slipping_between_check_and_write_is_refused_too(self, beheerders, monkeypatch):
        """Ben's save lands after the form's check read the row and before Bea's write: the
        service's compare-and-swap refuses, all of Bea's save is rolled back, and her page
        shows the conflict."""
        first, second = beheerders
        resource = ResourceFactory()
        url = f"/beheer/resources/resource/{resource.pk}/change/"
        mine, theirs = form_data(first.get(url)), form_data(second.get(url))
        theirs["title_nl"] = "Van Ben"
        assert second.post(url, theirs).status_code == 302
        real_stored = VersionedModelFormMixin._stored
        reads = []

        def read_before_bens_save(form):
            stored = real_stored(form)
            if not reads:  # the first check ran before Ben's save
                reads.append(stored)
                stored.version = resource.version
            return stored

        monkeypatch.setattr(VersionedModelFormMixin, "_stored", read_before_bens_save)
        mine["title_nl"] = "Van Bea"
        response = first.post(url, mine)
        assert response.status_code == 409
        assert "Van Ben" in response.content.decode()
        assert Resource.objects.get(pk=resource.pk).title_nl == "Van Ben"


def step_page(step) -> tuple[str, str]:
    """Where a Beheerder edits a step, and the prefix of its fields there: the step's own
    change page when the back office has one, else its row on the guide's page."""
    from django.contrib import admin

    if Step in admin.site._registry:
        return f"/beheer/guidance/step/{step.pk}/change/", ""
    index = list(Step.objects.filter(guide_id=step.guide_id).order_by("order", "pk")).index(step)
    return f"/beheer/guidance/guide/{step.guide_id}/change/", f"steps-{index}-"


class GuideStepAdminConflictTests:
    def test_a_stale_step_save_gets_the_conflict_page_and_nothing_is_lost(self, beheerders):
        first, second = beheerders
        step = make_guide().steps.get(key="vertrouwen")
        url, prefix = step_page(step)
        mine, theirs = form_data(first.get(url)), form_data(second.get(url))
        body = f"{prefix}body_nl"
        assert mine[f"{prefix}version"] == step.version
        theirs[body] = "Stap herschreven door Ben."
        assert second.post(url, theirs).status_code == 302
        mine[body] = "Stap aangevuld door Bea."
        response = first.post(url, mine)
        assert response.status_code == 409
        html = response.content.decode()
        assert "Stap herschreven door Ben." in html
        assert "Stap aangevuld door Bea.</textarea>" in html
        step.refresh_from_db()
        assert step.body_nl == "Stap herschreven door Ben."
        merged = form_data(response)
        assert merged[f"{prefix}version"] == str(step.version)
        merged[body] = "Samen."
        assert first.post(url, merged).status_code == 302
        step.refresh_from_db()
        assert step.body_nl == "Samen."

    def test_a_step_saved_elsewhere_refuses_the_stale_page(self, beheerders):
        """A change made outside this page (the content loader, another page) makes the
        page's copy of the step stale."""
        first, _second = beheerders
        step = make_guide().steps.get(key="nazorg")
        url, prefix = step_page(step)
        mine = form_data(first.get(url))
        step.body_nl = "Elders gewijzigd."
        version_claim(step)
        step.save()
        mine[f"{prefix}body_nl"] = "Op de oude versie."
        response = first.post(url, mine)
        assert response.status_code == 409
        assert Step.objects.get(pk=step.pk).body_nl == "Elders gewijzigd."


class TermAdminConflictTests:
    def test_a_stale_term_save_is_refused(self, beheerders):
        first, second = beheerders
        term = TermFactory()
        url = f"/beheer/glossary/term/{term.pk}/change/"
        mine, theirs = form_data(first.get(url)), form_data(second.get(url))
        theirs["definition_nl"] = "Uitleg van Ben."
        assert second.post(url, theirs).status_code == 302
        mine["definition_nl"] = "Uitleg van Bea."
        response = first.post(url, mine)
        assert response.status_code == 409
        assert type(term).objects.get(pk=term.pk).definition_nl == "Uitleg van Ben."


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two connections at once need a server database (SQLite serialises every writer)",
)
class SimultaneousSaveTests:
    def test_of_two_simultaneous_saves_on_one_version_exactly_one_wins(self, transactional_db):
        """Two Beheerders' saves run at the same time on the same version: the second's
        compare-and-swap waits for the first to commit, then finds no row at its version."""
        resource = ResourceFactory(description_nl="Basis.")
        first_claimed = threading.Event()
        outcomes = {}

        def save(name, pause):
            stale = Resource.objects.get(pk=resource.pk)
            stale.description_nl = f"Van {name}."
            try:
                with transaction.atomic():
                    resource_save(resource=stale)
                    first_claimed.set()
                    time.sleep(pause)
                outcomes[name] = "saved"
            except VersionConflict:
                outcomes[name] = "refused"
            finally:
                first_claimed.set()
                connection.close()

        first = threading.Thread(target=save, args=("Bea", 0.5))
        first.start()
        first_claimed.wait(10)
        second = threading.Thread(target=save, args=("Ben", 0))
        # Ben read the row before Bea committed: the stale read is simulated by starting
        # from the version both saw.
        second.start()
        first.join(20)
        second.join(20)
        assert sorted(outcomes.values()) == ["refused", "saved"], outcomes
        assert Resource.objects.get(pk=resource.pk).description_nl == "Van Bea."
