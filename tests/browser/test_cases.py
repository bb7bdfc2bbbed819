import re

from playwright.sync_api import expect

from cases.models import Case, StepProgress
from cases.services import case_update_step
from tests.factories import UserFactory

NARROW = {"width": 375, "height": 800}


def assert_no_sideways_scroll(page):
    """At 375 px the page reflows: nothing sticks out to the right (WCAG 1.4.10)."""
    page.set_viewport_size(NARROW)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert width <= NARROW["width"], f"{page.url} is {width}px wide at 375px"


def test_a_whole_case_screening_ja_locked_consultation_steps_plan(
    page, content_site, log_in, assert_accessible
):
    worker = UserFactory()
    log_in(page, worker)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn casussen")
    assert_accessible(page)

    page.get_by_role("link", name="Nieuwe casus voorbereiden").click()
    assert_accessible(page)
    page.get_by_label("Gesprek met ouders van een (recent) slachtoffer").check()
    page.get_by_label("Leeftijd van de jongere").select_option("16_17")
    page.get_by_label("Wat is er gebeurd?").select_option("exposing")
    page.get_by_label("Turks").check()
    page.get_by_role("button", name="Casus aanmaken").click()
    case = Case.objects.get(owner=worker)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    # The skip link leads past the header to the case's step list.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Naar de stappen van deze casus")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("case-steps")

    # Screening: one signal answered ja; the young person does not know about the talk.
    page.get_by_role("link", name="Screening", exact=True).first.click()
    expect(page.get_by_role("button", name="Screening opslaan")).to_be_visible()
    assert_accessible(page)
    page.locator("fieldset").first.get_by_label("Ja").check()
    page.locator(
        "fieldset", has_text="Weet de jongere dat u met de ouders wilt praten"
    ).get_by_label("Nee").check()
    page.get_by_role("button", name="Screening opslaan").click()
    expect(page.locator(".gate-banner")).to_contain_text("Contact met ouders staat op slot")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Veilig Thuis")
    expect(page.locator(".btn-primary")).to_have_count(1)
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    # A parent-contact step is locked.
    page.get_by_role("link", name=re.compile("vertrouwen opbouwen")).click()
    expect(page.locator(".locked-step")).to_be_visible()
    expect(page.get_by_role("button", name="Opslaan en klaar")).to_have_count(0)
    assert_accessible(page)

    # The list keeps the flag and says what the case waits for.
    page.goto(f"{content_site}/casussen/")
    expect(page.locator(".case-card")).to_contain_text("Wacht op advies Veilig Thuis")
    assert_no_sideways_scroll(page)

    # Record the consultation on its own page: contact is safe.
    page.goto(f"{content_site}/casussen/{case.reference}/stap/raadpleeg-veilig-thuis/")
    page.get_by_role("link", name="Advies vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Advies vastleggen")
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    page.get_by_label("Veilig Thuis", exact=True).check()
    page.get_by_label("Adviseur").fill("Adviseur Veilig Thuis")
    page.get_by_label("Samenvatting van het advies").fill("Gesprek met ouders kan, met tolk.")
    page.get_by_label("Contact met ouders is veilig").check()
    page.get_by_label("De jongere weet wat ik ga doen").check()
    page.get_by_role("button", name="Advies vastleggen").click()
    # The step is done and the case opens on the next open step, with what is missing.
    expect(page.locator(".gate-banner")).to_have_count(0)
    expect(page.locator("[aria-current=step]")).not_to_contain_text("Raadpleeg eerst")
    assert StepProgress.objects.get(case=case, step_key="raadpleeg-veilig-thuis").status == "done"
    expect(page.locator(".readiness-banner")).to_contain_text("weet niet van het gesprek")
    assert_accessible(page)

    # The worker records why the conversation goes ahead anyway.
    page.get_by_role("link", name="Vastleggen waarom het gesprek toch doorgaat").click()
    assert_accessible(page)
    page.get_by_label("Waarom gaat het gesprek met de ouders toch door?").fill(
        "Afgesproken met Veilig Thuis: de jongere wordt vooraf ingelicht."
    )
    page.get_by_role("button", name="Reden vastleggen").click()
    expect(page.locator(".case-header")).to_contain_text("Klaar voor gesprek")

    # The parent step is open now; mark it done with a note.
    page.goto(f"{content_site}/casussen/{case.reference}/stap/vertrouwen-opbouwen/")
    expect(page.locator(".btn-primary")).to_have_count(1)
    assert_no_sideways_scroll(page)
    page.get_by_label("Uw aantekeningen bij deze stap").fill("Afspraak met tolk Turks.")
    page.get_by_role("button", name="Opslaan en klaar").click()
    assert StepProgress.objects.get(case=case, step_key="vertrouwen-opbouwen").status == "done"

    # Nothing typed is lost: a save on a page that went stale meanwhile gets the conflict
    # page with both texts, the worker's own kept in the form; saving again merges.
    step_url = f"{content_site}/casussen/{case.reference}/stap/vertrouwen-opbouwen/"
    page.goto(step_url)
    version = StepProgress.objects.get(case=case, step_key="vertrouwen-opbouwen").version
    case_update_step(
        case=case, actor=worker, step_key="vertrouwen-opbouwen", version=version,
        notes="Afspraak met tolk Turks. Tolk is geboekt.",
    )  # fmt: skip
    page.get_by_label("Uw aantekeningen bij deze stap").fill("Afspraak met tolk Turks (oud).")
    page.get_by_role("button", name="Aantekeningen opslaan").click()
    expect(page.locator(".conflict")).to_contain_text("Tolk is geboekt.")
    notes = page.get_by_label("Uw aantekeningen bij deze stap")
    expect(notes).to_have_value("Afspraak met tolk Turks (oud).")
    assert_accessible(page)
    notes.fill("Afspraak met tolk Turks.")
    page.get_by_role("button", name="Aantekeningen opslaan").click()
    expect(page.locator(".conflict")).to_have_count(0)
    expect(notes).to_have_value("Afspraak met tolk Turks.")

    # The history of the case's texts: who, when, what.
    page.get_by_role("link", name="Geschiedenis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Geschiedenis")
    expect(page.locator(".text-history")).to_contain_text("Tolk is geboekt.")
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    # The list: still flagged, with the advice and its date.
    page.goto(f"{content_site}/casussen/")
    card = page.locator(".case-card")
    expect(card).to_contain_text("Signalen van eergerelateerd geweld")
    expect(card).to_contain_text("Contact veilig na advies")
    expect(card).to_contain_text("Exposing")
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    # The plan, printable; the guide only as an appendix.
    page.goto(f"{content_site}/casussen/{case.reference}/plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Gespreksplan {case.reference}")
    expect(page.get_by_text("Afspraak met tolk Turks.")).to_be_visible()
    expect(page.get_by_text("Kernboodschappen voor dit gesprek")).to_be_visible()
    expect(page.get_by_text("staat op slot")).to_have_count(0)
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    page.emulate_media(media="screen")
    page.get_by_role("link", name="Met de volledige leidraad als bijlage").click()
    expect(page.get_by_role("heading", name="Bijlage: de leidraad")).to_be_visible()
    assert_accessible(page)

    for path in ("gegevens/", "delen/", "logboek/", "screening/"):
        page.goto(f"{content_site}/casussen/{case.reference}/{path}")
        assert_accessible(page)
