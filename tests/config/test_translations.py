from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def po_entries(path: Path):
    """(msgid, msgstr, flags) per entry of a .po file, header left out."""
    entries, block = [], []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            entries.append(_parse(block))
            block = []
    return [e for e in entries if e[0]]


def _parse(block):
    fields = {"msgid": "", "msgstr": ""}
    flags, current = "", None
    for line in block:
        if line.startswith("#,"):
            flags += line
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            key, _, value = line.partition(" ")
            current = "msgstr" if key.startswith("msgstr") else key
            fields[current] = fields.get(current, "") + value.strip()[1:-1]
        elif current:
            fields[current] += line.strip()[1:-1]
    return fields["msgid"], fields["msgstr"], flags


class EnglishTranslationTests:
    def test_every_interface_string_has_an_english_translation(self):
        entries = po_entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
        assert len(entries) > 50
        untranslated = [msgid for msgid, msgstr, _ in entries if not msgstr]
        fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
        assert untranslated == []
        assert fuzzy == []
