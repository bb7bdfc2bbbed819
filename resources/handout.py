"""The parent handout: which resources a worker picked (kept in their session, as resource
ids only: nothing about a case), which entries may go into a handout at all, QR codes, and the
items as printed in the parents' language.

What may go into a handout (the rule, kept here and nowhere else):
- material that is for parents (audience "ouders"), not about honour-related violence (theme
  HONOUR_THEME or one of its sub-themes), with its own text for parents, and whose printed
  wording (title, organisation, text for parents) names nothing from `parent_wording`;
- referral routes to such material (or to its organisation in general), except routes for
  honour-related violence or acute danger, again only with a text for parents and clean wording.
The professional description and a route's conditions are never printed.

The handout's own sentences exist in every language of HANDOUT_LANGUAGES (gettext context
"folder voor ouders"). Content is written in Dutch and English; where the parents' language
is missing, an item is printed in Dutch, marked `lang="nl" dir="ltr"`, with a note in the
handout's language.
"""

from dataclasses import dataclass

import segno
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from modeltranslation.utils import build_localized_fieldname

from resources.constants import HONOUR_THEME, NOT_FOR_PARENTS_SITUATIONS, AudienceCode
from resources.models import ReferralRoute, Resource
from resources.parent_wording import forbidden_words

SESSION_KEY = "resources:handout"
MAX_ITEMS = 40
CONTENT_LANGUAGES = ("nl", "en")


class Refusal:
    """Why an entry cannot go into a handout (a reason the worker reads)."""

    HONOUR = _("het gaat over eergerelateerd geweld")
    PROFESSIONALS = _("het is voor professionals, niet voor ouders")
    NO_PARENT_TEXT = _("er is nog geen tekst voor ouders bij geschreven")
    WORDING = _("de tekst noemt iets wat niet in een folder voor ouders mag")


def _texts(obj, field: str) -> list[str]:
    return [
        getattr(obj, build_localized_fieldname(field, code), "") or "" for code in CONTENT_LANGUAGES
    ]


def _is_honour(resource: Resource) -> bool:
    for theme in resource.themes.all():
        if theme.slug == HONOUR_THEME or (theme.parent_id and theme.parent.slug == HONOUR_THEME):
            return True
    return False


def handout_refusal(resource: Resource):
    """None when `resource` may go into a handout for parents, else the reason it may not.
    Reads its themes (with their parents) and audiences: prefetch them (HANDOUT_PREFETCH)."""
    if _is_honour(resource):
        return Refusal.HONOUR
    if not any(a.code == AudienceCode.OUDERS for a in resource.audiences.all()):
        return Refusal.PROFESSIONALS
    if not (resource.parent_text_nl or "").strip():
        return Refusal.NO_PARENT_TEXT
    if forbidden_words(
        *_texts(resource, "title"),
        *_texts(resource.organisation, "name"),
        *_texts(resource, "parent_text"),
    ):
        return Refusal.WORDING
    return None


def route_refusal(route: ReferralRoute, *, resource_ok: bool):
    """None when `route` may be printed in a handout. `resource_ok`: its material (if any)
    may itself go into the handout."""
    if route.situation in NOT_FOR_PARENTS_SITUATIONS:
        return Refusal.HONOUR
    if route.resource_id and not resource_ok:
        return Refusal.PROFESSIONALS
    if not (route.parent_text_nl or "").strip():
        return Refusal.NO_PARENT_TEXT
    if forbidden_words(
        *_texts(route.organisation, "name"),
        *_texts(route, "channel"),
        *_texts(route, "parent_text"),
    ):
        return Refusal.WORDING
    return None


def handout_ids(session) -> list[str]:
    value = session.get(SESSION_KEY, [])
    return [str(v) for v in value] if isinstance(value, list) else []


def handout_update(*, session, shown: list[str], chosen: list[str], allowed: set[str]) -> list:
    """Shown and ticked resources are in the handout, shown and unticked ones are out, the
    rest stays as it was. Only resources the user may see that may go into a handout
    (`allowed`), at most MAX_ITEMS."""
    current = handout_ids(session)
    ticked = [i for i in chosen if i in allowed and i in shown]
    kept = [i for i in current if i not in shown or i in ticked]
    for i in ticked:
        if i not in kept:
            kept.append(i)
    session[SESSION_KEY] = kept[:MAX_ITEMS]
    return session[SESSION_KEY]


