"""The back office (/beheer/) crawled as a Coördinator and as a Beheerder, in Dutch and English:
every distinct admin view a role reaches by following links from the index (index, app index,
changelist, add, change, history, a history version, delete confirmation) must have
no axe violation (WCAG 2.1 A and AA) and no console error or CSP violation. A new model or view
is covered as soon as a link leads to it.

In Dutch, the history list, the delete confirmation and the app index are checked once per role:
Django and django-simple-history render each of them with one template for every model, and
only the rows differ (the history's versions, the objects a delete takes along, the app's
models). The other views of those kinds are still opened (a request without the browser: their
answer must be 200) and their links followed, so the history versions, which render each
model's own form, are all checked. (Checking every one in the browser took 35 of the 116 pages.)

The English pass checks one page of each kind of view (index, app index, changelist, add,
change, history, history version, delete, "delete selected") instead of every view: the pages
of one kind share their templates, styles and scripts, and the language changes only their
text, so the Dutch pass has already met every difference between two views of a kind.
Colour contrast is checked on the Dutch pass only, as the colours do not change with the
language. (Every view in English too took 61 of the crawl's 155 worker-seconds.)"""

import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from accounts.constants import Role
from guidance.models import Guide
from tests.browser.conftest import axe_check
from tests.factories import (
    OrganisationFactory,
    ReferralRouteFactory,
    ResourceFactory,
    TeamFactory,
    UserFactory,
)

ADMIN = "/beheer/"
# Links that leave the back office or end the session.
NOT_CRAWLED = ("/beheer/r/", "/beheer/logout/", "/beheer/password_change/", "/beheer/login/")

# Recorded in the page before any of its own scripts run; the browser fires the event for
# every resource, inline style or script the Content Security Policy refuses.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


def view_key(url: str) -> str | None:
    """One key per admin view: the object's id and the query are left out, so each view is
    checked once whichever object a link names. A popup (`_popup=1`, the same form without the
    page's header) is the view it shows and is not visited again."""
    parts = urlsplit(url)
    if not parts.path.startswith(ADMIN) or parts.path.startswith(NOT_CRAWLED):
        return None
    segments = parts.path[len(ADMIN) :].strip("/").split("/")
    if len(segments) >= 3 and segments[2] != "add":
        segments[2] = "<id>"
    if len(segments) >= 5:  # a history version: .../<id>/history/<version>/
        segments[4] = "<version>"
    return "/".join(segments)


def view_kind(url: str) -> str | None:
    """One key per kind of admin view (see the module's docstring): the view's key without
    its app and model."""
    key = view_key(url)
    if key is None:
        return None
    segments = key.split("/") if key else []
    if len(segments) < 3:
        return ("index", "app index", "changelist")[len(segments)]
    return "/".join(segments[2:])


# Kinds of view that render one template for every model (see the module's docstring).
SAME_TEMPLATE = {"app index", "<id>/history", "<id>/delete"}


class _Links(HTMLParser):
    def __init__(self, base):
        super().__init__()
        self.base, self.hrefs = base, []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href is not None:
            self.hrefs.append(urljoin(self.base, href))


class Crawl:
    def __init__(self, page, site, axe, key=view_key):
        """`key` names what counts as the same view: a link whose key was seen is not
        followed."""
        self.page, self.site, self.axe, self.key = page, site, axe, key
        self.contrast = True
        self.once: set[str] = set()  # kinds checked in the browser only once
        self.fetched: list[str] = []  # views opened without the browser
        self.console: list[str] = []
        page.add_init_script(CSP_LISTENER)
        page.on(
            "console",
            lambda message: message.type == "error" and self.console.append(message.text),
        )
        page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))

    def problems_here(self) -> list[str]:
        # The page's own errors first: axe parses stylesheets through <style> elements the CSP
        # refuses, which would otherwise count as the page's.
        found = [f"csp {entry}" for entry in self.page.evaluate("window.__csp || []")]
        found += [f"console {text}" for text in self.console]
        results = axe_check(self.axe, self.page, contrast=self.contrast)
        self.console.clear()
        for violation in results.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(f"axe {violation['id']} ({len(violation['nodes'])}): {targets}")
        return found

    def run(self, seeds=()) -> dict[str, list[str]]:
        """Visit the index and the seeds, then every view linked from a visited page, once
        per view. Returns each visited address's problems."""
        queue = [f"{self.site}{ADMIN}", *(f"{self.site}{seed}" for seed in seeds)]
        seen = {self.key(url) for url in queue}
        checked_kinds = set()
        report: dict[str, list[str]] = {}
        while queue:
            url = queue.pop(0)
            kind = view_kind(url)
            if kind in self.once and kind in checked_kinds:
                response = self.page.request.get(url)
                assert response.ok, f"{url}: {response.status}"
                self.fetched.append(url.removeprefix(self.site))
                links = _Links(url)
                links.feed(response.text())
                hrefs = links.hrefs
            else:
                response = self.page.goto(url)
                assert response.ok, f"{url}: {response.status}"
                report[url.removeprefix(self.site)] = self.problems_here()
                checked_kinds.add(kind)
                hrefs = self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
            for href in hrefs:
                href = href.split("#")[0]
                key = self.key(href)
                if key is not None and key not in seen and href.startswith(self.site):
                    seen.add(key)
                    queue.append(href)
        return report

    def action_confirmation(self, changelist: str) -> dict[str, list[str]]:
        """The one admin view behind a POST: "delete selected" asks for confirmation first
        (nothing is deleted until that page's own button is pressed)."""
        self.page.goto(f"{self.site}{changelist}")
        self.page.locator("input.action-select").first.check()
        self.page.locator("select[name=action]").select_option("delete_selected")
        self.page.locator("button[name=index]").click()
        expect(self.page.locator("body.delete-selected-confirmation")).to_be_visible()
        return {f"{changelist} (delete selected)": self.problems_here()}


