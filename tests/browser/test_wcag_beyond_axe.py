"""Every page of the front end (not the /beheer/ back office) as an anonymous visitor, a worker
and a coordinator reach it, measured for what axe does not check: control borders and focus
rings at 3:1, focus rings solid and 2 px or more, reflow at 320 px, text at 200 % (see
tests/browser/a11y.py). One page load per page; every failure of every page in one report.

The pages come from the URLconf: `test_every_front_end_url_is_swept_or_excluded_with_a_reason`
fails when a view is added that the sweep does not visit, so a new page is measured too."""

import re
import time

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from accounts.constants import Role
from accounts.tokens import invitation_tokens, password_link_tokens
from cases.constants import ConsultationOutcome, ConsultedOrganisation
from cases.services import case_answer_question, case_record_consultation
from glossary.models import Term
from guidance.models import Guide, ScreeningQuestion
from resources.models import Organisation, Resource
from tests.browser.a11y import backdrop, check_page, contrast, over, parse_colour
from tests.factories import PASSWORD, UserFactory, make_case, make_sync_review

# URL names the sweep visits; each is listed once, where the sweep below builds its address.
SWEPT = {
    # anonymous
    "accounts:login",
    "account_login",
    "accessibility_statement",
    "accounts:password_link",
    "accounts:invitation",
    "account_inactive",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "mfa_authenticate",
    "mfa_activate_totp",
    # worker
    "cases:list",
    "cases:new",
    "cases:detail",
    "cases:step",
    "cases:screening",
    "cases:consult",
    "cases:go_ahead",
    "cases:details",
    "cases:sharing",
    "cases:plan",
    "cases:log",
    "cases:history",
    "guidance:list",
    "guidance:guide",
    "guidance:step",
    "guidance:print",
    "guidance:versions",
    "resources:map",
    "resources:resource",
    "resources:organisation",
    "resources:handout",
    "resources:handout_print",
    "glossary:index",
    "glossary:detail",
    "accounts:account",
    "accounts:password_change",
    "account_reauthenticate",
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_list_webauthn",
    "mfa_add_webauthn",
    # coordinator
    "accounts:coordinator_home",
    "resources:review",
    "resources:source_reviews",
    "resources:map_import",
    "resources:map_import_preview",
    "statistics",
}

# URL names that are no page of the front end, or that the sweep cannot reach, and why.
NOT_SWEPT = {
    "health": "JSON for the load balancer",
    "health-live": "JSON for the load balancer",
    "health-ready": "JSON for the load balancer",
    "baseline": "make bench's reference response",
    "set_language": "POST only (the language buttons)",
    "beheer/login/": "redirects to accounts:login",
    "admin_password_change_redirect": "redirects to accounts:password_change",
    "accounts:home": "redirects to the role's landing page (cases:list, coordinator_home)",
    "accounts:logout": "POST only",
    "account_logout": "POST only",
    "accounts:session_end": "POST only",
    "cases:plan_pdf": "a PDF (see the accessibility statement's limitations)",
    "statistics_csv": "a CSV file: the figures of the statistics page, hidden the same way",
    "cases:close": "POST only",
    "cases:reopen": "POST only",
    "resources:handout_pick": "POST only",
    "resources:handout_reset": "POST only",
    "resources:handout_pdf": "a PDF (see the accessibility statement's limitations)",
    "resources:mark_checked": "POST only",
    "resources:source_review": "POST only (the choices on resources:source_reviews)",
    "resources:map_export": "a CSV file: the social map as the map page's filters show it",
    "resources:map_import_confirm": "POST only",
    "guidance:preview": "a Beheerder's preview of a draft (back office)",
    "mfa_download_recovery_codes": "a text file",
    "mfa_reauthenticate_webauthn": "needs a real passkey (tests/browser/test_mfa.py)",
    "mfa_remove_webauthn": "needs a real passkey (tests/browser/test_mfa.py)",
    "mfa_edit_webauthn": "needs a real passkey (tests/browser/test_mfa.py)",
    "openid_connect_login": "only with OIDC_ENABLED; hands over to the identity provider",
    "openid_connect_callback": "only with OIDC_ENABLED (its error page is swept)",
}

# Whole parts of the site that are not the front end.
OTHER_PARTS = ("admin:", "hsds:")


