"""Generated values sent to every form and query parameter of every URL, as each role:
0 × 500 (issue 11). Fields are discovered from the pages themselves (every input, select and
textarea name), so a new form is fuzzed without changing this test."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.constants import Role
from cases.services import case_share
from tests.factories import (
    OrganisationFactory,
    ResourceFactory,
    TermFactory,
    UserFactory,
    make_case,
)

FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.IGNORECASE)
# Query parameters the list pages read, in case a page shows no form for them.
QUERY = ["q", "category", "page", "theme", "audience", "language", "kind", "cost", "region",
         "lang", "next", "step", "letter", "professional_group", "chosen", "shown"]  # fmt: skip
NASTY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e309",
        "99999999999999999999999",
        "NaN",
        "ja",
        "nee",
        "twijfel",
        "open",
        "done",
        "not_applicable",
        "gepubliceerd",
        "\x00",
        "a\x00b",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "2026-02-30",
        "9999-12-31",
        "0001-01-01",
        "GW-2026-0001",
        "𝕳𝖊𝖑𝖑𝖔",
        "\u202e",
        "%",
        "%00",
        "\\",
        "'",
        '"',
        "x" * 12_000,
        "00000000-0000-0000-0000-000000000001",
        "https://example.org/",
        "//evil.example",
    ]  # fmt: skip
)
VALUES = st.one_of(NASTY, st.text(max_size=200), st.integers().map(str))


def routes(resolver=None, prefix="", namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or ""), prefix + str(pattern.pattern)


def fill(name: str, route: str, samples: dict) -> str | None:
    if "(?P" in route or "^" in route:
        return None  # the admin's regex routes: covered by its index

    def value(match):
        converter, arg = match.group(1) or "str", match.group(2)
        return (
            samples.get((name, arg))
            or samples.get(arg)
            or {"int": "1", "uuid": samples["uuid"]}.get(converter, "x")
        )

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


@pytest.fixture
def world(db):
    worker = UserFactory(role=Role.MEDEWERKER)
    colleague = UserFactory(role=Role.MEDEWERKER, team=worker.team)
    case = make_case(owner=worker)
    case_share(case=case, actor=worker, user=colleague, level="edit")
    term = TermFactory()
    resource = ResourceFactory()
    organisation = OrganisationFactory()
    guide = case.guide_version.guide
    step = case.guide_version.snapshot["steps"][0]["key"]
    samples = {
        "reference": case.reference,
        "key": step,
        ("glossary:detail", "slug"): term.slug,
        ("guidance:guide", "slug"): guide.slug,
        ("guidance:step", "slug"): guide.slug,
        ("guidance:print", "slug"): guide.slug,
        ("guidance:versions", "slug"): guide.slug,
        ("guidance:preview", "slug"): guide.slug,
        ("resources:resource", "slug"): resource.slug,
        ("resources:organisation", "slug"): organisation.slug,
        ("resources:mark_checked", "slug"): resource.slug,
        ("resources:mark_checked", "kind"): "resource",
        "uuid": str(resource.uuid),
    }
    # Logging out would fuzz the rest as anonymous; the anonymous role covers that already.
    paths = sorted(
        {p for name, route in routes() if (p := fill(name, route, samples))} - {"/uitloggen/"}
    )
    users = {
        "anonymous": None,
        "medewerker": worker,
        "collega": colleague,
        "coordinator": UserFactory(role=Role.COORDINATOR),
        "beheerder": UserFactory(role=Role.BEHEERDER, team=None),
    }
    return paths, users


def discover(client, paths):
    """(method, path, field names) for every page and the fields its forms show."""
    targets = []
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        fields = []
        if response.get("Content-Type", "").startswith("text/html"):
            fields = sorted(set(FIELD.findall(response.content.decode())) - {"csrfmiddlewaretoken"})
        targets.append(("get", path, sorted(set(fields) | set(QUERY))))
        targets.append(("post", path, fields or ["notes"]))
    return targets


@pytest.mark.parametrize("role", ["anonymous", "medewerker", "collega", "coordinator", "beheerder"])
def test_generated_input_never_causes_a_server_error(client, world, role):
    paths, users = world
    client.raise_request_exception = False
    if users[role] is not None:
        client.force_login(users[role])
    targets = discover(client, paths)
    assert len(targets) > 60

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(st.data())
    def run(data):
        method, path, fields = data.draw(st.sampled_from(targets))
        chosen = data.draw(st.lists(st.sampled_from(fields), unique=True, max_size=len(fields)))
        payload = {name: data.draw(VALUES) for name in chosen}
        response = getattr(client, method)(path, payload)
        assert response.status_code < 500, (method, path, payload, response.status_code)

    run()
