import re

from playwright.sync_api import expect

from tests.factories import UserFactory, totp_code


def open_map(page):
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.get_by_role("link", name="Sociale kaart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sociale kaart")


def test_filter_by_arabic_finds_mediagesprek_in_place(
    page, content_site, log_in, assert_accessible
):
    log_in(page, UserFactory())
    open_map(page)
    expect(page.get_by_role("heading", level=2, name="Wat is sexting misbruik?")).to_be_visible()
    assert_accessible(page)

    page.locator("summary", has_text="Taal").click()
    arabic = page.get_by_label("Arabisch")
    arabic.check()
    # htmx swapped the results in place: the URL follows, the count is announced and the
    # focus stays on the box that was ticked.
    expect(page).to_have_url(re.compile(r"/sociale-kaart/\?.*taal=ar"))
    expect(page.locator("#map-live")).to_have_text(re.compile(r"\d+ materialen gevonden"))
    expect(page.get_by_role("link", name="Het Mediagesprek", exact=True)).to_be_visible()
    expect(page.get_by_label("Arabisch")).to_be_focused()
    expect(page.get_by_label("Arabisch")).to_be_checked()
    assert_accessible(page)

    page.get_by_role("link", name="Het Mediagesprek", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Het Mediagesprek")
    expect(page.get_by_text("Arabisch, Engels, Frans, Nederlands, Turks")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="MediaDiamant").first.click()
    expect(
        page.get_by_role("heading", level=2, name="Verwijsroutes naar deze organisatie")
    ).to_be_visible()
    assert_accessible(page)
    page.go_back()

    page.go_back()
    expect(page).to_have_url(re.compile(r"taal=ar"))
    expect(page.get_by_label("Arabisch")).to_be_checked()


def test_the_map_works_without_javascript(browser, content_site, live_server):
    user = UserFactory()
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{content_site}/inloggen/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill("een-goed-wachtwoord-42")
    page.get_by_role("button", name="Inloggen").click()
    # The second factor works without JavaScript too.
    page.get_by_label("Code", exact=True).fill(totp_code())
    page.get_by_role("button", name="Bevestigen").click()
    page.goto(f"{content_site}/sociale-kaart/")
    page.get_by_label("Zoek in de sociale kaart").fill("mediagesprek")
    page.get_by_role("button", name="Zoeken en filteren").click()
    expect(page).to_have_url(re.compile(r"q=mediagesprek"))
    expect(page.get_by_role("link", name="Het Mediagesprek", exact=True)).to_be_visible()
    page.get_by_label("In de folder voor ouders: Het Mediagesprek").check()
    page.get_by_role("button", name="Keuze voor de folder bewaren").click()
    expect(page.get_by_text("De folder bevat nu 1 materiaal.")).to_be_visible()
    context.close()


def test_handout_pages_are_accessible(page, content_site, log_in, assert_accessible):
    log_in(page, UserFactory())
    page.goto(f"{content_site}/sociale-kaart/materiaal/mediagesprek/")
    page.get_by_label("In de folder voor ouders").check()
    page.get_by_role("button", name="Bewaren").click()
    page.goto(f"{content_site}/sociale-kaart/materiaal/helpwanted-hulplijn/")
    page.get_by_label("In de folder voor ouders").check()
    page.get_by_role("button", name="Bewaren").click()

    page.goto(f"{content_site}/sociale-kaart/folder/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Folder voor ouders")
    expect(page.locator(".handout-item")).to_have_count(2)
    assert_accessible(page)

    page.get_by_label("Taal van de folder").select_option("en")
    page.get_by_role("button", name="Taal kiezen").click()
    expect(page.locator(".handout-sheet")).to_have_attribute("lang", "en")
    expect(page.get_by_text("The Mediagesprek (media conversation)").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Afdrukversie").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("svg.qr-code")).to_have_count(2)
    assert_accessible(page)


def test_coordinator_review_list_is_accessible(page, content_site, log_in, assert_accessible):
    from accounts.constants import Role
    from accounts.services import DEMO_REGION
    from tests.factories import RegionFactory, TeamFactory

    region = RegionFactory(name=DEMO_REGION)
    log_in(page, UserFactory(role=Role.COORDINATOR, team=TeamFactory(region=region)))
    page.get_by_role("main").get_by_role("link", name="Te controleren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Te controleren")
    assert_accessible(page)
    page.locator("button", has_text="Wijkteam Demostad").click()
    expect(page.get_by_text("is vandaag gecontroleerd")).to_be_visible()

    # The CSV import: upload, a preview with an error by row and column, then a good file
    # confirmed as drafts. The upload page and both previews pass axe.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Coördinatie").click()
    page.get_by_role("link", name="Sociale kaart importeren (CSV)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sociale kaart importeren")
    assert_accessible(page)
    header = "name;description;attributes.kind;organization.name;languages.code\r\n"
    good = "Ouderavond;Een avond voor ouders.;training;Buurthuis De Brug;nl\r\n"
    for rows, title in ((good + "Tweede;Tekst.;video;Buurthuis;xx\r\n", "fout"), (good, "")):
        page.get_by_label("CSV-bestand").set_input_files(
            files=[{"name": "kaart.csv", "mimeType": "text/csv",
                    "buffer": ("\ufeff" + header + rows).encode()}]
        )  # fmt: skip
        page.get_by_role("button", name="Bekijk wat er gebeurt").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Import bekijken")
        assert_accessible(page)
        if title:
            expect(page.get_by_text("Onbekende taalcode: xx").first).to_be_visible()
            expect(page.get_by_role("button", name="Importeren als concept")).to_have_count(0)
            page.get_by_role("link", name="Ander bestand uploaden").click()
    page.get_by_role("button", name="Importeren als concept").click()
    expect(page.get_by_text("Geïmporteerd als concept: 1 nieuw, 0 gewijzigd.")).to_be_visible()


def test_source_review_list_is_accessible(page, content_site, log_in, assert_accessible):
    from accounts.constants import Role
    from tests.factories import RegionFactory, TeamFactory, make_sync_review

    region = RegionFactory(name="Regio met een bron")
    make_sync_review(region, title="Praatplaat voor ouders")
    log_in(page, UserFactory(role=Role.COORDINATOR, team=TeamFactory(region=region)))
    page.goto(f"{content_site}/sociale-kaart/te-controleren/")
    page.get_by_role("link", name="Bronnen beoordelen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bronnen beoordelen")
    assert_accessible(page)
    page.locator("button", has_text="Koppelen").click()
    expect(page.get_by_text("is opgeslagen")).to_be_visible()
    expect(page.get_by_text("Er is niets te beoordelen.")).to_be_visible()
    assert_accessible(page)


def test_arabic_handout_reads_right_to_left(page, site, log_in, assert_accessible):
    from tests.factories import ResourceFactory

    resource = ResourceFactory(
        title_nl="Het Mediagesprek",
        audiences=["ouders"],
        languages=["nl", "en", "tr", "ar"],
        parent_text_nl="Het Mediagesprek gaat over media in de opvoeding.",
    )
    log_in(page, UserFactory())
    page.goto(f"{site}{resource.get_absolute_url()}")
    page.get_by_label("In de folder voor ouders").check()
    page.get_by_role("button", name="Bewaren").click()

    # As the case links to it: the parents' language preselected.
    page.goto(f"{site}/sociale-kaart/folder/?taal=ar")
    expect(page.get_by_label("Taal van de folder")).to_have_value("ar")
    sheet = page.locator(".handout-sheet")
    expect(sheet).to_have_attribute("lang", "ar")
    expect(sheet).to_have_attribute("dir", "rtl")
    assert sheet.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert_accessible(page)

    page.get_by_role("link", name="Afdrukversie").click()
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("معلومات للوالدين")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The item is only written in Dutch: left to right inside the Arabic page, and said so.
    item = page.locator(".handout-parent-text")
    expect(item).to_have_attribute("lang", "nl")
    assert item.evaluate("el => getComputedStyle(el).direction") == "ltr"
    expect(page.get_by_text("هذا الشرح مكتوب هنا باللغة الهولندية.")).to_be_visible()
    expect(page.get_by_text("هذه المادة متوفرة بلغتكم.")).to_be_visible()
    assert_accessible(page)

    # A language nobody wrote a handout in: a message, not a silent Dutch handout.
    page.goto(f"{site}/sociale-kaart/folder/afdrukken/?taal=pl")
    expect(page).to_have_url(re.compile(r"/sociale-kaart/folder/\?taal=pl$"))
    expect(page.get_by_role("alert")).to_contain_text("Er is nog geen folder in het Pools.")
    expect(page.locator(".handout-sheet")).to_have_attribute("lang", "nl")
    assert_accessible(page)
