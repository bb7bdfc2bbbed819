"""Password rules: long and not predictable, no composition rules (NIST SP 800-63B 5.1.1.2,
BIO 9.4.3). Django's validators check the length (12) and its list of 20,000 common passwords;
this one catches what that list misses in Dutch: a common word with digits around it
(`Welkom123456`), one character repeated (`aaaaaaaaaaaa`), keyboard or number runs, years, and
the name of the product or the user's own e-mail address."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Words that people build passwords around here, in Dutch and English. Lower case.
PREDICTABLE_WORDS = (
    "gesprekswijzer",
    "wachtwoord",
    "password",
    "passwort",
    "welkom",
    "welcome",
    "wijkteam",
    "gemeente",
    "sociaal",
    "domein",
    "geheim",
    "secret",
    "admin",
    "beheerder",
    "medewerker",
    "coordinator",
    "letmein",
    "iloveyou",
    "hallo",
    "hello",
    "test",
    "lente",
    "zomer",
    "herfst",
    "winter",
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "qwerty",
    "azerty",
    "asdf",
    "zxcv",
)
KEYBOARD_ROWS = (
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "azertyuiop",
    "abcdefghijklmnopqrstuvwxyz",
)
SUBSTITUTIONS = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


def _runs(text: str) -> list[tuple[int, int]]:
    """Spans of three or more characters that repeat one character or follow a row of the
    keyboard or the alphabet, forwards or backwards."""
    spans = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and text[j] == text[i]:
            j += 1
        if j - i >= 3:
            spans.append((i, j))
            i = j
            continue
        best = i + 1
        for row in KEYBOARD_ROWS:
            for line in (row, row[::-1]):
                k = i
                while k < len(text) and k - i < len(line) and text[i : k + 1] in line:
                    k += 1
                best = max(best, k)
        if best - i >= 3:
            spans.append((i, best))
            i = best
        else:
            i += 1
    return spans


def unpredictable_part(password: str, *, context_words: tuple[str, ...] = ()) -> str:
    """What is left of `password` after removing predictable words, years, repeats and runs."""
    text = password.lower()
    words = sorted({*PREDICTABLE_WORDS, *(w.lower() for w in context_words if len(w) >= 3)},
                   key=len, reverse=True)  # fmt: skip
    plain = text.translate(SUBSTITUTIONS)
    keep = [True] * len(text)
    for word in words:
        for source in (text, plain):
            for match in re.finditer(re.escape(word), source):
                for k in range(match.start(), match.end()):
                    keep[k] = False
    for match in re.finditer(r"(19|20)\d\d", text):
        for k in range(match.start(), match.end()):
            keep[k] = False
    rest = "".join(c for c, kept in zip(text, keep, strict=True) if kept)
    for start, end in reversed(_runs(rest)):
        rest = rest[:start] + rest[end:]
    # Punctuation between predictable parts adds little.
    return re.sub(r"[\W_]", "", rest)


class PredictablePasswordValidator:
    """Refuses a password whose unpredictable part is shorter than `min_unpredictable`."""

    def __init__(self, min_unpredictable: int = 6):
        self.min_unpredictable = min_unpredictable

    def validate(self, password, user=None):
        context = ()
        if user is not None:
            email = getattr(user, "email", "") or ""
            name = getattr(user, "display_name", "") or ""
            context = (*re.split(r"[@.\-_+]", email), *name.split())
        if len(unpredictable_part(password, context_words=context)) < self.min_unpredictable:
            raise ValidationError(
                _(
                    "Dit wachtwoord is te voorspelbaar: het bestaat vooral uit een bekend woord, "
                    "een jaartal, herhaalde tekens of een reeks zoals 123456 of qwerty. Kies "
                    "bijvoorbeeld een zin van een paar losse woorden."
                ),
                code="password_predictable",
            )

    def get_help_text(self):
        return ngettext(
            "Geen bekend woord met cijfers, geen herhaling of reeks: minstens %(count)d tekens "
            "moeten onvoorspelbaar zijn. Een zin van een paar losse woorden werkt goed.",
            "Geen bekend woord met cijfers, geen herhaling of reeks: minstens %(count)d tekens "
            "moeten onvoorspelbaar zijn. Een zin van een paar losse woorden werkt goed.",
            self.min_unpredictable,
        ) % {"count": self.min_unpredictable}
