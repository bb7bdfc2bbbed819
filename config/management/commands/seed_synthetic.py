"""Synthetic data at national scale, for `make bench` (never for a real installation).

Deterministic (a fixed seed): the same arguments give the same rows. Words follow a Zipf-like
distribution over the vocabulary of the real content, so a common word ("sexting") matches a
large share of the map and a rare one a handful, as in the real overview map. Resources are
national or belong to one of a dozen regions and exist in a realistic mix of languages.
Everything is marked with the prefix `synth-` and inserted in bulk; run after `load_content`.
"""

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from glossary.text import fold, search_form

PREFIX = "synth"
SEED = 13
REGIONS = 12
# Languages a resource exists in besides Dutch, with how often (Zanzu-like sets are rare).
LANGUAGE_ODDS = {"en": 0.35, "ar": 0.12, "tr": 0.12, "fr": 0.06, "pl": 0.05, "uk": 0.03}
COMMON = ["sexting", "ouders", "jongeren", "school", "gesprek", "online", "veilig"]


class Command(BaseCommand):
    help = "Insert N synthetic resources, terms and cases (deterministic) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--resources", type=int, default=10_000)
        parser.add_argument("--terms", type=int, default=2_000)
        parser.add_argument("--cases", type=int, default=200)
        parser.add_argument("--owner", default="bench@example.org", help="owner of the cases")

    def handle(self, *args, **options):
        if not settings.DEBUG and "bench" not in settings.DATABASES["default"]["NAME"]:
            raise CommandError("Only into a database whose name contains 'bench'.")
        rng = random.Random(SEED)
        vocabulary = self._vocabulary()
        with transaction.atomic():
            regions = self._regions()
            resources = self._resources(options["resources"], rng, vocabulary, regions)
            terms = self._terms(options["terms"], rng, vocabulary)
        cases = self._cases(options["cases"], options["owner"], regions)
        self.stdout.write(f"{resources} resources, {terms} terms, {cases} cases")

    def _vocabulary(self) -> list[str]:
        """Words of the real content (the social map and glossary), most common first."""
        from glossary.models import Term
        from resources.models import Resource

        counts: dict[str, int] = {}
        texts = list(
            Resource.objects.exclude(slug__startswith=PREFIX).values_list(
                "search_document", flat=True
            )
        )
        texts += list(
            Term.objects.exclude(slug__startswith=PREFIX).values_list("definition_nl", flat=True)
        )
        for text in texts:
            for word in search_form(text or "").split():
                if len(word) > 3 and word.isalpha():
                    counts[word] = counts.get(word, 0) + 1
        words = [w for w in COMMON] + sorted(
            (w for w in counts if w not in COMMON), key=lambda w: (-counts[w], w)
        )
        if len(words) < 200:
            words += [f"woord{n}" for n in range(200 - len(words))]
        return words

    _cumulative: dict[int, list[float]] = {}

    @classmethod
    def _zipf(cls, rng, words, k):
        # Rank r is drawn with weight 1/r: the first words are everywhere, the tail is rare.
        weights = cls._cumulative.get(len(words))
        if weights is None:
            weights, total = [], 0.0
            for rank in range(len(words)):
                total += 1 / (rank + 1)
                weights.append(total)
            cls._cumulative[len(words)] = weights
        return rng.choices(words, cum_weights=weights, k=k)

    def _regions(self):
        from accounts.models import Region

        return [
            Region.objects.get_or_create(name=f"Synthetische regio {n + 1}")[0]
            for n in range(REGIONS)
        ]

    def _resources(self, count, rng, vocabulary, regions) -> int:
        from resources.models import (
            Audience,
            Language,
            Organisation,
            ProfessionalGroup,
            Resource,
            Theme,
        )
        from resources.search import build_document
        from resources.services import (
            resources_refresh_map_ranks,
            sort_titles,
            vocabulary_ensure,
        )

        if Resource.objects.filter(slug__startswith=f"{PREFIX}-").exists():
            raise CommandError("Synthetic resources exist already: use a fresh database.")
        vocabulary_ensure()
        themes = list(Theme.objects.all()) or [
            Theme.objects.get_or_create(
                slug=f"{PREFIX}-thema", defaults={"name_nl": "Thema", "name_en": "Theme"}
            )[0]
        ]
        audiences = list(Audience.objects.all())
        languages = {language.code: language for language in Language.objects.all()}
        groups = list(ProfessionalGroup.objects.all())
        kinds = ["artikel", "video", "training", "website", "brochure", "hulplijn", "podcast"]
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    slug=f"{PREFIX}-org-{n}",
                    name_nl=f"Stichting {' '.join(self._zipf(rng, vocabulary, 2)).title()} {n}",
                    name_en=f"Foundation {n}",
                    description_nl="Een synthetische organisatie.",
                    website=f"https://org{n}.example.org/",
                    status="gepubliceerd",
                    region=None if n % 3 == 0 else regions[n % len(regions)],
                )
                for n in range(max(1, count // 50))
            ]
        )
        batch = 2000
        for start in range(0, count, batch):
            rows = []
            for n in range(start, min(start + batch, count)):
                organisation = organisations[n % len(organisations)]
                title = " ".join(self._zipf(rng, vocabulary, rng.randint(2, 5))).capitalize()
                text = " ".join(self._zipf(rng, vocabulary, rng.randint(15, 40))).capitalize()
                theme_names = [themes[n % len(themes)].name_nl]
                rows.append(
                    Resource(
                        slug=f"{PREFIX}-{n}",
                        title_nl=f"{title} {n}",
                        title_en=f"{title} {n} (en)" if n % 3 == 0 else "",
                        description_nl=f"{text}.",
                        description_en="",
                        organisation=organisation,
                        kind=kinds[n % len(kinds)],
                        url=f"https://org{n % len(organisations)}.example.org/{n}",
                        status="gepubliceerd" if n % 20 else "concept",
                        region=organisation.region,
                        search_document=build_document(
                            titles=[f"{title} {n}"],
                            organisations=[organisation.name_nl],
                            themes=theme_names,
                            descriptions=[text],
                        ),
                        **sort_titles(title_nl=f"{title} {n}", title_en=""),
                    )
                )
            created = Resource.objects.bulk_create(rows)
            if not created[0].pk:
                created = list(
                    Resource.objects.filter(slug__in=[r.slug for r in rows]).order_by("pk")
                )
            self._classify(created, rng, themes, audiences, languages, groups)
        resources_refresh_map_ranks(resources=Resource.objects.filter(slug__startswith=PREFIX))
        return count

    @staticmethod
    def _classify(resources, rng, themes, audiences, languages, groups):
        from resources.models import Resource

        through = {name: getattr(Resource, name).through for name in (
            "themes", "audiences", "languages", "professional_groups"
        )}  # fmt: skip
        rows = {name: [] for name in through}
        for resource in resources:
            n = int(resource.slug.rsplit("-", 1)[1])
            for theme in {themes[n % len(themes)], rng.choice(themes)}:
                rows["themes"].append(through["themes"](resource=resource, theme=theme))
            for audience in rng.sample(audiences, k=rng.randint(1, min(3, len(audiences)))):
                rows["audiences"].append(through["audiences"](resource=resource, audience=audience))
            codes = ["nl"] + [c for c, odds in LANGUAGE_ODDS.items() if rng.random() < odds]
            for code in codes:
                if code in languages:
                    rows["languages"].append(
                        through["languages"](resource=resource, language=languages[code])
                    )
            if groups:
                rows["professional_groups"].append(
                    through["professional_groups"](
                        resource=resource, professionalgroup=rng.choice(groups)
                    )
                )
        for name, objects in rows.items():
            through[name].objects.bulk_create(objects)

    def _terms(self, count, rng, vocabulary) -> int:
        from glossary.constants import Category, LabelKind, Status
        from glossary.models import Label, Term

        terms = Term.objects.bulk_create(
            [
                Term(
                    slug=f"{PREFIX}-begrip-{n}",
                    pref_label_nl=f"{vocabulary[n % len(vocabulary)]}{n}",
                    pref_label_en=f"{vocabulary[n % len(vocabulary)]}{n}en",
                    definition_nl=" ".join(self._zipf(rng, vocabulary, 30)).capitalize() + ".",
                    definition_en="A synthetic term.",
                    category=Category.ALGEMEEN,
                    status=Status.GEPUBLICEERD,
                    source="001",
                    search_document=f"{vocabulary[n % len(vocabulary)]}{n}",
                )
                for n in range(count)
            ]
        )
        if terms and not terms[0].pk:
            terms = list(Term.objects.filter(slug__startswith=f"{PREFIX}-begrip-"))
        labels = []
        for term in terms:
            for language, kind, text in (
                ("nl", LabelKind.PREFERRED, term.pref_label_nl),
                ("en", LabelKind.PREFERRED, term.pref_label_en),
                ("nl", LabelKind.ALTERNATIVE, f"{term.pref_label_nl} alt"),
            ):
                labels.append(
                    Label(term=term, language=language, kind=kind, text=text, folded=fold(text))
                )
        Label.objects.bulk_create(labels)
        from glossary.services import label_index_clear

        label_index_clear()
        return count

    def _cases(self, count, owner_email, regions) -> int:
        from accounts.constants import Role
        from accounts.models import Team, User
        from accounts.services import user_assign_role
        from cases.constants import AgeRange, Situation
        from cases.services import case_create
        from guidance.selectors import guide_version

        if not count:
            return 0
        owner = User.objects.filter(email=owner_email).first()
        if owner is None:
            team, _ = Team.objects.get_or_create(name="Synthetisch wijkteam", region=regions[0])
            owner = User.objects.create_user(email=owner_email, password=None, team=team)
            user_assign_role(user=owner, role=Role.MEDEWERKER)
        version = guide_version(slug="ouders-slachtoffer")
        situations = list(Situation.values)
        for n in range(count):
            case_create(
                owner=owner,
                guide_version=version,
                age_range=AgeRange.J16_17,
                situation=situations[n % len(situations)],
                parent_languages=["ar"] if n % 2 else ["tr", "nl"],
            )
        return count