def handout_clear(*, session) -> None:
    session.pop(SESSION_KEY, None)


def qr_svg(url: str, *, label: str) -> SafeString:
    """An inline SVG QR code (no script, no style attribute) with an accessible name."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(
        scale=3, border=2, title=escape(label), svgclass="qr-code", lineclass=None, omitsize=True
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 - segno output


def text_direction(language: str) -> str:
    return "rtl" if translation.get_language_info(language)["bidi"] else "ltr"


@dataclass
class Text:
    """A piece of content as printed: the text and the language it is written in."""

    text: str
    lang: str

    @property
    def dir(self) -> str:
        return text_direction(self.lang)


def _in_language(obj, field: str, language: str) -> Text:
    """The chosen language when written, Dutch otherwise."""
    text = getattr(obj, build_localized_fieldname(field, language), "") or ""
    if language in CONTENT_LANGUAGES and text.strip():
        return Text(text, language)
    return Text(getattr(obj, build_localized_fieldname(field, "nl"), "") or "", "nl")


def _material_note(codes: set[str], language: str) -> str:
    """Whether the material behind the address exists in the parents' language; in that
    language (call inside translation.override)."""
    if not codes or (language == "nl" and "nl" in codes):
        return ""
    if language in codes:
        return pgettext("folder voor ouders", "Dit materiaal is er in uw taal.")
    if "nl" in codes:
        return pgettext(
            "folder voor ouders", "Dit materiaal is er niet in uw taal, wel in het Nederlands."
        )
    if "en" in codes:
        return pgettext(
            "folder voor ouders", "Dit materiaal is er niet in uw taal, wel in het Engels."
        )
    return pgettext("folder voor ouders", "Dit materiaal is er niet in uw taal.")


def _fallback_note(*texts: Text, language: str) -> str:
    if any(t.lang != language for t in texts):
        return pgettext("folder voor ouders", "Deze uitleg staat hier in het Nederlands.")
    return ""


@dataclass
class HandoutItem:
    resource: Resource
    title: Text
    organisation: Text
    text: Text
    link: str
    qr: SafeString | None
    phone: str
    fallback_note: str
    material_note: str


@dataclass
class HandoutRoute:
    route: ReferralRoute
    organisation: Text
    text: Text
    channel: Text
    contact: str
    fallback_note: str


def handout_items(*, resources: list[Resource], language: str) -> list[HandoutItem]:
    """The chosen resources as printed in `language`. Only resources that may go into a
    handout: a resource refused by `handout_refusal` is left out, whatever the caller sent."""
    items = []
    with translation.override(language):
        for resource in resources:
            if handout_refusal(resource) is not None:
                continue
            title = _in_language(resource, "title", language)
            text = _in_language(resource, "parent_text", language)
            link = resource.link
            items.append(
                HandoutItem(
                    resource=resource,
                    title=title,
                    organisation=_in_language(resource.organisation, "name", language),
                    text=text,
                    link=link,
                    qr=qr_svg(link, label=f"QR-code: {link}") if link else None,
                    phone=resource.organisation.phone,
                    fallback_note=_fallback_note(title, text, language=language),
                    material_note=_material_note(
                        {lang.code for lang in resource.languages.all()}, language
                    ),
                )
            )
    return items


def handout_route_items(
    *, routes: list[ReferralRoute], resources: list[Resource], language: str
) -> list[HandoutRoute]:
    """The routes that may be printed with these resources, in `language`."""
    printable = {r.pk for r in resources if handout_refusal(r) is None}
    result = []
    with translation.override(language):
        for route in routes:
            if route_refusal(route, resource_ok=route.resource_id in printable) is not None:
                continue
            text = _in_language(route, "parent_text", language)
            result.append(
                HandoutRoute(
                    route=route,
                    organisation=_in_language(route.organisation, "name", language),
                    text=text,
                    channel=_in_language(route, "channel", language),
                    contact=route.contact,
                    fallback_note=_fallback_note(text, language=language),
                )
            )
    return result
