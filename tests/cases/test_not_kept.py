"""Content is rendered once and kept in the cache (content_markdown, glossary_links, the map's
cards); case text never is: a case's notes exist only in the case's own rows, readable by its
owner and the colleagues it is shared with (DESIGN, privacy)."""

import datetime as dt
import pickle

from django.core.cache import cache

from cases.constants import ConsultationOutcome, ConsultedOrganisation
from cases.services import case_record_consultation, case_update_details, case_update_step
from tests.factories import UserFactory, make_case

MARKER = "Zjwqx"


def kept() -> str:
    """Every key and value in the (local-memory) test cache, as one text."""
    return "\n".join(f"{key} {pickle.loads(value)!r}" for key, value in cache._cache.items())


def test_case_text_is_rendered_for_the_page_but_never_kept(client, db):
    owner = UserFactory()
    case = make_case(owner=owner)
    case_update_details(case=case, actor=owner, notes=f"**Casus** {MARKER} een")
    case_update_step(
        case=case, actor=owner, step_key="wat-is-er-gebeurd", notes=f"*Stap* {MARKER} twee"
    )
    case_record_consultation(
        case=case,
        actor=owner,
        consulted_on=dt.date(2026, 11, 30),
        organisation=ConsultedOrganisation.VEILIG_THUIS,
        advisor="adviseur",
        advice_summary=f"Advies {MARKER} drie",
        outcome=ConsultationOutcome.CONTACT_OUDERS_VEILIG,
        young_person_informed=True,
    )
    client.force_login(owner)
    base = f"/casussen/{case.reference}/"
    pages = [base, f"{base}stap/wat-is-er-gebeurd/", f"{base}plan/", f"{base}geschiedenis/"]
    shown = "".join(client.get(page).content.decode() for page in pages)
    for text in ("<strong>Casus</strong>", "<em>Stap</em>", f"Advies {MARKER} drie"):
        assert text in shown  # rendered through the sanitiser on the pages
    # The pages did keep content (the guide's steps, rendered once) ...
    assert "glossary:markdown:" in kept()
    # ... and nothing of the case.
    assert MARKER not in kept()
