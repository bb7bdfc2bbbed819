"""The parent handout: which resources a worker picked (kept in their session, as resource
ids only: nothing about a case), QR codes for the addresses, and the PDF.

The handout is for parents, so its text is in the language the worker chooses; content not
written in that language falls back to Dutch (django-modeltranslation's fallback) and is then
marked `lang="nl"`.
"""

from dataclasses import dataclass

import segno
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from modeltranslation.utils import build_localized_fieldname

from resources.models import ReferralRoute, Resource

SESSION_KEY = "resources:handout"
MAX_ITEMS = 40


def handout_ids(session) -> list[str]:
    value = session.get(SESSION_KEY, [])
    return [str(v) for v in value] if isinstance(value, list) else []


def handout_update(*, session, shown: list[str], chosen: list[str], allowed: set[str]) -> list:
    """Shown and ticked resources are in the handout, shown and unticked ones are out, the
    rest stays as it was. Only resources the user may see (`allowed`), at most MAX_ITEMS."""
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


def _in_language(obj, field: str, language: str) -> tuple[str, str]:
    """(text, language it is written in): the chosen language when written, Dutch otherwise."""
    text = getattr(obj, build_localized_fieldname(field, language), "") or ""
    if text.strip():
        return text, language
    return getattr(obj, build_localized_fieldname(field, "nl"), "") or "", "nl"


@dataclass
class HandoutItem:
    resource: Resource
    title: str
    title_lang: str
    description: str
    description_lang: str
    organisation: str
    organisation_lang: str
    link: str
    qr: SafeString | None
    phone: str


@dataclass
class HandoutRoute:
    route: ReferralRoute
    situation: str
    channel: str
    channel_lang: str
    organisation: str
    contact: str


def handout_items(*, resources: list[Resource], language: str) -> list[HandoutItem]:
    items = []
    with translation.override(language):
        for resource in resources:
            title, title_lang = _in_language(resource, "title", language)
            description, description_lang = _in_language(resource, "description", language)
            organisation, organisation_lang = _in_language(resource.organisation, "name", language)
            link = resource.link
            items.append(
                HandoutItem(
                    resource=resource,
                    title=title,
                    title_lang=title_lang,
                    description=description,
                    description_lang=description_lang,
                    organisation=organisation,
                    organisation_lang=organisation_lang,
                    link=link,
                    qr=qr_svg(link, label=f"QR-code: {link}") if link else None,
                    phone=resource.organisation.phone,
                )
            )
    return items


def handout_route_items(*, routes: list[ReferralRoute], language: str) -> list[HandoutRoute]:
    result = []
    with translation.override(language):
        for route in routes:
            channel, channel_lang = _in_language(route, "channel", language)
            organisation, _lang = _in_language(route.organisation, "name", language)
            result.append(
                HandoutRoute(
                    route=route,
                    situation=str(route.get_situation_display()),
                    channel=channel,
                    channel_lang=channel_lang,
                    organisation=organisation,
                    contact=route.contact,
                )
            )
    return result
