"""The conversation plan: a typed selector, page one the summary, the guide only as an
appendix, and a realistic case that prints in at most three A4 pages (read from the PDF)."""

import io
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cases.constants import AGREEMENT_QUESTION_KEY, AgeRange, Situation, StepStatus
from cases.gate import StepView
from cases.selectors import Plan, case_plan, key_messages
from cases.services import (
    case_answer_question,
    case_create,
    case_record_consultation,
    case_update_step,
)
from guidance.selectors import guide_version
from tests.content_snapshot import load_content
from tests.factories import UserFactory, make_case, make_guide


def url(case, suffix=""):
    return f"/casussen/{case.reference}/{suffix}"


def talk(key, dos, *, locked=False, status=StepStatus.OPEN, kind="gesprek_met_ouders"):
    spec = {"key": key, "kind": kind, "title": {"nl": key}, "dos": {"nl": dos, "en": dos}}
    return StepView(spec=spec, status=status, locked=locked)


def pdf_pages(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


class KeyMessageTests:
    def test_the_first_advice_of_each_conversation_step_at_most_five(self):
        steps = [talk(f"s{n}", [f"doe {n}a", f"doe {n}b"]) for n in range(7)]
        messages = key_messages(steps)
        assert [m.text["nl"] for m in messages] == [
            "doe 0a",
            "doe 1a",
            "doe 2a",
            "doe 3a",
            "doe 4a",
        ]
        assert messages[0].step_title == {"nl": "s0"}

    def test_a_second_round_when_there_are_fewer_than_three(self):
        steps = [talk("a", ["a1", "a2", "a3"]), talk("b", ["b1"])]
        assert [m.text["nl"] for m in key_messages(steps)] == ["a1", "b1", "a2"]

    def test_locked_skipped_and_other_steps_give_none(self):
        steps = [
            talk("locked", ["x"], locked=True),
            talk("skipped", ["y"], status=StepStatus.NOT_APPLICABLE),
            talk("knowledge", ["z"], kind="kennis"),
            talk("none", []),
        ]
        assert key_messages(steps) == []


@pytest.fixture
def case(db):
    return make_case()


class PlanSelectorTests:
    def test_the_plan_is_a_typed_object(self, case):
        plan = case_plan(case=case, user=case.owner)
        assert isinstance(plan, Plan)
        assert plan.case == case
        assert plan.next_step.key == "wat-is-er-gebeurd"
        assert plan.noted_steps == []
        assert not plan.appendix and plan.terms == []

    def test_key_messages_come_from_the_guide_version(self, db):
        guide = make_guide(
            steps=[
                {"key": "voorbereiden", "kind": "voorbereiding", "dos_nl": "Lees eerst."},
                {
                    "key": "gesprek",
                    "kind": "gesprek_met_ouders",
                    "involves_parent_contact": True,
                    "dos_nl": "Luister eerst.\nNeem de tijd.",
                },
            ]
        )
        case = make_case(guide=guide)
        for key in ("dreiging", "angst-familie"):
            case_answer_question(case=case, actor=case.owner, question_key=key, answer="nee")
        case.refresh_from_db()
        messages = [m.text["nl"] for m in case_plan(case=case, user=case.owner).key_messages]
        assert messages == ["Luister eerst.", "Neem de tijd."]


class PlanPageTests:
    def test_a_plan_with_no_steps_done_renders(self, client, case):
        client.force_login(case.owner)
        response = client.get(url(case, "plan/"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Nog geen aantekeningen bij de stappen." in html
        assert "Stap wat-is-er-gebeurd" in html
        pdf = client.get(url(case, "plan.pdf"))
        assert pdf.status_code == 200
        assert "Volgende stap" in pdf_pages(pdf.content)[0]

    def test_the_guide_text_only_in_the_appendix(self, client, case):
        client.force_login(case.owner)
        assert "Tekst van wat-is-er-gebeurd." not in client.get(url(case, "plan/")).content.decode()
        html = client.get(url(case, "plan/?bijlage=1")).content.decode()
        assert "Bijlage: de leidraad" in html
        assert "Tekst van wat-is-er-gebeurd." in html
        assert "Tekst van vertrouwen" not in html  # locked: no conversation script
        assert client.get(url(case, "plan/?bijlage=kapot")).status_code == 200

    def test_the_handout_link_carries_the_parents_first_language(self, client, db):
        case = make_case(parent_languages=["tr", "ar"])
        client.force_login(case.owner)
        html = client.get(url(case, "plan/")).content.decode()
        assert 'href="/sociale-kaart/folder/?taal=tr"' in html
        assert "?taal=ar" not in html


NOTES = {
    "wat-is-er-gebeurd": (
        "Foto gedeeld in een groepsapp van de klas, daarna doorgestuurd naar een expose-account. "
        "De jongere heeft het zelf aan de mentor verteld. Beelden zijn gemeld bij het platform; "
        "de school weet ervan en houdt contact met de mentor."
    ),
    "wat-wil-en-weet-de-jongere": (
        "Wil dat de ouders het van ons horen en niet van anderen. Is bang dat vader boos wordt, "
        "maar verwacht geen geweld. Wil bij het gesprek niet zelf aanwezig zijn; wel vooraf "
        "weten wat we gaan zeggen."
    ),
    "beelden-laten-verwijderen": (
        "Samen met de jongere een melding gedaan bij Helpwanted. Account is offline gehaald. "
        "Afgesproken dat de jongere nieuwe verspreiding meteen doorgeeft."
    ),
    "taal-en-tolk": (
        "Moeder spreekt weinig Nederlands; professionele tolk Turks aangevraagd via de "
        "tolkendienst. Geen familielid laten tolken. Materiaal in het Turks meegeven."
    ),
    "vertrouwen-opbouwen": (
        "Beginnen met wat goed gaat: de jongere doet het goed op school en is zorgzaam. "
        "Neutrale woorden gebruiken: intieme foto's, liefde. Vader aanspreken op zijn rol als "
        "beschermer van het gezin."
    ),
}


def test_a_realistic_plan_prints_in_three_pages_with_the_summary_on_page_one(client, db):
    load_content()
    worker = UserFactory()
    case = case_create(
        owner=worker,
        guide_version=guide_version(slug="ouders-slachtoffer"),
        age_range=AgeRange.J16_17,
        situation=Situation.EXPOSING,
        cultural_context="Turks-Nederlands, islamitisch",
        parent_languages=["tr", "nl"],
        notes="Eerste contact via de mentor van school.",
    )
    for key, value in (("angst-reactie-familie", "twijfel"), (AGREEMENT_QUESTION_KEY, "ja")):
        case_answer_question(case=case, actor=worker, question_key=key, answer=value)
    case.refresh_from_db()
    case_record_consultation(
        case=case, actor=worker, consulted_on=timezone.localdate(), organisation="veilig_thuis",
        advisor="Aandachtsfunctionaris Veilig Thuis",
        advice_summary="Gesprek met ouders kan, met een professionele tolk, zonder de jongere.",
        outcome="contact_ouders_veilig", young_person_informed=True,
    )  # fmt: skip
    for key, text in NOTES.items():
        case_update_step(case=case, actor=worker, step_key=key, status="done", notes=text)
    client.force_login(worker)

    pdf = client.get(url(case, "plan.pdf")).content
    pages = pdf_pages(pdf)
    if os.environ.get("PLAN_PDF_OUT"):  # to look at it: PLAN_PDF_OUT=/tmp/plan.pdf
        Path(os.environ["PLAN_PDF_OUT"]).write_bytes(pdf)

    assert len(pages) <= 3, [len(p) for p in pages]
    # Tagged PDF/UA: structure, language and title for screen readers.
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "nl"
    assert reader.metadata.title
    first = pages[0]
    for text in (
        f"Gespreksplan {case.reference}",
        "Stand van zaken",
        "Klaar voor gesprek",
        "Contact veilig na advies",
        "Exposing",
        "Contact met ouders is veilig",
        "Kernboodschappen voor dit gesprek",
        "Luister eerst",
        "112",
        "0800-2000",
        "Verwijzingen",
        "Slachtofferhulp",
        "Volgende stap",
    ):
        assert text in first, text
    assert "Mijn aantekeningen" not in first
    rest = " ".join(pages[1:])
    assert "Account is offline gehaald." in rest
    assert "Bijlage" not in rest

    with_appendix = pdf_pages(client.get(url(case, "plan.pdf?bijlage=1")).content)
    assert len(with_appendix) > len(pages)
    assert "Bijlage: de leidraad" in " ".join(with_appendix)
    page_number = re.compile(r"\d+ / \d+ ?$")
    assert page_number.sub("", with_appendix[0]) == page_number.sub("", first)
