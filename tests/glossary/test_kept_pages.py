"""What the glossary keeps per glossary version (issue 13): the term page's relations, the
index's counts and rendered letters, the terms other pages link by slug. Every glossary
change goes through glossary.services, which makes a new version: the next page shows it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from glossary.constants import Status
from glossary.selectors import terms_by_slug
from glossary.services import term_save
from tests.factories import TermFactory


def test_a_renamed_related_term_shows_on_the_term_page_at_once(client, worker):
    term = TermFactory(slug="exposing", pref_label_nl="exposing")
    other = TermFactory(slug="doxing", pref_label_nl="doxing")
    term.related.set([other])
    client.force_login(worker)
    assert ">doxing</a>" in client.get("/begrippen/exposing/").content.decode()
    other.pref_label_nl = "doxen"
    term_save(term=other)
    html = client.get("/begrippen/exposing/").content.decode()
    assert ">doxen</a>" in html
    assert ">doxing</a>" not in html


def test_an_unpublished_related_term_leaves_the_term_page_at_once(client, worker):
    term = TermFactory(slug="exposing", pref_label_nl="exposing")
    other = TermFactory(slug="doxing", pref_label_nl="doxing")
    term.related.set([other])
    client.force_login(worker)
    client.get("/begrippen/exposing/")
    other.status = Status.CONCEPT
    term_save(term=other)
    assert "/begrippen/doxing/" not in client.get("/begrippen/exposing/").content.decode()


def test_the_term_page_costs_one_query_when_kept(client, worker):
    term = TermFactory(slug="exposing", pref_label_nl="exposing")
    term.related.set([TermFactory() for _ in range(5)])
    client.force_login(worker)
    client.get("/begrippen/exposing/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/begrippen/exposing/")
    # Session and user (the login baseline), then the term.
    assert len(captured.captured_queries) == 3


def test_a_new_term_shows_in_the_index_letter_and_count_at_once(client, worker):
    TermFactory(slug="doxing", pref_label_nl="doxing")
    client.force_login(worker)
    html = client.get("/begrippen/", {"letter": "d"}).content.decode()
    assert "1 begrip" in html
    TermFactory(slug="dickpic", pref_label_nl="dickpic")
    html = client.get("/begrippen/", {"letter": "d"}).content.decode()
    assert "2 begrippen" in html
    assert 'href="/begrippen/dickpic/"' in html


def test_the_index_letter_is_kept_per_language(client, worker):
    TermFactory(slug="doxing", pref_label_nl="doxing", definition_en="Doxing in English.")
    client.force_login(worker)
    assert "Doxing is iets." in client.get("/begrippen/").content.decode()
    client.cookies["django_language"] = "en"
    try:
        html = client.get("/begrippen/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    finally:
        translation.deactivate()  # the request left English active in this thread
    assert "Doxing in English." in html


def test_terms_by_slug_follow_a_change(db):
    term = TermFactory(slug="doxing", pref_label_nl="doxing")
    assert terms_by_slug(["doxing"])["doxing"].pref_label_nl == "doxing"
    with CaptureQueriesContext(connection) as captured:
        terms_by_slug(["doxing"])
    assert captured.captured_queries == []
    term.pref_label_nl = "doxen"
    term_save(term=term)
    assert terms_by_slug(["doxing"])["doxing"].pref_label_nl == "doxen"
