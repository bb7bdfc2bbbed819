"""Policy figures (issue 14): k-anonymous, kept through the retention purge, logged."""

import csv
import datetime as dt
import io
import itertools
import zoneinfo

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.constants import Role, SecurityEventKind
from accounts.models import SecurityEvent
from cases.models import Case, CaseFigure
from cases.retention import cases_purge
from cases.services import case_answer_question, case_close, case_record_consultation
from cases.statistics import _lines, statistics_for, suppress
from tests.factories import TeamFactory, UserFactory, log_in_with_code, make_case, make_guide

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
K = 5
# The filter offers this year and the four before; the seeded cases start this year.
YEAR = timezone.localdate().year


# --- The maths -----------------------------------------------------------------------------


def possible_values(cells, hidden, *, row_totals=True, col_totals=True):
    """Independent of `suppress`: every table of non-negative whole numbers that shows the same
    figures and sums, by brute force; per hidden position, the values it can take."""
    grid, _ = suppress(cells, threshold=0, row_totals=row_totals, col_totals=col_totals)
    rows, cols = len(cells), len(cells[0])
    unknown = [(r, c) for r in range(rows) for c in range(cols) if (r, c) in hidden]
    total = sum(map(sum, cells))

    def ceiling(r, c):
        # No count exceeds a shown total of a line it is in (counts are never negative), so
        # larger values cannot give the same figures: leaving them out loses no table.
        shown = [total]
        if row_totals and (r, cols) not in hidden:
            shown.append(grid[r][cols])
        if col_totals and (rows, c) not in hidden:
            shown.append(grid[rows][c])
        return min(shown)

    seen = {pos: set() for pos in hidden}
    ranges = [range(ceiling(r, c) + 1) for r, c in unknown]
    for values in itertools.product(*ranges):
        trial = [row[:] for row in cells]
        for (r, c), v in zip(unknown, values, strict=True):
            trial[r][c] = v
        other, _ = suppress(trial, threshold=0, row_totals=row_totals, col_totals=col_totals)
        if all(
            other[r][c] == grid[r][c]
            for r in range(len(grid))
            for c in range(len(grid[r]))
            if (r, c) not in hidden
        ):
            for pos in hidden:
                seen[pos].add(other[pos[0]][pos[1]])
    return seen


class SuppressionTests:
    def test_counts_below_the_threshold_are_hidden_and_zero_and_larger_ones_shown(self):
        grid, hidden = suppress([[0, 5], [9, 12]], threshold=K)
        assert hidden == set()
        assert grid == [[0, 5, 5], [9, 12, 21], [9, 17, 26]]

    def test_one_small_count_in_a_row_hides_the_smallest_other_too(self):
        grid, hidden = suppress([[2, 7, 9]], threshold=K, col_totals=False)
        assert hidden == {(0, 0), (0, 1)}

    def test_a_single_cell_row_hides_its_total(self):
        grid, hidden = suppress([[3], [8]], threshold=K)
        assert (0, 1) in hidden and (0, 0) in hidden

    def test_a_vertical_list_with_a_total_hides_a_second_figure(self):
        grid, hidden = suppress([[3], [20], [8]], threshold=K, row_totals=False)
        assert hidden == {(0, 0), (2, 0)}

    def test_a_total_shown_elsewhere_is_kept_and_one_hidden_elsewhere_stays_hidden(self):
        _, hidden = suppress([[3], [7]], threshold=K, row_totals=False, keep=[(2, 0)])
        assert hidden == {(0, 0), (1, 0)}
        _, hidden = suppress([[6], [7]], threshold=K, row_totals=False, hidden=[(2, 0)])
        assert (0, 0) in hidden or (1, 0) in hidden

    @pytest.mark.parametrize(
        "cells",
        [
            [[2, 7], [9, 12]],
            [[1, 0, 6], [8, 9, 3]],
            [[4, 6], [6, 4], [9, 9]],
            [[0, 3], [3, 0]],
            [[1, 1], [1, 1]],
        ],
    )
    def test_no_hidden_count_can_be_worked_out_from_the_shown_figures(self, cells):
        _, hidden = suppress(cells, threshold=K)
        for r, row in enumerate(cells):
            for c, value in enumerate(row):
                assert (r, c) in hidden or not 0 < value < K
        for pos, values in possible_values(cells, hidden).items():
            assert len(values) > 1, f"{pos} can only be {values}"

    @given(
        st.integers(2, 3).flatmap(
            lambda cols: st.lists(
                st.lists(st.integers(0, 9), min_size=cols, max_size=cols), min_size=2, max_size=3
            )
        )
    )
    def test_random_tables_never_give_a_hidden_count_away(self, cells):
        grid, hidden = suppress(cells, threshold=K)
        for line in _lines(len(cells), len(cells[0]), row_totals=True, col_totals=True):
            assert sum(pos in hidden for pos in line) != 1
        if sum(1 for r, c in hidden if r < len(cells) and c < len(cells[0])) <= 3:
            for pos, values in possible_values(cells, hidden).items():
                assert len(values) > 1, f"{pos} can only be {values}"


