"""The guides as `make run` loads them: the corrections of issue 9 reach the published
version readers see, in Dutch and English, and loading again changes nothing."""

import re

import pytest
from django.core.management import call_command

from guidance.models import GuideVersion
from guidance.selectors import guide_version
from tests.content_checks import SOURCE_CODE, old_article_cited_as_current, texts_of

GUIDES = ["ouders-slachtoffer", "ouders-jeugdige-pleger", "voorlichting-groepen-ouders"]


@pytest.fixture
def published(db, content):
    """The newest published snapshot of every guide after load_content (loaded once per
    class: the `content` fixture), by slug."""
    return {slug: guide_version(slug=slug).snapshot for slug in GUIDES}


def step(snapshot: dict, key: str) -> dict:
    return next(s for s in snapshot["steps"] if s["key"] == key)


def with_honour_branch(published: dict) -> list[dict]:
    snapshots = [s for s in published.values() if s["honour_branch"] is not None]
    assert len(snapshots) == 2  # the victim and perpetrator guides
    return snapshots


def text(step: dict, language: str) -> str:
    """Body, checklist, dos and don'ts of a step in one language."""
    parts = [step["body"][language]]
    for field in ("checklist", "dos", "donts"):
        parts += step[field][language]
    return "\n".join(parts)


class GuideCorrectionTests:
    def test_loading_twice_publishes_no_new_version(self, published):
        call_command("load_content", verbosity=0)
        assert GuideVersion.objects.count() == len(GUIDES)
        assert {slug: guide_version(slug=slug).snapshot for slug in GUIDES} == published

    def test_readers_get_the_corrected_version_in_dutch_and_english(
        self, client, worker, published
    ):
        client.force_login(worker)
        url = "/leidraden/ouders-slachtoffer/stap/beelden-laten-verwijderen/"
        html = client.get(url).content.decode()
        assert "<strong>betaal niet</strong>" in html
        assert "Meldpunt Kinderporno" in html
        client.post("/taal/", {"language": "en", "next": "/"})
        html = client.get(url).content.decode()
        assert "<strong>do not pay</strong>" in html

    def test_meldcode_questions_1_and_2_are_in_step_4_and_3_to_5_in_step_5(self, published):
        for snapshot in with_honour_branch(published):
            weigh = step(snapshot, "meldcode-4-wegen")
            decide = step(snapshot, "meldcode-5-beslissen")
            for language, word in (("nl", "Afweging"), ("en", "Question")):
                question = re.compile(rf"^{word} \d:")
                in_4 = [line for line in weigh["checklist"][language] if question.match(line)]
                in_5 = [line for line in decide["checklist"][language] if question.match(line)]
                assert [line.split(":")[0] for line in in_4] == [f"{word} 1", f"{word} 2"]
                assert [line.split(":")[0] for line in in_5] == [f"{word} {n}" for n in (3, 4, 5)]
            assert "stappen 1 tot en met 3" in weigh["checklist"]["nl"][1]
            assert "steps 1 to 3" in weigh["checklist"]["en"][1]

    def test_victim_guide_says_do_not_pay_stop_contact_keep_the_evidence(self, published):
        removal = step(published["ouders-slachtoffer"], "beelden-laten-verwijderen")
        for phrase in ("betaal niet", "stop het contact", "bewaar het bewijs"):
            assert phrase in removal["body"]["nl"], phrase
        for phrase in ("do not pay", "stop contact", "keep the evidence"):
            assert phrase in removal["body"]["en"], phrase
        assert "beelden-verwijderen-offlimits-meldpunt" in removal["routes"]

    def test_separate_talks_with_father_and_mother_in_victim_and_perpetrator_guides(
        self, published
    ):
        for slug in ("ouders-slachtoffer", "ouders-jeugdige-pleger"):
            first_talk = step(published[slug], "vertrouwen-opbouwen")
            assert "vader en moeder (ook) apart" in text(first_talk, "nl"), slug
            assert "father and the mother separately" in text(first_talk, "en"), slug
        perpetrator = step(published["ouders-jeugdige-pleger"], "vertrouwen-opbouwen")
        assert "spreekt de ouders apart" in perpetrator["body"]["nl"]
        group = step(published["voorlichting-groepen-ouders"], "titel-en-uitnodiging")
        assert "aparte bijeenkomsten voor vaders en voor moeders" in group["body"]["nl"]

    def test_seed_figures_are_given_with_year_and_source(self, published):
        awareness = step(published["voorlichting-groepen-ouders"], "bewustzijn-creeren")
        for language, helpwanted in (("nl", "1.944"), ("en", "1,944")):
            body = awareness["body"][language]
            for figure in ("826", "933", "2017", "2019", "569", helpwanted, "(EOKM, 2021)"):
                assert figure in body, (language, figure)
            assert "Sondorp" in body and "2018" in body and "100" in body
        victim = step(published["ouders-slachtoffer"], "beelden-laten-verwijderen")
        assert "569" in victim["body"]["nl"] and "1.944" in victim["body"]["nl"]
        assert "1,944" in victim["body"]["en"]
        law = step(published["ouders-jeugdige-pleger"], "kennis-wet-en-gevolgen")
        for language in ("nl", "en"):
            assert "826" in law["body"][language] and "933" in law["body"][language]
            assert "Sondorp" in law["body"][language]

    def test_images_of_minors_cite_article_252_and_nothing_old_as_current(self, published):
        law_steps = [
            ("ouders-slachtoffer", "plegers-en-de-wet"),
            ("ouders-jeugdige-pleger", "kennis-wet-en-gevolgen"),
            ("voorlichting-groepen-ouders", "plegers-gender-en-wet"),
        ]
        for slug, key in law_steps:
            law = step(published[slug], key)
            assert "artikel 252" in law["body"]["nl"], slug
            assert "article 252" in law["body"]["en"], slug
        for slug, snapshot in published.items():
            for piece in texts_of(snapshot):
                assert not old_article_cited_as_current(piece), (slug, piece[:80])
                assert not SOURCE_CODE.search(piece), (slug, piece[:80])
                if "Aanwijzing kinderpornografie" in piece:
                    assert "2016" in piece, slug
                    assert "dateert van vóór" in piece or "dates from before" in piece, slug

    def test_suicide_prevention_line_where_the_screening_asks_about_suicide(self, published):
        for snapshot in with_honour_branch(published):
            question = next(
                q for q in snapshot["questions"] if q["key"] == "zelfbeschadiging-of-zelfdoding"
            )
            for language in ("nl", "en"):
                assert "113" in question["help_text"][language]
                assert "0800-0113" in question["help_text"][language]
        for slug in ("ouders-slachtoffer", "ouders-jeugdige-pleger"):
            for key in ("screening-eergerelateerd-geweld", "nazorg-jongere"):
                assert "zelfdoding-113" in step(published[slug], key)["routes"], (slug, key)
