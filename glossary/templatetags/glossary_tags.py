from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from glossary.linking import link_terms
from glossary.sanitize import render_markdown
from glossary.selectors import label_index, visible_labels

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """`{{ term.definition|markdown }}`: the project's one sanitising function."""
    return render_markdown(text)


@register.filter
def glossary_links(html, current_term=None):
    """`{{ text|markdown|glossary_links }}` links the first occurrence of every glossary term;
    `{{ …|glossary_links:term }}` leaves out the term of the page itself. Costs at most one
    query per request (the label index is cached)."""
    safe_html = conditional_escape(html)
    language = (get_language() or "nl")[:2]
    index = label_index()
    entries = index.get(language) or index.get("nl", [])
    exclude_id = getattr(current_term, "pk", None)
    return mark_safe(link_terms(str(safe_html), entries, exclude_id))  # noqa: S308


@register.filter
def alt_labels(term):
    """The term's alternative labels in the current language (hidden labels never)."""
    return visible_labels(term)
