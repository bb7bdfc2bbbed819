from django import template
from django.utils.translation import get_language

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
