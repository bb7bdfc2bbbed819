"""The one PDF helper: HTML in, PDF out, with WeasyPrint.

The renderer may read the project's own static files and nothing else: no request leaves the
server (SSRF), not even to itself. Static files are found under their plain names (development,
tests: the finders) and under their hashed names (production: the manifest storage after
`collectstatic`), so the plan and the handout keep their stylesheets everywhere.
"""

import contextlib
import mimetypes
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured


def _static_bytes(name: str) -> bytes | None:
    """The bytes of static file `name` (plain or hashed), or None when there is none."""
    name = name.lstrip("/")
    if not name or ".." in name.split("/"):
        return None
    found = finders.find(name)
    if found:
        with open(found, "rb") as file:
            return file.read()
    candidates = [name]
    # Not in the manifest under this name: perhaps it is a hashed name already.
    stored_name = getattr(staticfiles_storage, "stored_name", None)  # manifest storages only
    if stored_name is not None:
        with contextlib.suppress(ValueError):
            candidates.insert(0, stored_name(name))
    for candidate in candidates:
        try:
            if staticfiles_storage.exists(candidate):
                with staticfiles_storage.open(candidate, "rb") as file:
                    return file.read()
        except (OSError, NotImplementedError, ValueError, ImproperlyConfigured):
            continue
    return None


def _static_only_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = unquote(urlsplit(url).path)
            if path.startswith(settings.STATIC_URL):
                body = _static_bytes(path[len(settings.STATIC_URL) :])
                if body is not None:
                    mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})
            raise ValueError(f"Not fetched for a PDF: {url[:80]}")

    return StaticOnlyFetcher()


def render_pdf(html: str, *, stylesheets: Iterable[str] = ()) -> bytes:
    """`html` as PDF bytes. `stylesheets` are static names (``"css/handout.css"``) applied on
    top of what the document links itself; links in the document resolve to static files."""
    from weasyprint import CSS, HTML  # heavy import, only where a PDF is made

    fetcher = _static_only_fetcher()
    sheets = []
    for name in stylesheets:
        body = _static_bytes(name)
        if body is None:
            raise FileNotFoundError(f"Static stylesheet not found: {name}")
        sheets.append(CSS(string=body.decode("utf-8"), url_fetcher=fetcher))
    document = HTML(string=html, base_url="/", url_fetcher=fetcher)
    # PDF/UA-1: tagged (headings, lists, tables, reading order), with the document's language
    # and title, so a screen reader reads the plan and the handout as the HTML pages.
    return document.write_pdf(stylesheets=sheets or None, pdf_variant="pdf/ua-1")
