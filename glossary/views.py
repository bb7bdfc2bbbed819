from django.http import Http404
from django.shortcuts import render

from glossary.constants import Category
from glossary.forms import TermSearchForm
from glossary.models import Term
from glossary.selectors import (
    index_summary,
    label_index_version,
    letter_terms,
    term_detail,
    term_search,
)

ALPHABET = [chr(code) for code in range(ord("A"), ord("Z") + 1)]


def term_index(request):
    """A–Z index with category filter and search; the state lives in the URL (GET)."""
    form = TermSearchForm(request.GET or None)
    query, category, wanted = "", "", ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        category = form.cleaned_data["category"]
        wanted = form.cleaned_data["letter"].upper()
    context = {
        "form": form,
        "query": query,
        "category": Category(category).label if category else "",
        "letters": [],
        "other_letters": [],
        "current_letter": "",
        "category_code": category,
        "glossary_version": label_index_version(),
    }
    if query:
        terms = term_search(query=query, category=category)
        context.update(terms=terms, count=len(terms))
        return render(request, "glossary/term_index.html", context)
    summary = index_summary(category=category)
    present = set(summary.letters)
    current = wanted if wanted in present else (summary.letters[0] if summary.letters else "")
    context.update(
        count=summary.count,
        current_letter=current,
        # Read only when the template has not kept this letter (a callable: resolved lazily).
        groups=lambda: (
            [(current, letter_terms(letter=current, category=category))] if current else []
        ),
        letters=[(letter, letter in present) for letter in ALPHABET],
        other_letters=[letter for letter in summary.letters if letter not in ALPHABET],
    )
    return render(request, "glossary/term_index.html", context)


def term_page(request, slug):
    try:
        term = term_detail(slug=slug)
    except Term.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "glossary/term_detail.html", {"term": term})
