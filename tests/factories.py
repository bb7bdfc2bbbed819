import factory

from accounts.constants import Role
from accounts.models import Region, Team, User
from accounts.services import user_assign_role

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
