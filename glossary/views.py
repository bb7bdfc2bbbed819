from django.http import Http404
from django.shortcuts import render

from glossary.constants import Category
from glossary.forms import TermSearchForm
from glossary.models import Term
from glossary.selectors import term_detail, term_search, terms_by_letter

ALPHABET = [chr(code) for code in range(ord("A"), ord("Z") + 1)]


def term_index(request):
    """A–Z index with category filter and search; the state lives in the URL (GET)."""
    form = TermSearchForm(request.GET or None)
    query, category, wanted = "", "", ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        category = form.cleaned_data["category"]
        wanted = form.cleaned_data["letter"].upper()
    terms = term_search(query=query, category=category)
    groups = terms_by_letter(terms) if not query else []
    present = {letter for letter, _ in groups}
    current = wanted if wanted in present else (groups[0][0] if groups else "")
    return render(
        request,
        "glossary/term_index.html",
        {
            "form": form,
            "query": query,
            "category": Category(category).label if category else "",
            "terms": terms,
            "groups": [(letter, group) for letter, group in groups if letter == current],
            "current_letter": current,
            "letters": [(letter, letter in present) for letter in ALPHABET],
            "other_letters": [letter for letter in present if letter not in ALPHABET],
        },
    )


def term_page(request, slug):
    try:
        term = term_detail(slug=slug)
    except Term.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "glossary/term_detail.html", {"term": term})
