import re

from playwright.sync_api import expect

from cases.models import Case, StepProgress
from tests.factories import UserFactory


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

    # Screening: one signal answered ja.
    page.get_by_role("link", name="Screening", exact=True).first.click()
    assert_accessible(page)
    page.locator("fieldset").first.get_by_label("Ja").check()
    page.get_by_role("button", name="Screening opslaan").click()
    expect(page.locator(".gate-banner")).to_contain_text("Contact met ouders staat op slot")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Veilig Thuis")
    assert_accessible(page)

    # A parent-contact step is locked.
    page.get_by_role("link", name=re.compile("vertrouwen opbouwen")).click()
    expect(page.locator(".locked-step")).to_be_visible()
    expect(page.get_by_role("button", name="Opslaan en klaar")).to_have_count(0)
    assert_accessible(page)

    # Record the consultation: contact is safe.
    page.goto(f"{content_site}/casussen/{case.reference}/stap/raadpleeg-veilig-thuis/")
    page.get_by_label("Veilig Thuis", exact=True).check()
    page.get_by_label("Adviseur").fill("Adviseur Veilig Thuis")
    page.get_by_label("Samenvatting van het advies").fill("Gesprek met ouders kan, met tolk.")
    page.get_by_label("Contact met ouders is veilig").check()
    page.get_by_label("De jongere weet wat ik ga doen").check()
    page.get_by_role("button", name="Advies vastleggen").click()
    expect(page.locator(".gate-banner")).to_have_count(0)

    # The parent step is open now; mark it done with a note.
    page.goto(f"{content_site}/casussen/{case.reference}/stap/vertrouwen-opbouwen/")
    page.get_by_label("Uw aantekeningen bij deze stap").fill("Afspraak met tolk Turks.")
    page.get_by_role("button", name="Opslaan en klaar").click()
    assert StepProgress.objects.get(case=case, step_key="vertrouwen-opbouwen").status == "done"

    # The plan, printable.
    page.goto(f"{content_site}/casussen/{case.reference}/plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Gespreksplan {case.reference}")
    expect(page.get_by_text("Afspraak met tolk Turks.")).to_be_visible()
    expect(page.get_by_text("staat op slot")).to_have_count(0)
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    page.emulate_media(media="screen")

    for path in ("gegevens/", "delen/", "logboek/"):
        page.goto(f"{content_site}/casussen/{case.reference}/{path}")
        assert_accessible(page)
