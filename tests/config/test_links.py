"""config.links.slug_url: the address reverse() gives, without reverse() per link."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from config.links import slug_url, url_maker

VIEWS = ["resources:resource", "resources:organisation", "glossary:detail"]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("slug", ["sexting", "synth-org-1611", "a_b-C9", "0slug0"])
def test_the_same_address_as_reverse(view, slug):
    assert slug_url(view, slug) == reverse(view, kwargs={"slug": slug})


def test_under_a_script_prefix():
    set_script_prefix("/gemeente/")
    try:
        assert slug_url("glossary:detail", "sexting") == "/gemeente/begrippen/sexting/"
    finally:
        set_script_prefix("/")
    assert slug_url("glossary:detail", "sexting") == "/begrippen/sexting/"


def test_what_is_not_a_slug_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        slug_url("glossary:detail", "a/b")
    with pytest.raises(NoReverseMatch):
        slug_url("glossary:detail", "")


def test_url_maker_gives_what_reverse_gives_for_each_slug():
    make = url_maker("cases:step", "key", reference="GW-2026-0042")
    for key in ("wat-is-er-gebeurd", "stap_2", "0slug0"):
        expected = reverse("cases:step", kwargs={"reference": "GW-2026-0042", "key": key})
        assert make(key) == expected
    with pytest.raises(NoReverseMatch):
        make("niet/een/stap")