# --- Seeded cases --------------------------------------------------------------------------


def at(year, month, day=10):
    return dt.datetime(year, month, day, 12, tzinfo=AMSTERDAM)


def seeded(owner, guide, *, month, count, flagged=0, languages=("ar",)):
    cases = []
    for i in range(count):
        case = make_case(owner=owner, guide=guide, parent_languages=list(languages))
        if i < flagged:
            case_answer_question(case=case, actor=owner, question_key="dreiging", answer="ja")
            case_record_consultation(
                case=case, actor=owner, consulted_on=timezone.localdate(), organisation="politie",
                advisor="x", advice_summary="geheim advies", outcome="melding_gedaan",
                young_person_informed=True,
            )  # fmt: skip
        cases.append(case)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(created_at=month)
    return cases


@pytest.fixture
def region_cases(db):
    """In one region, this year: March 12 cases (3 with signals), April 2 cases, of one guide."""
    team = TeamFactory()
    worker = UserFactory(team=team)
    guide = make_guide()
    march = seeded(worker, guide, month=at(YEAR, 3), count=12, flagged=3)
    april = seeded(worker, guide, month=at(YEAR, 4), count=2, languages=("ar", "tr"))
    coordinator = UserFactory(role=Role.COORDINATOR, team=TeamFactory(region=team.region))
    return {"worker": worker, "guide": guide, "march": march, "april": april, "team": team,
            "coordinator": coordinator}  # fmt: skip


def shown(stats):
    """Every figure on the page as (table, row, column) → value or None when hidden."""
    return {
        (table.key, row.label, column): figure.value if figure.shown else None
        for table in stats.tables
        for row in [*table.rows, *([table.totals] if table.totals else [])]
        for column, figure in zip(table.columns, row.cells, strict=False)
    }


class StatisticsSelectorTests:
    def test_small_counts_are_hidden_and_cannot_be_recovered(self, region_cases):
        stats = statistics_for(user=region_cases["coordinator"], year=YEAR)
        figures = shown(stats)
        title = str(region_cases["guide"])
        assert figures[("started", f"{YEAR}-04", title)] is None  # 2 < 5
        # One guide: April's row total is the hidden cell, so it goes too; the year's total
        # (shown) minus March would give April away, so March (the smallest other count that
        # is not 0) is hidden as well, and with it its row total.
        assert figures[("started", f"{YEAR}-04", "Totaal")] is None
        assert figures[("started", f"{YEAR}-03", title)] is None
        assert figures[("started", f"{YEAR}-03", "Totaal")] is None
        assert figures[("started", "Totaal", "Totaal")] == 14
        assert figures[("started", f"{YEAR}-01", title)] == 0
        assert figures[("honour", "Ja", "Casussen")] is None  # 3
        assert figures[("language", "Arabisch", "Casussen")] == 14
        assert figures[("language", "Turks", "Casussen")] is None

    def test_a_coordinator_sees_their_region_only_a_beheerder_all(self, region_cases):
        other = UserFactory(team=TeamFactory())
        seeded(other, region_cases["guide"], month=at(YEAR, 3), count=6)
        mine = shown(statistics_for(user=region_cases["coordinator"], year=YEAR, region_id=None))
        assert mine[("started", "Totaal", "Totaal")] == 14
        everyone = shown(statistics_for(user=UserFactory(role=Role.BEHEERDER), year=YEAR))
        assert everyone[("started", "Totaal", "Totaal")] == 20
        # One region is never a Beheerder's view: "all" minus region A would give away a
        # count hidden in region B's view.
        asked = statistics_for(
            user=UserFactory(role=Role.BEHEERDER), year=YEAR, region_id=other.team.region_id
        )
        assert asked.region is None
        assert shown(asked) == everyone

    def test_the_share_with_signals_and_the_outcomes_are_shown_when_large_enough(self, db):
        team = TeamFactory()
        seeded(UserFactory(team=team), make_guide(), month=at(YEAR, 2), count=12, flagged=6)
        stats = statistics_for(user=UserFactory(role=Role.BEHEERDER, team=None), year=YEAR)
        honour = next(t for t in stats.tables if t.key == "honour")
        assert [(r.label, r.cells[0].value, r.cells[0].share) for r in honour.rows] == [
            ("Ja", 6, "50 %"),
            ("Nee", 6, "50 %"),
        ]
        outcomes = {
            r.label: r.cells[0] for r in next(t for t in stats.tables if t.key == "outcome").rows
        }
        assert outcomes["Melding gedaan"].value == 6 and outcomes["Melding gedaan"].shown
        assert outcomes["Geen consultatie"].value == 6 and outcomes["Geen consultatie"].shown

    def test_a_worker_is_refused(self, region_cases):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            statistics_for(user=region_cases["worker"], year=YEAR)

    def test_the_figures_survive_the_purge_without_a_link_to_a_case(self, region_cases):
        before = shown(statistics_for(user=region_cases["coordinator"], year=YEAR))
        worker = region_cases["worker"]
        for case in region_cases["march"][:7]:
            case_close(case=case, actor=worker)
        Case.objects.filter(pk__in=[c.pk for c in region_cases["march"]]).update(
            closed_at=at(YEAR, 5)
        )
        purged = cases_purge(months=12, now=at(YEAR + 1, 6))
        assert len(purged.references) == 7
        assert Case.objects.count() == 7
        assert shown(statistics_for(user=region_cases["coordinator"], year=YEAR)) == before
        # A second purge finds nothing new; the figures stay the same.
        cases_purge(months=12, now=at(YEAR + 1, 7))
        assert shown(statistics_for(user=region_cases["coordinator"], year=YEAR)) == before
        fields = {f.name for f in CaseFigure._meta.get_fields()}
        assert fields == {"id", "month", "region", "guide", "dimension", "value", "count"}
        references = {c.reference for c in region_cases["march"]}
        for row in CaseFigure.objects.values_list("value", flat=True):
            assert row not in references


