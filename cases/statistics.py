"""Policy figures (issue 14): how many cases started per month and guide, the share with
signals of honour-related violence, the consultation outcomes, the referral routes and the
material of the steps workers completed, the handout languages. For Coördinatoren (their
region) and Beheerders (all regions together); never for Medewerkers, never a case.

k-anonymity: a count of 1 to STATISTICS_MIN_COUNT − 1 is not shown, and neither is any other
figure from which a hidden one could be worked out with the totals shown (complementary
suppression, `suppress`). The narrowest view is one month of one region.

Figures survive the retention purge: the purge adds a deleted case's facts (`case_facts`) to
CaseFigure in its own transaction, so each case counts once, live or purged."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import Region
from cases.constants import (
    NO_CONSULTATION,
    PARENT_LANGUAGES,
    ConsultationOutcome,
    FigureDimension,
    StepStatus,
)
from cases.models import Case, CaseFigure, Consultation, StepProgress
from guidance.models import Guide, GuideVersion
from resources.models import ReferralRoute, Resource

# --- The suppression maths (pure) ------------------------------------------------------------

Position = tuple[int, int]


def _lines(rows: int, cols: int, *, row_totals: bool, col_totals: bool) -> list[list[Position]]:
    """The sums of the extended grid: each line is its data positions, then its total's."""
    lines = []
    if row_totals:
        lines += [[(r, c) for c in range(cols)] + [(r, cols)] for r in range(rows)]
    if col_totals:
        lines += [[(r, c) for r in range(rows)] + [(rows, c)] for c in range(cols)]
    if row_totals and col_totals:
        lines.append([(rows, c) for c in range(cols)] + [(rows, cols)])
        lines.append([(r, cols) for r in range(rows)] + [(rows, cols)])
    return lines


