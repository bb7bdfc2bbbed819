"""Every case URL × every kind of visitor × GET and POST, with the status each must get.
Another user's case answers 404: nobody learns that it exists."""

import pytest
from django.utils import timezone

from accounts.constants import Role
from cases.models import Case, StepProgress
from cases.services import case_share
from tests.factories import UserFactory, make_case

VISITORS = [
    "anonymous",
    "owner",
    "shared_edit",
    "shared_read",
    "team_member",
    "other_team",
    "coordinator",
    "beheerder",
    "superuser",
]
HIDDEN = {
    "team_member": 404,
    "other_team": 404,
    "coordinator": 404,
    "beheerder": 404,
    "superuser": 404,
}

# (path, method, data) -> expected status per visitor (anonymous is always a login redirect).
CONSULT = {
    "consulted_on": "2026-01-05",
    "organisation": "veilig_thuis",
    "advisor": "Adviseur",
    "advice_summary": "Veilig.",
    "outcome": "contact_ouders_veilig",
    "young_person_informed": "on",
}
SEEN = {"owner": 200, "shared_edit": 200, "shared_read": 200, **HIDDEN}


def edit(ok: int) -> dict:
    """Owner and edit-share succeed with `ok`; a read-share is refused; others see nothing."""
    return {"owner": ok, "shared_edit": ok, "shared_read": 403, **HIDDEN}


def owner_only(ok: int) -> dict:
    return {"owner": ok, "shared_edit": 403, "shared_read": 403, **HIDDEN}


def workers(ok: int) -> dict:
    others = {"coordinator": 403, "beheerder": 403, "superuser": 403}
    return {v: ok for v in VISITORS[1:6]} | others


NOT_ALLOWED = {v: 405 for v in VISITORS[1:]}
LOCKED = {"owner": 403, "shared_edit": 403, "shared_read": 403, **HIDDEN}
STEP = "{case}stap/wat-is-er-gebeurd/"
# The version a form on the page would carry now (each visitor posts a fresh page).
CURRENT = object()
DETAILS = {"age_range": "16_17", "situation": "exposing"}

MATRIX = [
    ("{case}", "GET", None, SEEN),
    ("{case}", "POST", {}, NOT_ALLOWED),
    (STEP, "GET", None, SEEN),
    (STEP, "POST", {"notes": "x", "version": CURRENT}, edit(302)),
    ("{case}stap/vertrouwen/", "POST", {"status": "done", "version": CURRENT}, LOCKED),
    ("{case}screening/", "GET", None, SEEN),
    ("{case}screening/", "POST", {"q_dreiging": "twijfel"}, edit(302)),
    ("{case}advies/", "GET", None, SEEN),
    ("{case}advies/", "POST", CONSULT, edit(302)),
    ("{case}doorgaan/", "GET", None, SEEN),
    ("{case}doorgaan/", "POST", {"reason": "Afgesproken.", "version": CURRENT}, edit(302)),
    ("{case}gegevens/", "GET", None, SEEN),
    ("{case}gegevens/", "POST", {**DETAILS, "version": CURRENT}, edit(302)),
    ("{case}delen/", "GET", None, owner_only(200)),
    ("{case}delen/", "POST", {}, owner_only(400)),
    ("{case}plan/", "GET", None, SEEN),
    ("{case}plan/", "POST", {}, NOT_ALLOWED),
    ("{case}plan.pdf", "GET", None, SEEN),
    ("{case}geschiedenis/", "GET", None, SEEN),
    ("{case}geschiedenis/", "POST", {}, NOT_ALLOWED),
    ("{case}logboek/", "GET", None, owner_only(200)),
    ("{case}afronden/", "GET", None, NOT_ALLOWED),
    ("{case}afronden/", "POST", {}, owner_only(302)),
    ("{case}heropenen/", "POST", {}, owner_only(302)),
    ("/casussen/", "GET", None, workers(200)),
    ("/casussen/", "POST", {}, NOT_ALLOWED),
    ("/casussen/nieuw/", "GET", None, workers(200)),
    ("/casussen/nieuw/", "POST", {}, workers(200)),
    ("/casussen/GW-2026-9999/", "GET", None, {v: 404 for v in VISITORS[1:]}),
]


def current_version(case, url: str) -> int:
    if "/stap/" in url:
        key = url.rstrip("/").rsplit("/", 1)[1]
        progress = StepProgress.objects.filter(case=case, step_key=key).first()
        return progress.version if progress else 0
    return Case.objects.get(pk=case.pk).version


@pytest.fixture
def people(db):
    case = make_case()
    team = case.team
    people = {
        "owner": case.owner,
        "shared_edit": UserFactory(team=team),
        "shared_read": UserFactory(team=team),
        "team_member": UserFactory(team=team),
        "other_team": UserFactory(),
        "coordinator": UserFactory(role=Role.COORDINATOR, team=team),
        "beheerder": UserFactory(role=Role.BEHEERDER, team=None),
        "superuser": UserFactory(role=Role.BEHEERDER, team=None, is_superuser=True),
    }
    case_share(case=case, actor=case.owner, user=people["shared_edit"], level="edit")
    case_share(case=case, actor=case.owner, user=people["shared_read"], level="read")
    return case, people


@pytest.mark.parametrize(("path", "method", "data", "expected"), MATRIX)
def test_permission_matrix(client, people, path, method, data, expected):
    case, users = people
    url = path.format(case=f"/casussen/{case.reference}/")
    for visitor in VISITORS:
        client.logout()
        if visitor != "anonymous":
            client.force_login(users[visitor])
        if "heropenen" in url:
            case.status, case.closed_at = "afgerond", timezone.now()
            case.save(update_fields=["status", "closed_at"])
        posted = {
            k: current_version(case, url) if v is CURRENT else v for k, v in (data or {}).items()
        }
        response = client.get(url) if method == "GET" else client.post(url, posted)
        if visitor == "anonymous":
            assert response.status_code == 302, (url, method, visitor)
            assert response.url.startswith("/inloggen/"), (url, method, visitor)
            continue
        assert response.status_code == expected[visitor], (url, method, visitor)
