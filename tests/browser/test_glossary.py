from playwright.sync_api import expect

from tests.factories import UserFactory


def test_glossary_pages_are_accessible_and_searchable(
    page, content_site, log_in, assert_accessible
):
    log_in(page, UserFactory())
    page.get_by_role("link", name="Begrippen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Begrippenlijst")
    assert_accessible(page)

    page.get_by_role("link", name="H", exact=True).click()
    expect(page).to_have_url(f"{content_site}/begrippen/?letter=h")
    expect(page.get_by_role("heading", level=2, name="H")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Zoek een begrip").fill("Eer gerelateerd")
    page.get_by_role("button", name="Zoeken").click()
    first = page.locator(".term-item h3 a").first
    expect(first).to_have_text("eergerelateerd geweld")
    assert_accessible(page)

    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("eergerelateerd geweld")
    expect(page.get_by_role("heading", name="Zo zeg je het tegen ouders")).to_be_visible()
    assert_accessible(page)


def test_term_page_in_english_is_accessible(page, content_site, log_in, assert_accessible):
    log_in(page, UserFactory())
    page.goto(f"{content_site}/begrippen/shame-sexting/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="How to say it to parents")).to_be_visible()
    assert_accessible(page)
