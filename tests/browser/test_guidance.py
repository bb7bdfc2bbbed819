from playwright.sync_api import expect

from guidance.selectors import guide_version
from guidance.services import reading_steps
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


def test_read_guide_one_from_start_to_end_with_the_keyboard_only(page, content_site, log_in):
    steps = reading_steps(snapshot=guide_version(slug="ouders-slachtoffer").snapshot)
    log_in(page, UserFactory())
    page.goto(f"{content_site}/leidraden/")

    def press_tab_until(locator, limit=200):
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
