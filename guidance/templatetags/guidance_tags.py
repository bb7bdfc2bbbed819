from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guidance.constants import Branch, StepKind

register = template.Library()


@register.filter
def tr(value):
    """`{{ step.title|tr }}`: the current language's text of a snapshot field
    ({"nl": …, "en": …}), Dutch where that language has none."""
    if not isinstance(value, dict):
        return value
    language = (get_language() or "nl")[:2]
    return value.get(language) or value.get("nl") or ""


@register.filter
def lookup(mapping, key):
    """`{{ terms|lookup:slug }}`"""
    return mapping.get(key) if mapping else None


@register.filter
def as_list(value):
    """`{% include … with values=change|as_list %}`: one item where a list is expected."""
    return [value]


@register.filter
def diff_value(value, field):
    """`{{ change.old|diff_value:change.field }}`: a compared value of a guide snapshot in
    words (choices by their label, yes/no, lists joined; "—" for nothing)."""
    choices = {"kind": StepKind, "branch": Branch}
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list):
        return ", ".join(value) or "—"
    if field in choices and value in choices[field].values:
        return choices[field](value).label
    return value if value not in (None, "") else "—"