def _rank(vectors: list[list[Fraction]]) -> int:
    rows = [list(v) for v in vectors]
    rank = 0
    width = len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                factor = rows[i][col] / rows[rank][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def recoverable(lines: list[list[Position]], hidden: set[Position]) -> set[Position]:
    """The hidden positions whose value follows from the shown ones by adding and subtracting
    the sums of `lines` (each line: data positions, then the total): a hidden x is recoverable
    exactly when its unit vector lies in the span of the lines' equations over the hidden."""
    order = sorted(hidden)
    index = {pos: i for i, pos in enumerate(order)}
    equations = []
    for line in lines:
        row = [Fraction(0)] * len(order)
        *data, total = line
        for pos in data:
            if pos in index:
                row[index[pos]] += 1
        if total in index:
            row[index[total]] -= 1
        if any(row):
            equations.append(row)
    if not equations:
        return set()
    base = _rank(equations)
    found = set()
    for pos in order:
        unit = [Fraction(0)] * len(order)
        unit[index[pos]] = Fraction(1)
        if _rank([*equations, unit]) == base:
            found.add(pos)
    return found


def suppress(
    cells: list[list[int]],
    *,
    threshold: int,
    row_totals: bool = True,
    col_totals: bool = True,
    hidden: Iterable[Position] = (),
    keep: Iterable[Position] = (),
) -> tuple[list[list[int]], set[Position]]:
    """The grid extended with its totals (a last column of row totals, a last row of column
    totals, as asked) and the positions not to show: every count from 1 to threshold − 1
    (primary), and then (complementary) whatever else must go so that no hidden count follows
    from the shown ones: in a sum with one hidden figure, the smallest other count is hidden
    too (zeros last, a total only when nothing else is left); then, for any hidden figure still
    recoverable by combining sums, the same in one of its sums. `hidden` starts hidden (a total
    another table hides); `keep` is never picked as a complement (a total another table
    shows), unless nothing else is left."""
    rows = len(cells)
    cols = len(cells[0]) if cells else 0
    grid = [list(row) + ([sum(row)] if row_totals else []) for row in cells]
    if col_totals:
        grid.append(
            [sum(grid[r][c] for r in range(rows)) for c in range(len(grid[0]) if grid else 0)]
        )
    lines = _lines(rows, cols, row_totals=row_totals, col_totals=col_totals)
    keep = set(keep)
    out = set(hidden) | {
        (r, c)
        for r, line in enumerate(grid)
        for c, value in enumerate(line)
        if 0 < value < threshold
    }

    def is_total(pos: Position) -> bool:
        return (row_totals and pos[1] == cols) or (col_totals and pos[0] == rows)

    def complement(line: list[Position]) -> Position | None:
        candidates = [pos for pos in line if pos not in out]
        if not candidates:
            return None
        return min(
            candidates,
            key=lambda p: (p in keep, is_total(p), grid[p[0]][p[1]] == 0, grid[p[0]][p[1]], p),
        )

    while True:
        single = next(
            (line for line in lines if sum(pos in out for pos in line) == 1 and len(line) > 1),
            None,
        )
        if single is not None:
            out.add(complement(single))
            continue
        loose = recoverable(lines, out)
        if not loose:
            return grid, out
        pos = min(loose)
        picked = None
        for line in lines:
            if pos in line and (picked := complement(line)) is not None:
                break
        if picked is None:
            shown = [
                (r, c) for r in range(len(grid)) for c in range(len(grid[r])) if (r, c) not in out
            ]
            picked = min(shown, key=lambda p: (is_total(p), grid[p[0]][p[1]], p))
        out.add(picked)


# --- The facts of a case -------------------------------------------------------------------

Key = tuple[dt.date, int, int, str, str]  # month, region id, guide id, dimension, value


@dataclass(frozen=True)
class CaseFacts:
    month: dt.date
    region_id: int
    guide_id: int
    facts: tuple[tuple[str, str], ...]


def _month(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def case_facts(cases) -> list[CaseFacts]:
    """What each case counts for, whatever the number of cases in three queries: the month it
    started (Dutch time), its team's region, its guide; started; honour signals yes or no;
    the newest consultation's outcome (or none); the routes and material of the steps marked
    done; the parents' languages (the handout's)."""
    newest = Consultation.objects.filter(case=OuterRef("pk")).order_by("-seq").values("outcome")[:1]
    rows = list(
        cases.order_by()
        .annotate(outcome=Subquery(newest))
        .values(
            "pk",
            "created_at",
            "team__region_id",
            "guide_version_id",
            "guide_version__guide_id",
            "honour_flagged",
            "parent_languages",
            "outcome",
        )
    )
    ids = [row["pk"] for row in rows]
    done: dict[int, set[str]] = {}
    for case_id, key in StepProgress.objects.filter(
        case_id__in=ids, status=StepStatus.DONE
    ).values_list("case_id", "step_key"):
        done.setdefault(case_id, set()).add(key)
    steps = {}
    if done:
        versions = {row["guide_version_id"] for row in rows if row["pk"] in done}
        for version_id, snapshot in GuideVersion.objects.filter(pk__in=versions).values_list(
            "pk", "snapshot"
        ):
            steps[version_id] = {step["key"]: step for step in snapshot.get("steps", [])}
    result = []
    for row in rows:
        facts = [
            (FigureDimension.STARTED, ""),
            (FigureDimension.HONOUR, "ja" if row["honour_flagged"] else "nee"),
            (FigureDimension.OUTCOME, row["outcome"] or NO_CONSULTATION),
        ]
        routes, material = set(), set()
        for key in done.get(row["pk"], ()):
            spec = steps.get(row["guide_version_id"], {}).get(key, {})
            routes.update(spec.get("routes", []))
            material.update(spec.get("resources", []))
        facts += [(FigureDimension.ROUTE, slug) for slug in sorted(routes)]
        facts += [(FigureDimension.MATERIAL, slug) for slug in sorted(material)]
        facts += [
            (FigureDimension.LANGUAGE, code)
            for code in dict.fromkeys(row["parent_languages"] or [])
        ]
        result.append(
            CaseFacts(
                month=_month(row["created_at"]),
                region_id=row["team__region_id"],
                guide_id=row["guide_version__guide_id"],
                facts=tuple((str(d), v) for d, v in facts),
            )
        )
    return result


def tally(facts: Iterable[CaseFacts]) -> Counter:
    counts: Counter = Counter()
    for item in facts:
        for dimension, value in item.facts:
            counts[(item.month, item.region_id, item.guide_id, dimension, value)] += 1
    return counts


# --- The page's figures --------------------------------------------------------------------


def statistics_scope(*, user, region_id: int | None) -> int | None:
    """Which region's figures this user may see: a Coördinator their own region's only
    (whatever they ask), a Beheerder all regions together (None), never one region: with
    both views one person could subtract a region from the whole and recover a count hidden
    in another region's view (suppression holds within one table, not across views).
    Anyone else: refused."""
    if user.role == Role.BEHEERDER:
        return None
    if user.role == Role.COORDINATOR and user.region is not None:
        return user.region.pk
    raise PermissionDenied


@dataclass
class Figure:
    value: int
    shown: bool
    share: str = ""


@dataclass
class FigureRow:
    label: str
    cells: list[Figure]


@dataclass
class FigureTable:
    key: str
    title: str
    columns: list[str]
    rows: list[FigureRow]
    totals: FigureRow | None = None
    note: str = ""


@dataclass
class Statistics:
    year: int
    region: Region | None
    threshold: int
    tables: list[FigureTable] = field(default_factory=list)


def _counts(*, year: int, region_id: int | None) -> Counter:
    """Live cases' facts plus the purged ones' (CaseFigure), for one year and region or all."""
    cases = Case.objects.filter(
        created_at__gte=timezone.make_aware(dt.datetime(year, 1, 1)),
        created_at__lt=timezone.make_aware(dt.datetime(year + 1, 1, 1)),
    )
    figures = CaseFigure.objects.filter(month__year=year)
    if region_id is not None:
        cases = cases.filter(team__region_id=region_id)
        figures = figures.filter(region_id=region_id)
    counts = tally(case_facts(cases))
    for row in figures.values_list("month", "region_id", "guide_id", "dimension", "value", "count"):
        counts[row[:5]] += row[5]
    return counts


def _month_label(month: int) -> str:
    return dt.date(2000, month, 1).strftime("%m")


def statistics_for(*, user, year: int, region_id: int | None = None) -> Statistics:
    """The figures this user may see for one calendar year, suppressed (see the module)."""
    region_id = statistics_scope(user=user, region_id=region_id)
    threshold = settings.STATISTICS_MIN_COUNT
    counts = _counts(year=year, region_id=region_id)
    by_dimension: dict[str, Counter] = {}
    started: Counter = Counter()
    for (month, _region, guide_id, dimension, value), n in counts.items():
        by_dimension.setdefault(dimension, Counter())[value] += n
        if dimension == FigureDimension.STARTED:
            started[(month.month, guide_id)] += n
    guides = {
        guide.pk: guide
        for guide in Guide.objects.filter(pk__in={g for _m, g in started}).order_by("title")
    }
    guide_ids = list(guides)
    stats = Statistics(
        year=year,
        region=Region.objects.filter(pk=region_id).first() if region_id else None,
        threshold=threshold,
    )
    # Cases started per month and guide, with totals.
    months = range(1, 13)
    cells = [[started[(m, g)] for g in guide_ids] for m in months]
    grand_hidden = False
    if guide_ids:
        grid, out = suppress(cells, threshold=threshold)
        cols = len(guide_ids)
        grand_hidden = (12, cols) in out

        def row(r):
            return [Figure(grid[r][c], (r, c) not in out) for c in range(cols + 1)]

        stats.tables.append(
            FigureTable(
                key="started",
                title=_("Gestarte casussen per maand en leidraad"),
                columns=[str(guides[g]) for g in guide_ids] + [_("Totaal")],
                rows=[FigureRow(dt.date(year, m, 1).strftime("%Y-%m"), row(m - 1)) for m in months],
                totals=FigureRow(_("Totaal"), row(12)),
            )
        )
    else:
        grand_hidden = True
    # Single-valued facts: their sum is the number of cases, the grand total above.
    single = (
        (
            FigureDimension.HONOUR,
            _("Signalen van eergerelateerd geweld"),
            [("ja", _("Ja")), ("nee", _("Nee"))],
        ),
        (
            FigureDimension.OUTCOME,
            _("Uitkomst van de nieuwste consultatie"),
            [*ConsultationOutcome.choices, (NO_CONSULTATION, _("Geen consultatie"))],
        ),
    )
    for dimension, title, values in single:
        if not guide_ids:
            break
        counted = by_dimension.get(dimension, Counter())
        cells = [[counted[value]] for value, _label in values]
        total_pos = (len(values), 0)
        grid, out = suppress(
            cells,
            threshold=threshold,
            row_totals=False,
            hidden=[total_pos] if grand_hidden else [],
            keep=[] if grand_hidden else [total_pos],
        )
        total = grid[-1][0]
        rows = []
        for r, (_value, label) in enumerate(values):
            figure = Figure(grid[r][0], (r, 0) not in out)
            if figure.shown and not grand_hidden and total:
                figure.share = f"{round(100 * figure.value / total)} %"
            rows.append(FigureRow(str(label), [figure]))
        stats.tables.append(
            FigureTable(
                key=str(dimension),
                title=title,
                columns=[_("Casussen"), _("Aandeel")],
                rows=rows,
                totals=FigureRow(_("Totaal"), [Figure(total, not grand_hidden)]),
            )
        )
    # Several values per case: no total to subtract from, only the small counts go.
    routes = {
        route.slug: str(route)
        for route in ReferralRoute.objects.filter(
            slug__in=by_dimension.get(FigureDimension.ROUTE, {}).keys()
        ).select_related("organisation")
    }
    material = dict(
        Resource.objects.filter(
            slug__in=by_dimension.get(FigureDimension.MATERIAL, {}).keys()
        ).values_list("slug", "title")
    )
    languages = {code: str(name) for code, name in PARENT_LANGUAGES}
    several = (
        (FigureDimension.ROUTE, _("Verwijsroutes van afgeronde stappen"), routes),
        (FigureDimension.MATERIAL, _("Materiaal van afgeronde stappen"), material),
        (FigureDimension.LANGUAGE, _("Talen van de folder voor ouders"), languages),
    )
    for dimension, title, labels in several:
        counted = by_dimension.get(dimension, Counter())
        rows = [
            FigureRow(labels.get(value, value), [Figure(n, not 0 < n < threshold)])
            for value, n in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
        ]
        stats.tables.append(
            FigureTable(
                key=str(dimension),
                title=title,
                columns=[_("Casussen")],
                rows=rows,
                note=_("Een casus kan bij meer dan één regel meetellen."),
            )
        )
    return stats


def statistics_years() -> list[int]:
    """The years the filter offers: this one and the four before."""
    this = timezone.localdate().year
    return list(range(this, this - 5, -1))
