"""The one sanitising function of the project: Markdown from the database to safe HTML.

Raw HTML in the source is never passed through: Markdown's HTML handling is switched off, so
`<script>` is shown as text, and the output goes through an nh3 allowlist as a second wall.
Only http and https links survive (and in-page and site-relative ones).
"""

import threading

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote",
    "code", "pre", "h2", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https"}


class _NoRawHtml(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


_parsers = threading.local()


def _parser() -> markdown.Markdown:
    """One Markdown parser per thread (building one costs more than most conversions), reset
    before every use so nothing of the previous text carries over."""
    parser = getattr(_parsers, "markdown", None)
    if parser is None:
        parser = markdown.Markdown(extensions=[_NoRawHtml(), "sane_lists"], output_format="html")
        _parsers.markdown = parser
    return parser.reset()


def render_markdown(text: str | None) -> SafeString:
    """Render untrusted Markdown to HTML that is safe to put in a page."""
    if not text:
        return mark_safe("")
    html = _parser().convert(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by the allowlist above


def is_http_url(value: str) -> bool:
    """True for absolute http(s) addresses: the only kind of link the product stores."""
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    return parts.scheme in ALLOWED_URL_SCHEMES and bool(parts.netloc)