class ContrastMathsTests:
    """The measuring stick: WCAG 2.1's contrast ratio, checked against known values."""

    def test_black_on_white_is_21_and_a_colour_on_itself_is_1(self):
        assert contrast((0, 0, 0), (255, 255, 255)) == 21
        assert contrast((11, 79, 92), (11, 79, 92)) == 1

    def test_known_pairs(self):
        # #767676 is the lightest grey with 4.5:1 on white; Bootstrap's #dee2e6 border is 1.3.
        assert round(contrast((118, 118, 118), (255, 255, 255)), 2) == 4.54
        assert round(contrast((222, 226, 230), (255, 255, 255)), 2) == 1.30
        assert round(contrast((108, 117, 125), (255, 255, 255)), 2) == 4.69

    def test_translucent_colours_are_painted_over_what_is_behind(self):
        # Bootstrap's focus glow, rgba(13, 110, 253, .25), on white: too faint for 3:1.
        glow = over(parse_colour("rgba(13, 110, 253, 0.25)"), (255, 255, 255))
        assert contrast(glow, (255, 255, 255)) < 1.5
        assert backdrop(["rgba(0, 0, 0, 0)", "rgb(11, 79, 92)", "rgb(255, 255, 255)"]) == (
            11,
            79,
            92,
        )

    def test_an_unreadable_colour_fails_loudly(self):
        with pytest.raises(ValueError):
            parse_colour("color(display-p3 1 0 0)")


def _url_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or entry.pattern}"


def test_every_front_end_url_is_swept_or_excluded_with_a_reason():
    names = {
        name
        for name in _url_names(get_resolver().url_patterns)
        if not name.startswith(OTHER_PARTS) and name != "favicon.ico"
    }
    assert names - SWEPT - NOT_SWEPT.keys() == set(), "add these pages to the sweep below"
    assert (SWEPT | NOT_SWEPT.keys()) - names == set(), "these URL names no longer exist"


def _link(tokens, user, name):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = "wachtwoord-instellen" if name == "password_link" else "uitnodiging"
    return f"/{path}/{uid}/{tokens.make_token(user)}/"


def _flagged_case(worker, guide, *, consulted=False, **fields):
    case = make_case(owner=worker, guide=guide, **fields)
    signal = ScreeningQuestion.objects.filter(guide=guide.honour_branch, is_honour_signal=True)
    case_answer_question(case=case, actor=worker, question_key=signal.first().key, answer="ja")
    if consulted:
        case_record_consultation(
            case=case,
            actor=worker,
            consulted_on=timezone.localdate(),
            organisation=ConsultedOrganisation.VEILIG_THUIS,
            advisor="Adviseur Veilig Thuis",
            advice_summary="Contact met de ouders is veilig, met een tolk.",
            outcome=ConsultationOutcome.CONTACT_OUDERS_VEILIG,
            young_person_informed=True,
        )
    return case


def _sweep(page, site, paths, report, visited):
    for path in paths:
        started = time.perf_counter()
        findings = check_page(page, f"{site}{path}")
        visited.append((path, findings.controls, findings.focusable, time.perf_counter() - started))
        report.extend(f"{path}: {problem}" for problem in findings.problems)


