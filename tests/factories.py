import factory

from accounts.constants import Role
from accounts.models import Region, Team, User
from accounts.services import user_assign_role
from glossary.constants import Category, Status
from glossary.models import Term
from glossary.services import term_save

PASSWORD = "een-goed-wachtwoord-42"  # noqa: S105 - test data
# Every factory user has this TOTP secret as second factor unless made with mfa=False.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - test data


def totp_code(secret: str = TOTP_SECRET, *, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset: periods later or earlier), computed
    with allauth's own TOTP function."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD + offset
    return format_hotp_value(hotp_value(secret, counter))


def totp_enrol(user, secret: str = TOTP_SECRET):
    """Give a user a TOTP second factor (as enrolment does) and return it."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": secret}
    )


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Wijkteam {n}")
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    """A Medewerker in a team by default: `UserFactory(role=Role.BEHEERDER, team=None)`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"professional{n}@example.nl")
    display_name = factory.Sequence(lambda n: f"Professional {n}")
    team = factory.SubFactory(TeamFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create:
            user_assign_role(user=obj, role=extracted or Role.MEDEWERKER)

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):
        # Every role has a second factor (issue 10); mfa=False for one still to enrol.
        if create and extracted is not False:
            totp_enrol(obj)


class TermFactory(factory.django.DjangoModelFactory):
    """A published term saved through the service, so its labels exist:
    `TermFactory(pref_label_nl="exposing", alt_labels={"nl": ["expose"]})`."""

    class Meta:
        model = Term
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"begrip-{n}")
    pref_label_nl = factory.Sequence(lambda n: f"begrip {n}")
    pref_label_en = factory.LazyAttribute(lambda o: f"{o.pref_label_nl} (en)")
    definition_nl = factory.LazyAttribute(lambda o: f"{o.pref_label_nl.capitalize()} is iets.")
    definition_en = factory.LazyAttribute(lambda o: f"{o.pref_label_en.capitalize()} is a thing.")
    category = Category.ALGEMEEN
    status = Status.GEPUBLICEERD
    source = "001"

    @classmethod
    def _create(cls, model_class, *args, alt_labels=None, hidden_labels=None, **kwargs):
        return term_save(
            term=model_class(*args, **kwargs), alt_labels=alt_labels, hidden_labels=hidden_labels
        )


def bulk_terms(count: int, *, prefix: str = "woord") -> list[Term]:
    """Many published terms with nl/en preferred and alternative labels, inserted in bulk
    (for query budgets: fast to make, same shape as real terms)."""
    from glossary.constants import LabelKind
    from glossary.models import Label
    from glossary.text import fold

    terms = Term.objects.bulk_create(
        [
            Term(
                slug=f"{prefix}-{n}",
                pref_label_nl=f"{prefix}{n}",
                pref_label_en=f"{prefix}{n}en",
                definition_nl=f"{prefix.capitalize()}{n} is een **begrip** met uitleg.",
                definition_en=f"{prefix.capitalize()}{n}en is a **term** with an explanation.",
                category=Category.ALGEMEEN,
                status=Status.GEPUBLICEERD,
                source="001",
                search_document=f"{prefix}{n} | {prefix}{n}en | {prefix}{n}alt",
            )
            for n in range(count)
        ]
    )
    if not terms[0].pk:  # backends that do not return ids from bulk_create
        terms = list(Term.objects.filter(slug__startswith=f"{prefix}-"))
    labels = []
    for term in terms:
        for language, kind, text in (
            ("nl", LabelKind.PREFERRED, term.pref_label_nl),
            ("en", LabelKind.PREFERRED, term.pref_label_en),
            ("nl", LabelKind.ALTERNATIVE, f"{term.pref_label_nl}alt"),
        ):
            labels.append(
                Label(term=term, language=language, kind=kind, text=text, folded=fold(text))
            )
    Label.objects.bulk_create(labels)
    return terms


