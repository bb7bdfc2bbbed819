"""The login baseline and the page budgets on top of it (issue 13), with enough rows that a
query per row would show: the content, 2,000 resources, 500 terms, 40 related terms, 20
routes, and a case with a signal, a consultation, answers and notes on ten steps."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from resources.models import Resource
from tests.content_snapshot import load_content
from tests.factories import ReferralRouteFactory, bulk_resources, bulk_terms
from tests.shared import shared_rows

# Session, and the user with team, region and role (accounts.backends).
BASELINE = 2


@pytest.fixture(scope="class")
def _rows(django_db_setup, django_db_blocker):
    with shared_rows(django_db_blocker):
        load_content()
        terms = bulk_terms(500)
        terms[0].related.set(terms[1:40])
        resources = bulk_resources(2000)
        for _ in range(20):
            ReferralRouteFactory(organisation=resources[0].organisation, resource=resources[0])
        yield {"terms": terms, "resources": resources}


@pytest.fixture
def rows(db, _rows):
    return _rows


def queries(client, path, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200, path
    return len(captured.captured_queries)


class LoginBaselineTests:
    def test_the_reference_page_costs_the_baseline_only(self, client, worker):
        client.force_login(worker)
        assert queries(client, "/referentie/") == BASELINE

    @pytest.mark.parametrize("role", ["coordinator", "beheerder"])
    def test_every_role_has_the_same_baseline(self, client, request, role):
        client.force_login(request.getfixturevalue(role))
        assert queries(client, "/referentie/") == BASELINE

    def test_role_and_region_come_with_the_user(self, client, worker):
        client.force_login(worker)
        response = client.get("/referentie/")
        user = response.wsgi_request.user
        expected = (worker.role, worker.region)
        with CaptureQueriesContext(connection) as captured:
            assert (user.role, user.region) == expected
        assert captured.captured_queries == []


def flagged_case(owner):
    """A case with a signal, a consultation, answers and notes on ten steps, the parents
    speaking Turkish and Arabic (so the plan lists material for them)."""
    from cases.selectors import case_steps
    from cases.services import (
        case_answer_question,
        case_record_consultation,
        case_update_step,
    )
    from guidance.models import Guide
    from tests.factories import make_case

    guide = Guide.objects.get(slug="ouders-slachtoffer")
    case = make_case(owner=owner, guide=guide, parent_languages=["tr", "ar"])
    questions = case.guide_version.snapshot["questions"]
    for question in questions:
        answer = "ja" if question["key"] == "dreiging-familie" else "nee"
        case_answer_question(case=case, actor=owner, question_key=question["key"], answer=answer)
    case.refresh_from_db()
    case_record_consultation(
        case=case, actor=owner, consulted_on=timezone.localdate(), organisation="veilig_thuis",
        advisor="Adviseur", advice_summary="Advies.", outcome="contact_ouders_veilig",
        young_person_informed=True,
    )  # fmt: skip
    case.refresh_from_db()
    for spec in case_steps(case)[:10]:
        case_update_step(case=case, actor=owner, step_key=spec["key"], notes="Aantekening.")
    return case


class PageBudgetTests:
    """Budgets on top of the baseline (issue 13): term 1, glossary index 1, map 4, resource 2,
    organisation 2, guide step 2, case 4, plan 6. Measured with the caches warm, as on a
    running server (the kept parts are the content's: rendered letters, vocabulary, facet
    counts, terms and routes per content version; never case data)."""

    @pytest.mark.parametrize(
        ("page", "budget"),
        [
            ("term", 1),
            ("glossary index", 1),
            ("map", 4),
            ("map search", 4),
            ("map filtered", 4),
            ("resource", 2),
            ("organisation", 2),
            ("guide step", 2),
            ("case", 4),
            ("plan", 6),
            ("plan PDF", 6),
        ],
    )
    def test_page_stays_within_its_budget(self, client, worker, rows, page, budget):
        resource = Resource.objects.get(slug="bron-0")
        paths = {
            "term": lambda: (rows["terms"][0].get_absolute_url(), {}),
            "glossary index": lambda: ("/begrippen/", {}),
            "map": lambda: ("/sociale-kaart/", {}),
            "map search": lambda: ("/sociale-kaart/", {"q": "fietsen"}),
            "map filtered": lambda: (
                "/sociale-kaart/",
                {"q": "bron", "taal": "nl", "doelgroep": "ouders", "pagina": "2"},
            ),
            "resource": lambda: (resource.get_absolute_url(), {}),
            "organisation": lambda: (resource.organisation.get_absolute_url(), {}),
            "guide step": lambda: ("/leidraden/ouders-slachtoffer/stap/vertrouwen-opbouwen/", {}),
            "case": lambda: (flagged_case(worker).get_absolute_url(), {}),
            "plan": lambda: (f"{flagged_case(worker).get_absolute_url()}plan/", {}),
            "plan PDF": lambda: (f"{flagged_case(worker).get_absolute_url()}plan.pdf", {}),
        }
        client.force_login(worker)
        path, params = paths[page]()
        client.get(path, params)  # caches warm, as on a running server
        assert queries(client, path, **params) <= BASELINE + budget

    def test_the_map_counts_come_from_one_statement_when_not_kept(self, client, worker, rows):
        """Cold: the vocabulary (5 small queries), the facet counts with the total (1) and
        the page with its relations (1), whatever the filters."""
        client.force_login(worker)
        params = {"q": "bron", "taal": "nl", "doelgroep": "ouders", "soort": "factsheet"}
        assert queries(client, "/sociale-kaart/", **params) <= BASELINE + 5 + 2
