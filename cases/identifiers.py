"""Spot likely identifying data in free text, to warn (never to block) the worker:
cases are pseudonymous and must not hold a client's BSN, phone number, e-mail or address."""

import re

from django.utils.translation import gettext_lazy as _

_BSN = re.compile(r"(?<!\d)(\d{9})(?!\d)|(?<!\d)(\d{4})[ .](\d{2})[ .](\d{3})(?!\d)")
_PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)(?:[\s-]?\d){9}(?!\d)")
# Linear time on any input: a match may only start where a run of address characters starts
# (the lookbehind), and possessive quantifiers never give back what they took, so a long run
# without "@" is read once instead of once per starting position (which took 30 s on 200 KB).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
_POSTCODE_NUMBER = re.compile(
    r"(?<!\d)[1-9]\d{3}\s?(?!SA|SD|SS)[A-Za-z]{2}(?![A-Za-z])[\s,]++(?:nr\.?\s*+)?\d{1,5}(?!\d)",
    re.IGNORECASE,
)

KINDS = {
    "bsn": _("een burgerservicenummer (BSN)"),
    "phone": _("een telefoonnummer"),
    "email": _("een e-mailadres"),
    "address": _("een postcode met huisnummer"),
}


def is_bsn(digits: str) -> bool:
    """The 11-test ("elfproef") of a Dutch BSN: 9 digits, weights 9..2 and -1."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0


def find_identifiers(text: str) -> list[str]:
    """The kinds of identifying data that `text` seems to hold (keys of KINDS), in order."""
    if not text:
        return []
    found = []
    for match in _BSN.finditer(text):
        digits = match.group(1) or "".join(match.group(2, 3, 4))
        if is_bsn(digits):
            found.append("bsn")
            break
    if _PHONE.search(text):
        found.append("phone")
    if _EMAIL.search(text):
        found.append("email")
    if _POSTCODE_NUMBER.search(text):
        found.append("address")
    return found


def identifier_warning(texts: list[str]) -> str:
    """One translated warning for all fields, or "" when nothing looks identifying."""
    kinds = []
    for text in texts:
        for kind in find_identifiers(text):
            if kind not in kinds:
                kinds.append(kind)
    if not kinds:
        return ""
    named = ", ".join(str(KINDS[kind]) for kind in kinds)
    return str(
        _(
            "Let op: de tekst lijkt %(kinds)s te bevatten. Casussen zijn pseudoniem: schrijf geen "
            "gegevens op waarmee de jongere of het gezin te herkennen is."
        )
        % {"kinds": named}
    )
