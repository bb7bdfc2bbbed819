"""The handout's own sentences (gettext context "folder voor ouders") exist in every handout
language: English next to the interface, Turkish and Arabic in catalogs of their own that hold
only these sentences (tr and ar are not interface languages)."""

import json
from pathlib import Path

from django.utils import translation
from django.utils.translation import pgettext

from resources.constants import HANDOUT_LANGUAGES

LOCALE = Path(__file__).resolve().parents[2] / "locale"
CONTEXT = "folder voor ouders"


def catalog(code: str) -> list[dict]:
    """The entries of locale/<code>/LC_MESSAGES/django.po (header left out)."""
    text = (LOCALE / code / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        entry, current = {"flags": ""}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr")):
                key, _, value = line.partition(" ")
                current = "msgstr" if key.startswith("msgstr") else key
                entry[current] = entry.get(current, "") + json.loads(value)
            elif line.startswith('"') and current:
                entry[current] += json.loads(line)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def handout_sentences(code: str) -> dict[str, dict]:
    return {e["msgid"]: e for e in catalog(code) if e.get("msgctxt") == CONTEXT}


class HandoutTranslationTests:
    def test_every_handout_sentence_is_translated_in_every_handout_language(self):
        english = handout_sentences("en")
        assert len(english) >= 12
        for code in HANDOUT_LANGUAGES:
            if code == "nl":
                continue
            sentences = handout_sentences(code)
            assert set(sentences) == set(english), code
            for msgid, entry in sentences.items():
                assert entry["msgstr"].strip(), (code, msgid)
                assert "fuzzy" not in entry["flags"], (code, msgid)
                if code == "ar":  # written in Arabic script, not a copy of the Dutch
                    assert any("\u0600" <= ch <= "\u06ff" for ch in entry["msgstr"]), msgid

    def test_turkish_and_arabic_catalogs_hold_only_the_handout(self):
        for code in ("tr", "ar"):
            entries = catalog(code)
            assert entries
            assert all(e.get("msgctxt") == CONTEXT for e in entries), code

    def test_the_compiled_catalogs_are_used(self):
        for code, expected in (("tr", "Ebeveynler için bilgiler"), ("ar", "معلومات للوالدين")):
            with translation.override(code):
                assert pgettext(CONTEXT, "Informatie voor u als ouder") == expected

    def test_arabic_is_right_to_left(self):
        assert translation.get_language_info("ar")["bidi"] is True
        assert translation.get_language_info("tr")["bidi"] is False
