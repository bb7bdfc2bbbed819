"""Checking whether an address still answers (for `manage.py check_links`)."""

import urllib.error
import urllib.request
from dataclasses import dataclass

from glossary.sanitize import is_http_url

USER_AGENT = "Gesprekswijzer-linkcontrole/1.0 (+sociale kaart)"


@dataclass(frozen=True)
class LinkResult:
    ok: bool
    error: str = ""


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) addresses only."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not is_http_url(newurl):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_HttpOnlyRedirects)


def _request(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    with _opener.open(request, timeout=timeout) as response:
        return response.status


def check_url(url: str, *, timeout: float = 5.0) -> LinkResult:
    """Ask the address with a short timeout: HEAD first, GET when HEAD is not allowed. Any
    answer below 400 counts as working."""
    if not is_http_url(url):
        return LinkResult(False, "geen http(s)-adres")
    try:
        try:
            status = _request(url, "HEAD", timeout)
        except urllib.error.HTTPError as exc:
            if exc.code not in (403, 405, 501):
                raise
            status = _request(url, "GET", timeout)
    except urllib.error.HTTPError as exc:
        return LinkResult(False, f"HTTP {exc.code}")
    except TimeoutError:
        return LinkResult(False, "time-out")
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            return LinkResult(False, "time-out")
        return LinkResult(False, "geen verbinding")
    except (OSError, ValueError):
        return LinkResult(False, "geen verbinding")
    if status >= 400:
        return LinkResult(False, f"HTTP {status}")
    return LinkResult(True)