@pytest.fixture
def staff(content_site):
    """A Coördinator whose region has its own organisation, resource and route (their change
    pages are forms; national ones are read-only), and a Beheerder."""
    team = TeamFactory()
    organisation = OrganisationFactory(region=team.region)
    resource = ResourceFactory(region=team.region, organisation=organisation)
    route = ReferralRouteFactory(region=team.region, organisation=organisation, resource=resource)
    national = ResourceFactory()
    return {
        Role.COORDINATOR: (
            UserFactory(role=Role.COORDINATOR, team=team),
            [
                f"{ADMIN}resources/organisation/{organisation.pk}/change/",
                f"{ADMIN}resources/resource/{resource.pk}/change/",
                f"{ADMIN}resources/referralroute/{route.pk}/change/",
                f"{ADMIN}resources/resource/{national.pk}/change/",
            ],
        ),
        # A guide's history lists its versions (the English pass sees one history page).
        Role.BEHEERDER: (
            UserFactory(role=Role.BEHEERDER, team=None),
            [f"{ADMIN}guidance/guide/{Guide.objects.get(slug='ouders-slachtoffer').pk}/history/"],
        ),
    }


# Views each crawl must have reached, so a crawler that stops finding links fails loudly.
EXPECTED_VIEWS = {
    Role.COORDINATOR: {
        "", "resources", "resources/resource", "resources/resource/add",
        "resources/resource/<id>/change", "resources/resource/<id>/history",
        "resources/resource/<id>/history/<version>", "glossary/term/<id>/change",
    },
    Role.BEHEERDER: {
        "", "accounts/user/add", "accounts/user/<id>/change", "auth/group",
        "accounts/securityevent", "glossary/term/add", "glossary/term/<id>/delete",
        "guidance/guide/<id>/change", "guidance/guide/<id>/history/<version>",
        "resources/resource/<id>/delete",
    },
}  # fmt: skip
EXPECTED_KINDS = {
    Role.COORDINATOR: {
        "index", "app index", "changelist", "add", "<id>/change", "<id>/history",
        "<id>/history/<version>",
    },
    Role.BEHEERDER: {
        "index", "app index", "changelist", "add", "<id>/change", "<id>/history",
        "<id>/history/<version>", "<id>/delete",
    },
}  # fmt: skip


# One test per role and language, so the two workers share the crawl (the Beheerder's Dutch
# and English passes were one 200-second test that often ran last on one worker).
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.BEHEERDER])
def test_every_back_office_page_is_accessible_without_console_errors(
    page, content_site, log_in, axe, staff, role, language
):
    started = time.monotonic()
    user, seeds = staff[role]
    log_in(page, user)
    crawl = Crawl(page, content_site, axe)

    # The detector itself works: an inline style, an image without a text and text too pale
    # to read are reported.
    page.goto(f"{content_site}{ADMIN}")
    page.evaluate(
        "document.body.setAttribute('style', 'color: red');"
        "document.querySelector('main').append(document.createElement('img'));"
        # Too light to read, set through the CSSOM (which the CSP allows): a new look of text
        # on a page whose other looks may all have been checked already.
        "const pale = document.createElement('p');"
        "pale.textContent = 'Te licht om te lezen'; pale.style.color = '#eeeeee';"
        "document.querySelector('main').append(pale)"
    )
    problems = crawl.problems_here()
    assert any(problem.startswith("csp style-src-attr") for problem in problems), problems
    assert any(problem.startswith("axe image-alt") for problem in problems), problems
    if crawl.contrast:
        assert any(problem.startswith("axe color-contrast") for problem in problems), problems

    if language == "nl":
        crawl.once = SAME_TEMPLATE
    else:
        # One page of each kind, without colour contrast (see the module's docstring).
        crawl.key = view_kind
        crawl.contrast = False
        page.get_by_role("button", name="English").click()  # the back office's own switch
        expect(page.locator("html")).to_have_attribute("lang", language)
    report = crawl.run(seeds)
    if role == Role.BEHEERDER:
        report.update(crawl.action_confirmation(f"{ADMIN}resources/theme/"))
    elapsed = time.monotonic() - started

    views = {crawl.key(f"{content_site}{url.split(' ')[0]}") for url in [*report, *crawl.fetched]}
    expected = EXPECTED_VIEWS[role] if language == "nl" else EXPECTED_KINDS[role]
    assert expected <= views, expected - views
    if language == "nl":  # each kind of SAME_TEMPLATE checked once, the rest only opened
        checked = {view_kind(f"{content_site}{url.split(' ')[0]}") for url in report}
        assert SAME_TEMPLATE & EXPECTED_KINDS[role] <= checked
        assert {view_kind(f"{content_site}{url}") for url in crawl.fetched} <= SAME_TEMPLATE
    bad = {url: problems for url, problems in report.items() if problems}
    lines = [f"{role} {language}: {len(bad)} of {len(report)} pages with problems"]
    for url, problems in bad.items():
        lines.append(f"  {url}")
        lines += [f"    {problem}" for problem in problems]
    print(
        f"\n{role} {language}: {len(report)} pages checked and {len(crawl.fetched)} opened "
        f"in {elapsed:.1f} s"
    )
    assert not bad, "\n".join(lines)
