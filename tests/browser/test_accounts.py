import re

import pytest
from playwright.sync_api import expect

from accounts.constants import Role
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("role", "landing", "heading"),
    [
        (Role.MEDEWERKER, "/casussen/", "Mijn casussen"),
        (Role.COORDINATOR, "/coordinatie/", "Coördinatie"),
        (Role.BEHEERDER, "/beheer/", "Beheer"),
    ],
)
def test_each_role_logs_in_and_lands_on_an_accessible_page(
    page, site, log_in, assert_accessible, role, landing, heading
):
    user = UserFactory(role=role, **({"team": None} if role == Role.BEHEERDER else {}))
    log_in(page, user)
    expect(page).to_have_url(f"{site}{landing}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_accessible(page)


def test_login_page_is_accessible_and_shows_the_help_bar(page, site, assert_accessible):
    page.goto(f"{site}/inloggen/")
    expect(page.get_by_role("complementary", name="Hulp bij gevaar")).to_contain_text("0800-2000")
    assert_accessible(page)


def test_failed_login_shows_an_accessible_error(page, site, log_in, assert_accessible):
    user = UserFactory()
    log_in(page, user, password="fout-wachtwoord")
    expect(page.get_by_text("passen niet bij een actief account")).to_be_visible()
    assert_accessible(page)


def test_switch_language_to_english_and_back(page, site):
    page.goto(f"{site}/inloggen/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def test_skip_link_is_first_and_moves_focus_to_main(page, site, log_in):
    log_in(page, UserFactory())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=re.compile("Naar de inhoud"))
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_worker_logs_out(page, site, log_in):
    log_in(page, UserFactory())
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(f"{site}/inloggen/")
