from playwright.sync_api import expect

from guidance.branching import reading_steps
from guidance.selectors import guide_version
from tests.factories import UserFactory


def test_guide_pages_are_accessible(page, content_site, log_in, assert_accessible):
    log_in(page, UserFactory())
    page.goto(f"{content_site}/leidraden/")
    assert_accessible(page)
    page.goto(f"{content_site}/leidraden/ouders-slachtoffer/")
    assert_accessible(page)
    page.goto(f"{content_site}/leidraden/ouders-slachtoffer/stap/vertrouwen-opbouwen/")
    assert_accessible(page)
    page.goto(f"{content_site}/leidraden/ouders-slachtoffer/afdrukken/")
    assert_accessible(page)


# How many Tab stops certainly lie between the focus and the target: links, buttons and form
# fields after the focus and before the target in the document, rendered, enabled and in the
# tab order. None where the tab order may differ from the document's (a positive tabindex, a
# radio group) or the focus is nowhere. An undercount only means more checked presses.
TAB_STOPS_AHEAD = """(target) => {
  const from = document.activeElement;
  const reordered = '[tabindex]:not([tabindex="0"]):not([tabindex^="-"]), input[type=radio]';
  if (!from || from === document.body || document.querySelector(reordered)) return 0;
  const after = (a, b) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  const fields = "a[href], button, input:not([type=hidden]), select, textarea";
  return [...document.querySelectorAll(fields)]
    .filter((el) => !el.disabled && el.tabIndex >= 0 && !el.closest("[inert]"))
    .filter((el) => el.checkVisibility({ visibilityProperty: true }))
    .filter((el) => after(from, el) && after(el, target)).length;
}"""
# The focus is already past the target (the count was wrong): fail instead of wrapping round.
PASSED = """(el) => Boolean(
  el.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING
)"""


def test_read_guide_one_from_start_to_end_with_the_keyboard_only(page, content_site, log_in):
    steps = reading_steps(snapshot=guide_version(slug="ouders-slachtoffer").snapshot)
    log_in(page, UserFactory())
    page.goto(f"{content_site}/leidraden/")

    def press_tab_until(locator, limit=200):
        # The stops that certainly come first are pressed past without asking the page after
        # each (a round trip per Tab was half of this test's time); then Tab and check.
        ahead = locator.evaluate(TAB_STOPS_AHEAD)
        for _ in range(ahead):
            page.keyboard.press("Tab")
        assert not locator.evaluate(PASSED), f"Tab went past {locator}"
        for _ in range(limit):
            page.keyboard.press("Tab")
            if locator.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"could not reach {locator} with Tab")

    guide_link = page.get_by_role("link", name="Gesprek met ouders van een (recent) slachtoffer")
    press_tab_until(guide_link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("slachtoffer")

    begin = page.get_by_role("link", name="Begin met lezen")
    press_tab_until(begin)
    page.keyboard.press("Enter")

    for number, step in enumerate(steps, start=1):
        expect(page.locator(".step-progress")).to_have_text(f"Stap {number} van {len(steps)}")
        expect(page.get_by_role("heading", level=1)).to_have_text(step["title"]["nl"])
        if number < len(steps):
            # As a keyboard user would: the skip link into the content, then on to the pager.
            page.keyboard.press("Tab")
            expect(page.locator("a.skip-link[href='#main']")).to_be_focused()
            page.keyboard.press("Enter")
            press_tab_until(page.locator("a[rel=next]"))
            page.keyboard.press("Enter")
    back = page.get_by_role("link", name="Terug naar het overzicht")
    press_tab_until(back)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{content_site}/leidraden/ouders-slachtoffer/")


def test_beheerder_edits_reorders_previews_and_publishes_a_guide(
    page, content_site, log_in, assert_accessible
):
    """The guide editor of the back office, with the keyboard where it matters: the guide
    page's step list, a step page with its preview, and the diff before publishing. The
    module's content stays loaded, so the guide has a slug of its own."""
    from accounts.constants import Role
    from tests.factories import make_guide

    site = content_site
    guide = make_guide(slug="proef-redactie")
    log_in(page, UserFactory(role=Role.BEHEERDER, team=None))
    page.goto(f"{site}/beheer/guidance/guide/{guide.pk}/change/")
    assert_accessible(page)

    # Reorder with the keyboard: focus the button, press Enter (a plain form post).
    page.get_by_role("button", name="Omhoog Stap vertrouwen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("‘Stap vertrouwen’ staat nu op plaats 3.")).to_be_visible()
    rows = page.locator("#stappen tbody th a")
    expect(rows.nth(2)).to_have_text("Stap vertrouwen")

    rows.nth(2).click()
    expect(page.get_by_role("heading", name="Voorbeeld", exact=True)).to_be_visible()
    assert_accessible(page)
    page.locator("#id_body_nl").fill("Eerst **luisteren**, dan praten.")
    page.get_by_role("button", name="Voorbeeld", exact=True).click()
    expect(page.get_by_text("Hij is nog niet opgeslagen.")).to_be_visible()
    expect(page.locator("#voorbeeld strong").first).to_have_text("luisteren")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan", exact=True).click()
    step = guide.steps.get(key="vertrouwen")
    expect(page).to_have_url(f"{site}/beheer/guidance/guide/{guide.pk}/change/#stap-{step.pk}")

    page.get_by_role("link", name="Publiceer", exact=True).click()
    expect(page.get_by_role("heading", name="Verplaatst")).to_be_visible()
    expect(page.locator("ins", has_text="luisteren")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publiceer versie 2").click()
    expect(page.get_by_text("zonder notitie wordt niets gepubliceerd").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Wat verandert er?").fill("Vertrouwen eerder, met luisteren.")
    page.get_by_role("button", name="Publiceer versie 2").click()
    expect(page.get_by_text("versie 2 is gepubliceerd")).to_be_visible()
    assert guide.versions.get(number=2).note == "Vertrouwen eerder, met luisteren."
    page.goto(f"{site}/beheer/guidance/guideversion/")
    expect(page.get_by_text("Vertrouwen eerder, met luisteren.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{site}/beheer/guidance/step/")
    assert_accessible(page)
