"""Text helpers shared by the glossary's model, search and links."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w+]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Eergerelateerd  Géweld' -> 'eergerelateerd geweld'.

    This is the key that makes two labels "the same label" (punctuation still counts, so
    'shame-sexting' and 'shame sexting' may both be labels of one term).
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def search_form(text: str) -> str:
    """What search compares: folded, punctuation turned into spaces ('e-mail' -> 'e mail')."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", fold(text)).replace("_", " ")).strip()


def compact(text: str) -> str:
    """Search form without spaces, so 'eer gerelateerd' finds 'eergerelateerd'."""
    return search_form(text).replace(" ", "")
