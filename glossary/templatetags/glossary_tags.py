import hashlib

from django import template
from django.core.cache import cache
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from glossary.linking import link_terms
from glossary.sanitize import render_markdown
from glossary.selectors import glossary_matcher, label_index_version, visible_labels

register = template.Library()
LINKED_TIMEOUT = 24 * 60 * 60


@register.filter(name="markdown")
def markdown_filter(text):
    """`{{ term.definition|markdown }}`: the project's one sanitising function."""
    return render_markdown(text)


@register.filter
def content_markdown(text):
    """`{{ resource.description|content_markdown }}`: `markdown`, kept in the cache per text
    (a saved text is a new key), for content: guides, glossary, the social map (a guide
    step's body, checklist and tips were a tenth of its page, rendered on every request).
    Never for case text: that is rendered each time, never kept
    (tests/cases/test_not_kept.py)."""
    if not text:
        return render_markdown(text)
    digest = hashlib.blake2b(str(text).encode(), digest_size=16).hexdigest()
    key = f"glossary:markdown:{digest}"
    rendered = cache.get(key)
    if rendered is None:
        rendered = str(render_markdown(text))
        cache.set(key, rendered, LINKED_TIMEOUT)
    return mark_safe(rendered)  # noqa: S308 - the sanitiser's output, kept as it was


@register.filter
def glossary_links(html, current_term=None):
    """`{{ text|markdown|glossary_links }}` links the first occurrence of every glossary term;
    `{{ …|glossary_links:term }}` leaves out the term of the page itself. Costs at most one
    query per request (the label index is cached).

    The linked HTML is cached per text, language, excluded term and label-index version:
    a saved or published text is a new text (a new key), a changed glossary a new version, so
    nothing stale is ever served. Only content passes through here, never case text."""
    safe_html = str(conditional_escape(html))
    language = (get_language() or "nl")[:2]
    exclude_id = getattr(current_term, "pk", None)
    version = label_index_version()
    digest = hashlib.blake2b(safe_html.encode(), digest_size=16).hexdigest()
    key = f"glossary:linked:{version}:{language}:{exclude_id}:{digest}"
    linked = cache.get(key)
    if linked is None:
        linked = link_terms(safe_html, glossary_matcher(language, version), exclude_id)
        cache.set(key, linked, LINKED_TIMEOUT)
    return mark_safe(linked)  # noqa: S308 - escaped above, links built from escaped labels


@register.filter
def alt_labels(term):
    """The term's alternative labels in the current language (hidden labels never)."""
    return visible_labels(term)
