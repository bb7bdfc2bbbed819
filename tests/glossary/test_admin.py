import pytest

from glossary.constants import LabelKind
from glossary.models import Term
from tests.factories import TermFactory


def term_form(**overrides):
    data = {
        "pref_label_nl": "online shamen",
        "pref_label_en": "online shaming",
        "slug": "online-shamen",
        "category": "vormen",
        "status": "gepubliceerd",
        "definition_nl": "Online shamen is iemand online te schande zetten.",
        "definition_en": "Online shaming is putting someone to shame online.",
        "note_nl": "",
        "note_en": "",
        "parent_phrasing_nl": "",
        "parent_phrasing_en": "",
        "source": "001",
        "labels-TOTAL_FORMS": "1",
        "labels-INITIAL_FORMS": "0",
        "labels-MIN_NUM_FORMS": "0",
        "labels-MAX_NUM_FORMS": "1000",
        "labels-0-language": "nl",
        "labels-0-kind": "alt",
        "labels-0-text": "online shaming",
    }
    data.update(overrides)
    return data


class TermAdminTests:
    def test_beheerder_adds_a_term_with_labels(self, client, beheerder):
        client.force_login(beheerder)
        response = client.post("/beheer/glossary/term/add/", term_form())
        assert response.status_code == 302, response.content.decode()[:3000]
        term = Term.objects.get(slug="online-shamen")
        assert set(term.labels.values_list("language", "kind", "text")) == {
            ("nl", LabelKind.PREFERRED, "online shamen"),
            ("en", LabelKind.PREFERRED, "online shaming"),
            ("nl", LabelKind.ALTERNATIVE, "online shaming"),
        }
        assert "online shamen" in term.search_document
        assert term.history.count() == 1

    def test_a_clashing_label_is_refused_with_the_other_terms_name(self, client, beheerder):
        TermFactory(pref_label_nl="exposing", alt_labels={"nl": ["online shaming"]})
        client.force_login(beheerder)
        response = client.post("/beheer/glossary/term/add/", term_form())
        assert response.status_code == 200
        assert "is al een label van het begrip ‘exposing’" in response.content.decode()
        assert not Term.objects.filter(slug="online-shamen").exists()

    def test_a_clashing_preferred_label_is_refused(self, client, beheerder):
        TermFactory(pref_label_nl="Online Shamen")
        client.force_login(beheerder)
        response = client.post("/beheer/glossary/term/add/", term_form())
        assert response.status_code == 200
        assert "is al een label van het begrip" in response.content.decode()

    def test_a_missing_dutch_definition_is_refused(self, client, beheerder):
        client.force_login(beheerder)
        response = client.post("/beheer/glossary/term/add/", term_form(definition_nl=""))
        assert response.status_code == 200
        assert not Term.objects.exists()

    def test_coordinator_reads_but_cannot_change(self, client, coordinator):
        term = TermFactory()
        client.force_login(coordinator)
        assert client.get("/beheer/glossary/term/").status_code == 200
        assert client.get(f"/beheer/glossary/term/{term.pk}/change/").status_code == 200
        response = client.post(
            f"/beheer/glossary/term/{term.pk}/change/", term_form(slug=term.slug)
        )
        assert response.status_code == 403
        assert client.post("/beheer/glossary/term/add/", term_form()).status_code == 403

    def test_worker_has_no_back_office(self, client, worker):
        client.force_login(worker)
        response = client.get("/beheer/glossary/term/")
        assert response.status_code == 302

    def test_admin_list_query_count_does_not_grow(
        self, client, beheerder, django_assert_max_num_queries
    ):
        from tests.factories import bulk_terms

        bulk_terms(200)
        client.force_login(beheerder)
        with django_assert_max_num_queries(12):
            assert client.get("/beheer/glossary/term/").status_code == 200

    @pytest.mark.parametrize("path", ["/beheer/glossary/term/{pk}/history/"])
    def test_change_history_is_shown(self, client, beheerder, path):
        term = TermFactory()
        client.force_login(beheerder)
        assert client.get(path.format(pk=term.pk)).status_code == 200