def test_every_user_page_meets_wcag_aa_beyond_axe(browser, content_site, log_in, assert_accessible):
    guide = Guide.objects.get(slug="ouders-slachtoffer")
    resource = Resource.objects.published().order_by("slug").first()
    organisation = Organisation.objects.published().order_by("slug").first()
    term = Term.objects.published().order_by("slug").first()
    worker = UserFactory()
    # Two cases with signals of honour-related violence: one waiting for advice (the gate
    # banner, a locked step), one with the advice recorded; the list shows both with badges.
    case = _flagged_case(worker, guide)
    _flagged_case(worker, guide, consulted=True, cultural_context="Turks-Nederlands gezin")
    colleague = UserFactory(team=worker.team)
    coordinator = UserFactory(role=Role.COORDINATOR, team=worker.team)
    make_sync_review(worker.team.region)
    newcomer = UserFactory(mfa=False)
    link_user = UserFactory()
    report, visited = [], []
    started = time.perf_counter()

    def context():
        opened = browser.new_context(locale="nl-NL")
        opened.set_default_timeout(10_000)
        return opened

    # Anonymous visitors: the login, the statement, the set-password links, the SSO pages.
    anonymous = context()
    page = anonymous.new_page()
    _sweep(
        page,
        content_site,
        [
            "/inloggen/",
            "/toegankelijkheid/",
            _link(password_link_tokens, link_user, "password_link"),
            _link(invitation_tokens, link_user, "invitation"),
            "/account/inactief/",
            "/account/sso/geannuleerd/",
            "/account/sso/fout/",
            "/bestaat-niet/",
        ],
        report,
        visited,
    )
    page.goto(f"{content_site}/toegankelijkheid/")
    assert_accessible(page)
    # Half-way through a login: the second factor's page.
    page.goto(f"{content_site}/inloggen/")
    page.get_by_label("E-mailadres").fill(colleague.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page).to_have_url(f"{content_site}/account/2fa/authenticate/")
    _sweep(page, content_site, ["/account/2fa/authenticate/"], report, visited)
    anonymous.close()

    # A new user who still has to set up the second factor.
    enrolling = context()
    page = enrolling.new_page()
    log_in(page, newcomer)
    expect(page).to_have_url(f"{content_site}/account/2fa/")
    _sweep(page, content_site, ["/account/2fa/totp/activate/"], report, visited)
    enrolling.close()

    # The worker: cases, guides, the social map, the glossary, their account.
    working = context()
    page = working.new_page()
    log_in(page, worker)
    ref = case.reference
    _sweep(
        page,
        content_site,
        [
            "/casussen/",
            "/casussen/nieuw/",
            f"/casussen/{ref}/",
            f"/casussen/{ref}/stap/vertrouwen-opbouwen/",
            f"/casussen/{ref}/stap/raadpleeg-veilig-thuis/",
            f"/casussen/{ref}/screening/",
            f"/casussen/{ref}/advies/",
            f"/casussen/{ref}/doorgaan/",
            f"/casussen/{ref}/gegevens/",
            f"/casussen/{ref}/delen/",
            f"/casussen/{ref}/plan/",
            f"/casussen/{ref}/logboek/",
            f"/casussen/{ref}/geschiedenis/",
            "/leidraden/",
            f"/leidraden/{guide.slug}/",
            f"/leidraden/{guide.slug}/stap/vertrouwen-opbouwen/",
            f"/leidraden/{guide.slug}/afdrukken/",
            f"/leidraden/{guide.slug}/versies/",
            "/sociale-kaart/",
            f"/sociale-kaart/organisaties/{organisation.slug}/",
            f"/sociale-kaart/materiaal/{resource.slug}/",
        ],
        report,
        visited,
    )
    # The handout with something in it (the last page swept is the resource's).
    page.get_by_label("In de folder voor ouders").check()
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("De folder bevat nu 1 materiaal.")).to_be_visible()
    _sweep(
        page,
        content_site,
        [
            "/sociale-kaart/folder/",
            "/sociale-kaart/folder/afdrukken/",
            "/begrippen/",
            f"/begrippen/{term.slug}/",
            "/mijn-account/",
            "/mijn-account/wachtwoord/",
            "/account/bevestigen/",
            "/account/2fa/",
            "/account/2fa/reauthenticate/",
            "/account/2fa/totp/deactivate/",
            "/account/2fa/recovery-codes/",
            "/account/2fa/recovery-codes/generate/",
            "/account/2fa/webauthn/",
            "/account/2fa/webauthn/add/",
            "/coordinatie/",  # a worker is refused: the 403 page
        ],
        report,
        visited,
    )
    # On a step page, of a guide or of a case, the step list is two Tab presses away (it
    # comes after the step's text in the page, so without the skip link it took 51).
    for path, steps in (
        (f"/leidraden/{guide.slug}/stap/vertrouwen-opbouwen/", "guide-steps"),
        (f"/casussen/{ref}/stap/vertrouwen-opbouwen/", "case-steps"),
    ):
        page.goto(f"{content_site}{path}")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_attribute("href", f"#{steps}")
        page.keyboard.press("Enter")
        expect(page.locator(":focus")).to_have_id(steps)
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_attribute("href", re.compile(r"/stap/"))
    working.close()

    # The coordinator: their home, the review list, the map as they see it, the figures.
    coordinating = context()
    page = coordinating.new_page()
    log_in(page, coordinator)
    _sweep(
        page,
        content_site,
        [
            "/coordinatie/",
            "/sociale-kaart/te-controleren/",
            "/sociale-kaart/bronnen/beoordelen/",
            "/sociale-kaart/",
            f"/sociale-kaart/materiaal/{resource.slug}/",
            "/statistieken/",
            "/sociale-kaart/importeren/",
        ],
        report,
        visited,
    )
    # The import's preview, of a file with an error in a row.
    page.goto(f"{content_site}/sociale-kaart/importeren/")
    page.get_by_label("CSV-bestand").set_input_files(
        files=[{"name": "kaart.csv", "mimeType": "text/csv", "buffer": (
            b"name,description,attributes.kind,organization.name,languages.code\n"
            b"Ouderavond,Een avond voor ouders.,training,Buurthuis,nl\n"
            b"Tweede,Tekst.,video,Buurthuis,xx\n"
        )}]
    )  # fmt: skip
    page.get_by_role("button", name="Bekijk wat er gebeurt").click()
    expect(page.get_by_role("heading", name="Import bekijken", level=1)).to_be_visible()
    _sweep(page, content_site, [page.url.removeprefix(content_site)], report, visited)
    # The figures of the region (two cases: small counts hidden) also pass axe.
    page.goto(f"{content_site}/statistieken/")
    expect(page.get_by_role("heading", name="Statistieken", level=1)).to_be_visible()
    assert_accessible(page)
    coordinating.close()

    elapsed = time.perf_counter() - started
    summary = "\n".join(
        f"  {path}: {controls} controls, {focusable} focusable, {seconds:.2f}s"
        for path, controls, focusable, seconds in visited
    )
    print(f"\n{len(visited)} pages in {elapsed:.1f}s\n{summary}")
    assert not report, f"{len(report)} problems on {len(visited)} pages:\n" + "\n".join(report)