class StatisticsHttpTests:
    def test_the_page_hides_small_counts_and_logs_the_look(self, client, region_cases):
        log_in_with_code(client, region_cases["coordinator"].email)
        response = client.get("/statistieken/", {"jaar": YEAR})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Gestarte casussen per maand en leidraad" in html
        assert '<td class="text-end">14</td>' in html
        assert SecurityEvent.objects.filter(
            kind=SecurityEventKind.STATISTICS_VIEWED, actor=region_cases["coordinator"]
        ).exists()

    def test_coordinators_and_beheerders_find_it_in_the_menu(self, client, region_cases):
        log_in_with_code(client, region_cases["coordinator"].email)
        assert b'href="/statistieken/"' in client.get("/coordinatie/").content
        client.logout()
        log_in_with_code(client, UserFactory(role=Role.BEHEERDER, team=None).email)
        assert b'href="/statistieken/"' in client.get("/statistieken/").content

    def test_a_coordinator_without_a_region_is_refused(self, client, db):
        coordinator = UserFactory(role=Role.COORDINATOR, team=None)
        log_in_with_code(client, coordinator.email)
        assert client.get("/statistieken/").status_code == 403
        assert not SecurityEvent.objects.filter(kind=SecurityEventKind.STATISTICS_VIEWED).exists()

    def test_a_coordinator_cannot_pick_another_region(self, client, region_cases):
        other = UserFactory(team=TeamFactory())
        seeded(other, region_cases["guide"], month=at(YEAR, 3), count=6)
        log_in_with_code(client, region_cases["coordinator"].email)
        response = client.get("/statistieken/", {"jaar": YEAR, "regio": other.team.region_id})
        assert response.status_code == 200
        assert response.context["stats"].region == region_cases["team"].region
        assert '<td class="text-end">14</td>' in response.content.decode()

    def test_bad_input_gives_the_default_figures_and_an_error_not_a_500(self, client, region_cases):
        log_in_with_code(client, UserFactory(role=Role.BEHEERDER, team=None).email)
        response = client.get("/statistieken/", {"jaar": "1700", "regio": "x"})
        assert response.status_code == 200
        assert response.context["form"].errors

    def test_a_worker_gets_403_and_the_nav_has_no_link(self, client, region_cases):
        log_in_with_code(client, region_cases["worker"].email)
        assert client.get("/statistieken/").status_code == 403
        assert client.get("/statistieken/cijfers.csv").status_code == 403
        assert b'href="/statistieken/"' not in client.get("/casussen/").content

    def test_the_csv_hides_the_same_figures(self, client, region_cases):
        log_in_with_code(client, region_cases["coordinator"].email)
        stats = statistics_for(user=region_cases["coordinator"], year=YEAR)
        response = client.get("/statistieken/cijfers.csv", {"jaar": YEAR})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))[1:]
        expected = {
            (t.title, r.label, col): ("x" if not f.shown else str(f.value))
            for t in stats.tables
            for r in [*t.rows, *([t.totals] if t.totals else [])]
            for col, f in zip(t.columns, r.cells, strict=False)
        }
        assert {(a, b, c): d for a, b, c, d in rows} == expected
        assert SecurityEvent.objects.filter(
            kind=SecurityEventKind.STATISTICS_VIEWED, detail__startswith="csv"
        ).exists()

    @pytest.mark.parametrize("count", [10, 60])
    def test_queries_do_not_grow_with_the_cases(
        self, client, db, django_assert_max_num_queries, count
    ):
        team = TeamFactory()
        worker = UserFactory(team=team)
        seeded(worker, make_guide(), month=at(YEAR, 3), count=count, flagged=3)
        coordinator = UserFactory(role=Role.COORDINATOR, team=TeamFactory(region=team.region))
        log_in_with_code(client, coordinator.email)
        # Measured: 10 for 10 cases and for 60 (session, user, figures, labels, the log).
        with django_assert_max_num_queries(10):
            assert client.get("/statistieken/", {"jaar": YEAR}).status_code == 200
