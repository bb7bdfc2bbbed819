"""Browser tests: Debian's Chromium driven by playwright against pytest-django's live_server.

Playwright's own browser download cannot work here, so the tests launch Debian's Chromium:
its headless shell (package chromium-headless-shell, the "old" headless mode Playwright itself
uses for headless runs) where installed, otherwise /usr/bin/chromium; CHROMIUM_PATH overrides
both. The shell did the same browser tests with 18 % less CPU (510 instead of 622 CPU-seconds,
295 instead of 340 s on a 2-core machine). A missing browser fails the run; it is never skipped.
"""

import os
import weakref
from pathlib import Path

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import Error as PlaywrightError

from tests.content_snapshot import load_content
from tests.factories import PASSWORD, totp_code

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told this test process is not async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or next(
    (
        path
        for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
        if Path(path).exists()
    ),
    "/usr/bin/chromium",
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# The browser test modules, the one with the slowest test first. Under `--dist worksteal` a
# worker that runs out of tests takes the last half of another worker's queue, so the end of
# the browser block is what runs last: with the 24-second sweep of test_wcag_beyond_axe at the
# end, one worker ran it alone for 22 s after the other two had finished. A module not listed
# here goes first, where a slow test does no harm.
SLOWEST_FIRST = (
    "test_admin.py",  # 21-29 s per Dutch crawl
    "test_wcag_beyond_axe.py",  # 24 s
    "test_cases.py",  # 20 s
    "test_guidance.py",  # 16 s
    "test_accounts.py",
    "test_resources.py",
    "test_mfa.py",
    "test_glossary.py",
)


def pytest_collection_modifyitems(items):
    places = [n for n, item in enumerate(items) if "tests/browser/" in item.path.as_posix()]
    browser = [items[n] for n in places]
    for item in browser:
        item.add_marker(pytest.mark.browser)

    def rank(item):
        name = item.path.name
        return SLOWEST_FIRST.index(name) if name in SLOWEST_FIRST else -1

    for n, item in zip(places, sorted(browser, key=rank), strict=True):
        items[n] = item


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package "
            "(apt-get install chromium-headless-shell) or set CHROMIUM_PATH."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url():
    # Replaces pytest-base-url's fixture, whose definition pytest 9 deprecates; the tests
    # build their URLs from live_server.
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's base URL; the database is flushed after each test."""
    return live_server.url


def _content_missing():
    from guidance.models import Guide

    return not Guide.objects.exists()


@pytest.fixture(scope="module")
def _module_content(live_server, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_content()
        yield live_server.url
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def content_site(_module_content):
    """The live server's base URL with the product's content (`load_content`), loaded and
    committed once per test module and flushed after the module's last test: loading it
    takes seconds, so the tests of one module share it. Rows a test makes stay until the
    module ends, so build them with factories (unique values). A `site` test in between
    flushes the database; the content is then loaded again."""
    if _content_missing():
        load_content()
    return _module_content


@pytest.fixture(scope="session")
def _close_connections_at_end(django_db_setup, playwright):
    """Closes this worker's database connections before the test database is dropped.
    Django keeps a connection per thread and per asyncio context, and the test code of a
    browser test runs beside Playwright's event loop: the connections it opens there are not
    the ones Django closes before dropping the database, and PostgreSQL refused to drop a
    database still in use ("is being accessed by other users")."""
    yield
    connections.close_all()


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """pytest-django's helper of the same name, except that a `content_site` test keeps the
    module's committed content (no flush after each test)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    if "content_site" not in request.fixturenames:
        request.getfixturevalue("transactional_db")
    request.getfixturevalue("_close_connections_at_end")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


class ContextAxe(Axe):
    """axe-playwright-python's runner, except that axe-core (570 KB of script) is sent once
    per browser context, as a script every new document of the context runs first, instead of
    being sent and compiled again before every check: Chromium then compiles it once. This cut
    a crawl of 78 back-office pages by 12 % (0.05 s a page). axe only defines `window.axe`
    until it is run; contexts that never run it do not get it."""

    def __init__(self):
        super().__init__()
        self._contexts = weakref.WeakSet()

    def run(self, page, context=None, options=None):
        if page.context not in self._contexts:
            page.context.add_init_script(script=self.axe_script)
            self._contexts.add(page.context)
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.axe_script)  # the document opened before the context had it
        response = page.evaluate(
            "([context, options]) => axe.run(context || document, options || {})",
            [context, options],
        )
        return AxeResults(response)


@pytest.fixture(scope="session")
def axe():
    return ContextAxe()


# Stylesheet sets whose CSS axe has read in this worker (see axe_options).
_CSS_READ: set[tuple[str, ...]] = set()


def axe_options(page) -> dict:
    """axe's options for the WCAG 2.1 A and AA rules except colour contrast (see
    `axe_check`), violations only (collecting every passing node took half the time on a long
    page).

    Before its rules run, axe fetches and parses the page's stylesheets ("preload") for the
    one rule that reads CSS text (css-orientation-lock). Static files do not change during a
    run, so it does that once per set of stylesheets: a page that links the same files as one
    already checked gets the same answer. (Where a stylesheet @imports another, axe parses it
    through a <style> element the Content Security Policy refuses; it then gives that rule up
    after about 0.2 s, on every such page.)"""
    options = {
        "runOnly": {"type": "tag", "values": WCAG_21_AA},
        "resultTypes": ["violations"],
        "rules": {"color-contrast": {"enabled": False}},
    }
    sheets = tuple(page.evaluate("[...document.styleSheets].map((sheet) => sheet.href)"))
    if sheets in _CSS_READ:
        options["preload"] = False
    _CSS_READ.add(sheets)
    return options


# Colour contrast, the rule that took most of axe's time (0.77 of 0.83 s on a back-office list
# of 100 rows), is checked once per look of text: axe measures a text's colour against what
# is painted behind it, and two texts with the same computed colour, size, weight, visibility
# and the same backgrounds, opacities, filters and positioning on every element up to the
# root are the same measurement. The script below gives each element with text of its own
# (and each form field) such a signature, marks the first element of each signature this
# worker has not checked yet, and axe's color-contrast rule then runs on the marked elements
# only. A page whose looks were all checked before gets no contrast run. What this does not
# see: a text covered by, or drawn over, an element that is not one of its ancestors; axe
# reports text it cannot measure that way as "incomplete", never as a pass.
_CONTRAST_SEEN: set[str] = set()
_MARK = "data-contrast-sample"
_MARK_NEW_LOOKS = r"""([seen, mark]) => {
  const known = new Set(seen);
  const hash = (text) => {  // cyrb53: 53 bits; a run has a few thousand looks at most
    let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  };
  const chains = new Map();
  const chain = (el) => {  // what lies behind an element: its own box and its ancestors'
    if (!el) return "";
    if (!chains.has(el)) {
      const s = getComputedStyle(el);
      const before = getComputedStyle(el, "::before");
      const after = getComputedStyle(el, "::after");
      chains.set(el, [
        s.backgroundColor, s.backgroundImage, s.opacity, s.filter, s.mixBlendMode,
        s.position, s.zIndex, s.overflow, s.clip, s.clipPath,
        before.content, before.backgroundColor, after.content, after.backgroundColor,
      ].join(",") + "/" + chain(el.parentElement));
    }
    return chains.get(el);
  };
  const words = /[\p{L}\p{N}]/u;
  const fields = new Set(["INPUT", "SELECT", "TEXTAREA"]);
  for (const el of document.querySelectorAll(`[${mark}]`)) el.removeAttribute(mark);
  const fresh = new Set();
  for (const el of [document.body, ...document.body.querySelectorAll("*")]) {
    const text = [...el.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.data).join("");
    if (!text.trim() && !fields.has(el.tagName)) continue;
    const s = getComputedStyle(el);
    const key = hash([
      el.tagName, el.type || "", words.test(text), el.matches(":disabled"),
      el.closest("[aria-disabled=true]") !== null,
      el.checkVisibility({ visibilityProperty: true, opacityProperty: true }),
      el.getClientRects().length > 0,
      s.color, s.fontSize, s.fontWeight, s.fontStyle, s.textShadow,
      s.webkitTextFillColor, s.webkitTextStrokeWidth, s.textIndent, chain(el),
    ].join("|"));
    if (known.has(key) || fresh.has(key)) continue;
    fresh.add(key);
    el.setAttribute(mark, "");
  }
  return [...fresh];
}"""


def axe_check(axe, page, *, contrast: bool = True) -> AxeResults:
    """axe's WCAG 2.1 A and AA rules on the page as it is now; colour contrast (unless
    `contrast` is False) on the looks of text this worker has not checked yet (see above)."""
    results = axe.run(page, options=axe_options(page))
    if not contrast:
        return results
    looks = page.evaluate(_MARK_NEW_LOOKS, [list(_CONTRAST_SEEN), _MARK])
    if looks:
        measured = axe.run(
            page,
            context={"include": [[f"[{_MARK}]"]]},
            options={
                "runOnly": {"type": "rule", "values": ["color-contrast"]},
                "resultTypes": ["violations"],
                "preload": False,
            },
        )
        results.response["violations"] += measured.response["violations"]
        if not measured.response["violations"]:
            _CONTRAST_SEEN.update(looks)
    return results


@pytest.fixture
def assert_accessible(axe):
    """Run axe with the WCAG 2.1 A and AA rules on the page as it is now; fail on any
    violation with axe's own report."""

    def check(page):
        # A click that navigates returns before the new document exists; axe run on the
        # page being torn down fails with "documentElement of null" or a destroyed context.
        # Wait for the load, and run again once the navigation has settled.
        for attempt in range(3):
            page.wait_for_load_state("load")
            try:
                results = axe_check(axe, page)
                break
            except PlaywrightError as error:
                navigating = "documentElement" in str(error) or "context was destroyed" in str(
                    error
                )
                if not navigating or attempt == 2:
                    raise
                page.wait_for_timeout(200)
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def log_in(request, live_server):
    """Log in as the user does: e-mail and password, then the code from their app (factory
    users have the TOTP secret of tests.factories). With `content_site` the module's content
    stays; otherwise as `site`: flushed after."""
    if "content_site" not in request.fixturenames:
        request.getfixturevalue("site")

    def do(page, user, password=PASSWORD):
        page.goto(f"{live_server.url}/inloggen/")
        page.get_by_label("E-mailadres").fill(user.email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen", exact=True).click()
        page.wait_for_load_state()
        if "/account/2fa/authenticate/" in page.url:
            code = fresh_totp_code(user)
            page.get_by_label("Code", exact=True).fill(code)
            page.get_by_role("button", name="Bevestigen").click()
            page.wait_for_load_state()

    return do


def fresh_totp_code(user, secret=None) -> str:
    """The current code, usable even if this test already logged this user in during the
    same 30 seconds (a used code is refused; here the next period is as good as come)."""
    from django.core.cache import cache

    code = totp_code(secret) if secret else totp_code()
    cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")
    return code


@pytest.fixture(autouse=True)
def _short_timeouts(page):
    # Pages here answer in milliseconds; fail fast instead of waiting 30 s per locator.
    page.set_default_timeout(10_000)
