"""Checks shared by the content tests: internal source codes and outdated law in the texts
users read."""

import re

# The seeds are numbered 000–004 (glossary.constants.SOURCES); such a number must never
# appear in text shown to users. Phone numbers such as 0800-2000 do not match.
SOURCE_CODE = re.compile(r"(?<![\w-])00[0-4](?![\w-])")

# The pre-2024 article on sexual images of minors, replaced by art. 252 Sr on 1 July 2024
# (Wet seksuele misdrijven, Stb. 2024, 59). It may only be named as replaced.
OLD_ARTICLE = "240b"
REPLACED = ("252", "verving", "replaced", "niet meer", "no longer")


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def old_article_cited_as_current(text: str) -> list[str]:
    """Sentences naming the old article without saying it was replaced."""
    return [
        sentence
        for sentence in sentences(text)
        if OLD_ARTICLE in sentence and not any(word in sentence for word in REPLACED)
    ]


def texts_of(value) -> list[str]:
    """Every string inside a (nested) dict/list, such as a guide snapshot."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts_of(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in texts_of(item)]
    return []


def main_of(html: str) -> str:
    """The page's <main> element: what the page says, without assets and navigation."""
    start = html.index("<main")
    return html[start : html.index("</main>", start)]
