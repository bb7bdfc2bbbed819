import re

import pytest
from playwright.sync_api import expect

from accounts.constants import Role
from resources.models import Resource
from resources.services import resource_save
from tests.factories import ResourceFactory, UserFactory


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


def test_account_journey_is_accessible_in_dutch_and_english(page, site, log_in, assert_accessible):
    """A Beheerder's reset link, setting the password, Mijn account with its sessions and the
    own password form, and a used link: every page axe-clean in Dutch and in English."""
    import re as regex

    from django.core import mail

    from accounts.services import user_send_password_link

    worker = UserFactory()
    beheerder = UserFactory(role=Role.BEHEERDER, team=None)
    user_send_password_link(user=worker, actor=beheerder, base_url=site)
    link = regex.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    new_password = "rustige zin met vier woorden"

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord instellen")
    assert_accessible(page)
    page.locator("#id_new_password1").fill(new_password)
    page.locator("#id_new_password2").fill(new_password)
    page.get_by_role("button", name="Wachtwoord instellen").click()
    expect(page).to_have_url(f"{site}/inloggen/")
    expect(page.get_by_text("Uw wachtwoord is ingesteld")).to_be_visible()

    page.goto(link)  # the same link again
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet meer")
    assert_accessible(page)

    log_in(page, worker, password=new_password)
    page.get_by_role("link", name="Mijn account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    expect(page.get_by_text("deze sessie")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    page.locator("#id_old_password").fill("niet mijn wachtwoord")
    page.locator("#id_new_password1").fill("nog een rustige lange zin")
    page.locator("#id_new_password2").fill("nog een rustige lange zin")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(page.get_by_text("huidige wachtwoord klopt niet")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change password")
    assert_accessible(page)
    page.goto(f"{site}/mijn-account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    assert_accessible(page)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    assert_accessible(page)
    worker.refresh_from_db()  # a link is bound to the password and last login as they are now
    user_send_password_link(user=worker, actor=beheerder, base_url=site)
    page.goto(regex.search(r"https?://\S+", mail.outbox[-1].body).group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set password")
    assert_accessible(page)


def test_beheerder_reads_the_security_log_accessibly(page, site, log_in, assert_accessible):
    from accounts.constants import SecurityEventKind
    from accounts.services import security_event_record

    beheerder = UserFactory(role=Role.BEHEERDER, team=None)
    security_event_record(kind=SecurityEventKind.CASE_ACCESS_REFUSED, actor=beheerder,
                          ip_address="192.0.2.1", detail="GW-2026-0001")  # fmt: skip
    log_in(page, beheerder)
    page.goto(f"{site}/beheer/accounts/securityevent/")
    expect(page.get_by_text("GW-2026-0001")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{site}/beheer/accounts/user/add/")
    assert_accessible(page)

    # The back office's conflict page: another Beheerder saved while this one typed.
    resource = ResourceFactory(description_nl="Oorspronkelijk.")
    page.goto(f"{site}/beheer/resources/resource/{resource.pk}/change/")
    stored = Resource.objects.get(pk=resource.pk)
    stored.description_nl = "Aangevuld door een collega."
    resource_save(resource=stored)
    page.locator("#id_description_nl").fill("Mijn versie.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    expect(page.locator("#content")).to_contain_text("Aangevuld door een collega.")
    expect(page.locator("#id_description_nl")).to_have_value("Mijn versie.")
    assert_accessible(page)

    page.goto(f"{site}/mijn-account/")
    page.get_by_role("button", name="English").click()
    page.goto(f"{site}/beheer/accounts/securityevent/")
    expect(page.get_by_text("GW-2026-0001")).to_be_visible()
    assert_accessible(page)