def make_guide(
    *,
    slug: str = "ouders-slachtoffer",
    with_branch: bool = True,
    publish: bool = True,
    steps: list[dict] | None = None,
):
    """A guide with its draft steps (and an honour branch with screening questions), published
    as version 1 unless publish=False. Returns the guide."""
    from guidance.constants import Branch, GuideKind, StepKind
    from guidance.models import Guide, ScreeningQuestion, Step
    from guidance.services import guide_publish

    branch = None
    if with_branch:
        branch, _ = Guide.objects.get_or_create(
            slug="eergerelateerd-geweld",
            defaults={"kind": GuideKind.HONOUR_BRANCH, "title_nl": "Route eergerelateerd geweld"},
        )
        if not branch.steps.exists():
            Step.objects.create(
                guide=branch,
                key="raadpleeg-veilig-thuis",
                order=1,
                kind=StepKind.CONSULTATIE,
                title_nl="Raadpleeg eerst Veilig Thuis",
                title_en="Consult Veilig Thuis first",
                body_nl="Bel Veilig Thuis: 0800-2000.",
            )
            Step.objects.create(
                guide=branch,
                key="meldcode-gesprek",
                order=2,
                kind=StepKind.GESPREK_MET_OUDERS,
                title_nl="Gesprek met betrokkenen",
                involves_parent_contact=True,
                body_nl="Alleen na advies.",
            )
            for n, (key, signal) in enumerate(
                [("dreiging", True), ("angst-familie", True), ("jongere-weet-van-gesprek", False)],
                start=1,
            ):
                ScreeningQuestion.objects.create(
                    guide=branch,
                    key=key,
                    order=n,
                    text_nl=f"Vraag {key}?",
                    is_honour_signal=signal,
                )
    guide = Guide.objects.create(
        slug=slug,
        kind=GuideKind.GUIDE,
        title_nl=f"Leidraad {slug}",
        title_en=f"Guide {slug}",
        situation_nl="Als het nodig is.",
        honour_branch=branch,
    )
    default_steps = [
        {"key": "wat-is-er-gebeurd", "kind": StepKind.VOORBEREIDING},
        {"key": "kennis-eer", "kind": StepKind.KENNIS},
        {"key": "geen-signalen", "kind": StepKind.VOORBEREIDING, "branch": Branch.NOT_HONOUR},
        {"key": "vertrouwen", "kind": StepKind.GESPREK_MET_OUDERS, "involves_parent_contact": True},
        {"key": "alleen-bij-eer", "kind": StepKind.VERWIJZING, "branch": Branch.HONOUR},
        {"key": "nazorg", "kind": StepKind.NAZORG, "may_be_not_applicable": True},
    ]
    for order, spec in enumerate(default_steps if steps is None else steps, start=1):
        Step.objects.create(
            guide=guide,
            order=order,
            title_nl=spec.get("title", f"Stap {spec['key']}"),
            title_en=spec.get("title_en", f"Step {spec['key']}"),
            body_nl=spec.get("body", f"Tekst van {spec['key']}."),
            **{k: v for k, v in spec.items() if k not in {"title", "title_en", "body"}},
        )
    if publish:
        guide_publish(guide=guide, note="Eerste versie.")
    return guide


def make_case(*, owner=None, guide=None, **fields):
    """A case prepared by a Medewerker on the newest version of a guide (make_guide's by
    default), through the service."""
    from cases.constants import AgeRange, Situation
    from cases.services import case_create
    from guidance.models import Guide

    owner = owner or UserFactory()
    if guide is None:
        guide = Guide.objects.filter(slug="ouders-slachtoffer").first() or make_guide()
    defaults = {"age_range": AgeRange.J12_15, "situation": Situation.SHAME_SEXTING}
    return case_create(owner=owner, guide_version=guide.versions.latest(), **{**defaults, **fields})


# --- social map (resources) ------------------------------------------------------------


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "resources.Theme"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"thema-{n}")
    name_nl = factory.Sequence(lambda n: f"Thema {n}")
    name_en = factory.LazyAttribute(lambda o: f"{o.name_nl} (en)")
    order = factory.Sequence(lambda n: n)


class ProfessionalGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "resources.ProfessionalGroup"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"beroepsgroep-{n}")
    name_nl = factory.Sequence(lambda n: f"Beroepsgroep {n}")
    name_en = factory.LazyAttribute(lambda o: f"{o.name_nl} (en)")


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A published national organisation: `OrganisationFactory(region=region)` for a local one."""

    class Meta:
        model = "resources.Organisation"

    slug = factory.Sequence(lambda n: f"organisatie-{n}")
    name_nl = factory.Sequence(lambda n: f"Organisatie {n}")
    name_en = factory.LazyAttribute(lambda o: f"{o.name_nl} (en)")
    description_nl = "Een organisatie op de sociale kaart."
    website = factory.Sequence(lambda n: f"https://organisatie{n}.example.org/")
    status = "gepubliceerd"
    region = None


class ResourceFactory(factory.django.DjangoModelFactory):
    """A published resource saved through the service (so its search document exists):
    `ResourceFactory(themes=[theme], audiences=["ouders"], languages=["nl", "ar"])`."""

    class Meta:
        model = "resources.Resource"
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"materiaal-{n}")
    title_nl = factory.Sequence(lambda n: f"Materiaal {n}")
    title_en = factory.LazyAttribute(lambda o: f"{o.title_nl} (en)")
    description_nl = factory.LazyAttribute(lambda o: f"{o.title_nl} legt iets uit.")
    description_en = factory.LazyAttribute(lambda o: f"{o.title_en} explains something.")
    # May go into a parent handout when it is also for parents (audiences=["ouders"]).
    parent_text_nl = factory.LazyAttribute(lambda o: f"Over {o.title_nl}, voor u als ouder.")
    parent_text_en = factory.LazyAttribute(lambda o: f"About {o.title_en}, for you as a parent.")
    organisation = factory.SubFactory(OrganisationFactory, region=factory.SelfAttribute("..region"))
    kind = "artikel"
    url = factory.Sequence(lambda n: f"https://materiaal{n}.example.org/")
    status = "gepubliceerd"
    region = None

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        themes=(),
        audiences=(),
        languages=("nl",),
        professional_groups=(),
        **kwargs,
    ):
        from resources.models import Audience, Language
        from resources.services import resource_save, vocabulary_ensure

        vocabulary_ensure()
        return resource_save(
            resource=model_class(*args, **kwargs),
            themes=list(themes),
            audiences=list(Audience.objects.filter(code__in=audiences)),
            languages=list(Language.objects.filter(code__in=languages)),
            professional_groups=list(professional_groups),
        )


class ReferralRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "resources.ReferralRoute"

    slug = factory.Sequence(lambda n: f"route-{n}")
    situation = "steun-slachtoffer"
    organisation = factory.SubFactory(OrganisationFactory)
    resource = None
    channel_nl = "telefoon"
    channel_en = "phone"
    parent_text_nl = "Hier krijgt u hulp."
    parent_text_en = "You can get help here."
    contact = ""
    urgency = "regulier"
    order = factory.Sequence(lambda n: n)
    region = None


def bulk_resources(
    count: int, *, prefix: str = "bron", organisations: int = 20, region=None
) -> list:
    """Many published resources with themes, audiences, languages and professional groups,
    inserted in bulk (for query budgets: fast to make, same shape as real ones)."""
    from resources.models import (
        Audience,
        Language,
        Organisation,
        Resource,
    )
    from resources.search import build_document
    from resources.services import resources_refresh_map_ranks, vocabulary_ensure

    vocabulary_ensure()
    main = ThemeFactory(slug=f"{prefix}-hoofdthema", name_nl=f"{prefix} hoofdthema")
    themes = [main] + [
        ThemeFactory(slug=f"{prefix}-sub-{n}", name_nl=f"{prefix} sub {n}", parent=main)
        for n in range(3)
    ]
    groups = [ProfessionalGroupFactory(slug=f"{prefix}-groep-{n}") for n in range(3)]
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                slug=f"{prefix}-org-{n}",
                name_nl=f"{prefix} organisatie {n}",
                name_en=f"{prefix} organisation {n}",
                description_nl="Organisatie.",
                website=f"https://{prefix}{n}.example.org/",
                status="gepubliceerd",
                region=region,
            )
            for n in range(organisations)
        ]
    )
    if not orgs[0].pk:
        orgs = list(Organisation.objects.filter(slug__startswith=f"{prefix}-org-"))
    kinds = ["artikel", "video", "training", "website"]
    resources = Resource.objects.bulk_create(
        [
            Resource(
                slug=f"{prefix}-{n}",
                title_nl=f"{prefix} titel {n}",
                title_en=f"{prefix} title {n}",
                description_nl=f"Over **fietsen** en {prefix} nummer {n}.",
                description_en=f"About cycling and {prefix} number {n}.",
                parent_text_nl=f"Voor ouders: {prefix} nummer {n}.",
                parent_text_en=f"For parents: {prefix} number {n}.",
                organisation=orgs[n % len(orgs)],
                kind=kinds[n % len(kinds)],
                url=f"https://{prefix}.example.org/{n}",
                status="gepubliceerd",
                region=region,
                sort_title_nl=f"{prefix} titel {n}",
                sort_title_en=f"{prefix} title {n}",
                search_document=build_document(
                    titles=[f"{prefix} titel {n}", f"{prefix} title {n}"],
                    organisations=[orgs[n % len(orgs)].name_nl],
                    themes=[themes[n % 4].name_nl],
                    descriptions=[f"Over fietsen en {prefix} nummer {n}."],
                ),
            )
            for n in range(count)
        ]
    )
    if not resources[0].pk:
        resources = list(Resource.objects.filter(slug__startswith=f"{prefix}-"))
    audiences = list(Audience.objects.order_by("code"))
    languages = {language.code: language for language in Language.objects.all()}
    through = {name: getattr(Resource, name).through for name in (
        "themes", "audiences", "languages", "professional_groups"
    )}  # fmt: skip
    rows = {name: [] for name in through}
    for n, resource in enumerate(resources):
        rows["themes"].append(through["themes"](resource=resource, theme=themes[n % 4]))
        rows["audiences"].append(
            through["audiences"](resource=resource, audience=audiences[n % len(audiences)])
        )
        for code in ("nl", "ar") if n % 5 == 0 else ("nl",):
            rows["languages"].append(
                through["languages"](resource=resource, language=languages[code])
            )
        rows["professional_groups"].append(
            through["professional_groups"](
                resource=resource, professionalgroup=groups[n % len(groups)]
            )
        )
    for name, objects in rows.items():
        through[name].objects.bulk_create(objects)
    resources_refresh_map_ranks(resources=Resource.objects.filter(pk__in=[r.pk for r in resources]))
    return resources


def log_in_with_code(client, email, password=PASSWORD):
    """Log in through HTTP as a user does: e-mail and password, then the code from the app
    (factory users have TOTP_SECRET). Returns the last response."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.urls import reverse

    response = client.post(reverse("accounts:login"), {"username": email, "password": password})
    if response.status_code == 302 and response.url == reverse("mfa_authenticate"):
        code = totp_code()
        # A second login of the same user within one 30-second period would reuse a code,
        # which allauth refuses (replay); a real user waits for the next code. Forget the
        # marker so tests with two sessions of one user need not wait.
        users = get_user_model().objects.filter(email__iexact=email)
        user_id = users.values_list("pk", flat=True).first()
        cache.delete(f"allauth.mfa.totp.used?user={user_id}&code={code}")
        return client.post(response.url, {"code": code})
    return response


def make_sync_review(region, *, title="Gedeelde folder"):
    """An open review of the sources' list (resources/sync.py) in `region`: a local entry and
    a hidden copy from a source with the same name, as a sync leaves them."""
    import uuid

    from resources.models import Source, SyncReview

    source = Source.objects.create(
        name=f"Bron voor {region.name}",
        base_url=f"https://bron-{region.pk}-{Source.objects.count()}.example.org/api/hsds/",
        region=region,
    )
    own = OrganisationFactory(region=region)
    local = ResourceFactory(title_nl=title, organisation=own, region=region)
    remote_org = OrganisationFactory(region=region, remote_source=source, remote_id=uuid.uuid4())
    remote = ResourceFactory(
        title_nl=title,
        description_nl=f"{title}, zoals de bron het beschrijft.",
        organisation=remote_org,
        region=region,
        status="concept",
        remote_source=source,
        remote_id=uuid.uuid4(),
    )
    return SyncReview.objects.create(
        source=source,
        remote=remote,
        local=local,
        region=region,
        kind="nieuw",
        reasons=["naam"],
        remote_hash="0" * 64,
    )
