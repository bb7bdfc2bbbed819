"""Turn glossary labels inside rendered HTML into links to their terms."""

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from django.urls import reverse
from django.utils.html import escape

from glossary.text import fold

# Never link inside these: an existing link, a heading, code, or form controls.
SKIP_TAGS = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "button", "label"})


def _trie_pattern(labels) -> str:
    """One regular expression for all labels, as a trie: 'sexting' and 'sexting misbruik'
    become `sexting(?: misbruik)?`. The engine then tries one branch per character instead of
    every label at every position, and the greedy `?` still prefers the longest label (falling
    back to a shorter one when the longer does not end on a word boundary)."""
    trie: dict = {}
    for label in labels:
        node = trie
        for char in label.lower():
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node) -> str:
        branches = [re.escape(char) + build(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


@dataclass(frozen=True)
class Matcher:
    """The compiled labels of one language and the folded label -> (term id, slug) lookup.
    Built once per label-index version (see glossary.selectors.glossary_matcher)."""

    pattern: re.Pattern | None
    lookup: dict


def build_matcher(entries) -> Matcher:
    lookup = {}
    for text, term_id, slug in entries:
        lookup.setdefault(fold(text), (term_id, slug))
    if not lookup:
        return Matcher(None, lookup)
    body = _trie_pattern(text for text, _, _ in entries)
    return Matcher(re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE), lookup)


@lru_cache(maxsize=8)
def _matcher(entries: tuple[tuple[str, int, str], ...]) -> Matcher:
    return build_matcher(entries)


class _Linker(HTMLParser):
    def __init__(self, pattern, lookup, exclude_id, url_prefix):
        super().__init__(convert_charrefs=False)
        self.pattern, self.lookup = pattern, lookup
        self.linked = {exclude_id} if exclude_id is not None else set()
        self.url_prefix = url_prefix
        self.skipping: list[str] = []
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in SKIP_TAGS:
            self.skipping.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_data(self, data):
        self.out.append(data if self.skipping else self.pattern.sub(self._link, data))

    def _link(self, match):
        text = match.group(0)
        term_id, slug = self.lookup.get(fold(text), (None, None))
        if term_id is None or term_id in self.linked:
            return text
        self.linked.add(term_id)
        return f'<a href="{escape(self.url_prefix + slug)}/" class="glossary-link">{text}</a>'


def link_terms(
    html: str, entries: "list[tuple[str, int, str]] | Matcher", exclude_id: int | None
) -> str:
    """Link the first occurrence of each term's label in `html` (already safe HTML). `entries`
    is a built Matcher, or the label entries themselves (then compiled here, kept for 8)."""
    matcher = entries if isinstance(entries, Matcher) else _matcher(tuple(entries))
    pattern, lookup = matcher.pattern, matcher.lookup
    if pattern is None:
        return html
    url_prefix = reverse("glossary:detail", kwargs={"slug": "x"})[:-2]
    linker = _Linker(pattern, lookup, exclude_id, url_prefix)
    linker.feed(html)
    linker.close()
    return "".join(linker.out)
