"""Addresses of slug pages, built without reverse() per link.

A list page links dozens of entries (an organisation's 50 materials, a glossary letter's
terms), and reverse() walks the resolver for each: a tenth of such a page. A slug is only
letters, digits, "-" and "_" (SlugField), which reverse() leaves as they are, so the address
is reversed once per view, URLconf and script prefix, with a placeholder where the slug goes.
"""

import functools
import re

from django.urls import get_script_prefix, get_urlconf, reverse

_PLACEHOLDER = "0slug0"
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def url_maker(viewname: str, slug_kwarg: str, **kwargs):
    """A function that gives reverse(viewname, kwargs={**kwargs, slug_kwarg: slug}) for any
    slug, from one reverse(): a case's step navigator links each of its steps."""
    before, _, after = reverse(viewname, kwargs={**kwargs, slug_kwarg: _PLACEHOLDER}).partition(
        _PLACEHOLDER
    )

    def make(slug: str) -> str:
        if not _SLUG.fullmatch(slug):  # let reverse() refuse it
            return reverse(viewname, kwargs={**kwargs, slug_kwarg: slug})
        return f"{before}{slug}{after}"

    return make


@functools.lru_cache(maxsize=64)
def _slug_maker(viewname: str, urlconf, prefix: str):
    return url_maker(viewname, "slug")


def slug_url(viewname: str, slug: str) -> str:
    """reverse(viewname, kwargs={"slug": slug}), the same string, for a view whose only
    argument is a `<slug:slug>`: url_maker() kept per view, URLconf and script prefix."""
    return _slug_maker(viewname, get_urlconf(), get_script_prefix())(slug)
