import factory

from accounts.constants import Role
from accounts.models import Region, Team, User
from accounts.services import user_assign_role
from glossary.constants import Category, Status
from glossary.models import Term
from glossary.services import term_save

PASSWORD = "een-goed-wachtwoord-42"  # noqa: S105 - test data


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
