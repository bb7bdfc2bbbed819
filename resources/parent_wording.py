"""Words a handout for parents never contains (pure: no models, no database).

A handout goes home with the family. In an honour-sensitive family a leaflet that names
honour-related violence, Veilig Thuis, a report, the case or its signals can put the young
person in danger, so whatever is printed in it (titles, names, texts for parents, the
handout's own sentences) is screened against this list: when an entry is saved, when a handout
is put together, and in the tests for every entry that can go into a handout.

The list is deliberately broader than the brochures' exact terms (English equivalents,
inflections, compounds) and narrower than "anything sensitive": sexting itself is the subject
of the handout, and "meldpunt" (a place that takes reports of images) is a service parents
need; "melding" (the professional's report) is not.
"""

import re

# (pattern, the word as shown to an editor). Matched case-insensitively on word boundaries.
FORBIDDEN: list[tuple[str, str]] = [
    # honour
    (r"eergerelateerd\w*", "eergerelateerd"),
    (r"eer", "eer"),
    (r"eer(?:wraak|verlies|gevoel|cultuur|herstel|zaak|kwestie)\w*", "eer…"),
    (r"schaamtecultuur", "schaamtecultuur"),
    (r"hono(?:u)?r\w*", "honour"),
    (r"lec[ -]egg", "LEC EGG"),
    (r"uithuwelijk\w*", "uithuwelijking"),
    (r"achterlating", "achterlating"),
    (r"forced marriage", "forced marriage"),
    # Veilig Thuis and what the professional does with it
    (r"veilig[ -]thuis\w*", "Veilig Thuis"),
    (r"melding(?:en)?", "melding"),
    (r"meldcode\w*", "meldcode"),
    (r"reports?", "report"),
    (r"reported", "reported"),
    (r"reporting code", "reporting code"),
    (r"huiselijk geweld", "huiselijk geweld"),
    (r"domestic violence", "domestic violence"),
    # the case and its signals
    (r"signa(?:al|len)", "signalen"),
    (r"signals?", "signals"),
    (r"warning signs?", "warning signs"),
    (r"vermoeden(?:s)?", "vermoeden"),
    (r"suspicions?", "suspicion"),
    (r"suspected", "suspected"),
    (r"casus\w*", "casus"),
    (r"case", "case"),
    (r"pleger\w*", "pleger"),
    (r"dader\w*", "dader"),
    (r"offenders?", "offender"),
    (r"perpetrators?", "perpetrator"),
    # professional wording
    (r"professionals?", "professional"),
]

_PATTERNS = [(re.compile(rf"(?<!\w){p}(?!\w)", re.IGNORECASE), word) for p, word in FORBIDDEN]


def forbidden_words(*texts: str | None) -> list[str]:
    """The forbidden words found in `texts`, each once, in list order."""
    found: list[str] = []
    for text in texts:
        if not text:
            continue
        for pattern, word in _PATTERNS:
            if word not in found and pattern.search(text):
                found.append(word)
    return found
