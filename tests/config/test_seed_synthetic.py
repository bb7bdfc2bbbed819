from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from glossary.models import Term
from resources.models import UNTHEMED_RANK, Organisation, Resource
from resources.selectors import MapFilters, map_page


class SeedSyntheticTests:
    def test_refuses_a_database_that_is_not_for_benchmarks(self, db, settings):
        settings.DEBUG = False
        with pytest.raises(CommandError):
            call_command("seed_synthetic", "--resources", "5", "--cases", "0", stdout=StringIO())

    def test_seeds_resources_terms_and_a_map_in_order(self, db, settings, worker):
        settings.DEBUG = True
        call_command(
            "seed_synthetic", "--resources", "60", "--terms", "12", "--cases", "0",
            stdout=StringIO(),
        )  # fmt: skip
        synthetic = Resource.objects.filter(slug__startswith="synth-")
        assert synthetic.count() == 60
        assert not synthetic.filter(map_rank=UNTHEMED_RANK).exists()
        assert synthetic.exclude(sort_title_nl="").count() == 60
        assert Term.objects.filter(slug__startswith="synth-").count() == 12
        titles = list(synthetic.order_by("slug").values_list("title_nl", flat=True))
        result = map_page(user=worker, filters=MapFilters())
        assert result.total > 0
        # Deterministic: the same arguments give the same rows (a fixed seed).
        Resource.objects.filter(slug__startswith="synth-").delete()
        Term.objects.filter(slug__startswith="synth-").delete()
        Organisation.objects.filter(slug__startswith="synth-").delete()
        call_command(
            "seed_synthetic", "--resources", "60", "--terms", "12", "--cases", "0",
            stdout=StringIO(),
        )  # fmt: skip
        again = Resource.objects.filter(slug__startswith="synth-").order_by("slug")
        assert list(again.values_list("title_nl", flat=True)) == titles
