"""The field in figures: anonymised aggregates of approved assessments, per cycle and version.

Everything here is read from the scores frozen at approval, through `approved_rows`: the peer
table of `assessment.benchmark` (one query per cycle and questionnaire version, shared with the
peer benchmarks), whose rows are parsed by `assessment.scores.FrozenScores.from_dict`; nothing
here reads a frozen score dict by hand. Every figure is passed through
`disclosure.protect` before anything is published: the headcount table first, then each score
(the overall index and Actions 1-6) with the headcount's withheld cells kept withheld. Results
are cached under the approval generation (`assessment.approval_generation`), which an
approval bumps once it has committed.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Min
from django.utils import timezone

from assessment import approval_generation, benchmark, scoring
from assessment.models import Answer, Assessment
from assessment.questionnaire.spec import questionnaire_spec
from partnership.models import PopulationBand
from portal.opendata import disclosure, publication

ALL, COUNTRY, POPULATION_BAND = "all", "country", "population_band"
OVERALL = "overall"
MEASURES = (OVERALL, *(f"action_{n}" for n in scoring.ACTIONS))
BANDS = tuple(band.value for band in scoring.Band)
LEVELS = tuple(range(scoring.MAX_POINTS + 1))
DECIMALS = 1
CACHE_TIMEOUT = 60 * 60  # bounds staleness from edits outside the workflow (the admin)


def approved_rows(*, cycle: int, version: str) -> tuple[benchmark.PeerRow, ...]:
    """Every assessment of a cycle and version approved before the cycle's cut-off
    (`publication`), with its frozen scores (one query, cached and invalidated with the peer
    benchmarks). The only read of scores here."""
    return benchmark.peer_table(
        cycle=cycle, version=version, approved_before=publication.cutoff(cycle)
    )


def _cached(name: str, compute, timeout: int = CACHE_TIMEOUT):
    key = f"opendata:{approval_generation.current()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value


# --- Datasets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """One cycle and questionnaire version with at least one approved assessment."""

    cycle: int
    questionnaire_version: str


def datasets() -> tuple[Dataset, ...]:
    """The published datasets, newest cycle first (one query, cached): cycles past their
    cut-off with at least one approval made before it (`publication`)."""

    def compute():
        first_approvals = (
            Assessment.objects.filter(status=Assessment.Status.APPROVED)
            .values_list("cycle", "questionnaire__version")
            .annotate(first=Min("approved_at"))
            .order_by()
        )
        pairs = {
            (cycle, version)
            for cycle, version, first in first_approvals
            if publication.is_published(cycle) and first < publication.cutoff(cycle)
        }
        return tuple(Dataset(c, v) for c, v in sorted(pairs, key=lambda p: (-p[0], p[1])))

    return _cached(f"datasets:{publication.grace_months()}:{_published_cycles_key()}", compute)


def _published_cycles_key() -> int:
    """Changes when a cut-off passes, so that cached lists never outlive it."""
    latest_closed = timezone.now().year - 1
    return latest_closed if publication.is_published(latest_closed) else latest_closed - 1


def find_dataset(cycle: int, version: str) -> Dataset | None:
    return next(
        (d for d in datasets() if d.cycle == cycle and d.questionnaire_version == version), None
    )


def latest_dataset() -> Dataset | None:
    found = datasets()
    return found[0] if found else None


# --- Aggregates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """One score in one group. When `suppressed`, every figure is None."""

    measure: str
    suppressed: bool
    n: int | None = None
    mean: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    bands: Mapping[str, int] | None = None  # authorities per maturity band

    @property
    def has_figures(self) -> bool:
        return not self.suppressed and bool(self.n)


@dataclass(frozen=True)
class GroupFigures:
    group: str  # ALL, COUNTRY or POPULATION_BAND
    value: str  # "" for all, the ISO code or the band code
    suppressed: bool
    authorities: int | None
    summaries: tuple[Summary, ...]

    def summary(self, measure: str) -> Summary:
        return next(s for s in self.summaries if s.measure == measure)


@dataclass(frozen=True)
class Change:
    """Change of one score between the previous cycle and this one, for the authorities
    approved in both (the panel)."""

    measure: str
    suppressed: bool
    n: int | None = None
    mean_change: float | None = None
    median_change: float | None = None


@dataclass(frozen=True)
class FieldFigures:
    cycle: int
    questionnaire_version: str
    previous_cycle: int | None
    groups: tuple[GroupFigures, ...]
    changes: tuple[Change, ...]

    def group(self, group: str, value: str = "") -> GroupFigures | None:
        return next((g for g in self.groups if g.group == group and g.value == value), None)

    @property
    def overall(self) -> GroupFigures:
        return self.groups[0]

    def of(self, group: str) -> list[GroupFigures]:
        return [g for g in self.groups if g.group == group]


def _round(value: float) -> float:
    return round(value, DECIMALS)


def measure_value(row: benchmark.PeerRow, measure: str) -> float | None:
    if measure == OVERALL:
        return row.overall
    return row.actions[int(measure.removeprefix("action_")) - 1]


def summarise(measure: str, values: list[float]) -> Summary:
    """The published figures of a group large enough to publish."""
    if not values:
        return Summary(measure, suppressed=False, n=0, bands=dict.fromkeys(BANDS, 0))
    q1, median, q3 = benchmark.quartiles(values)
    bands = Counter(band.value for v in values if (band := scoring.band_for(v)) is not None)
    return Summary(
        measure,
        suppressed=False,
        n=len(values),
        mean=_round(statistics.fmean(values)),
        q1=_round(q1),
        median=_round(median),
        q3=_round(q3),
        bands={band: bands.get(band, 0) for band in BANDS},
    )


def _cells(rows: Iterable[benchmark.PeerRow]) -> dict[str, dict[str, int]]:
    rows = list(rows)
    bands = Counter(r.band for r in rows)
    return {
        COUNTRY: dict(Counter(r.country for r in rows)),
        POPULATION_BAND: {band.value: bands.get(band.value, 0) for band in PopulationBand},
    }


def field_figures(
    rows: tuple[benchmark.PeerRow, ...],
    *,
    cycle: int,
    version: str,
    previous: Mapping[int, benchmark.PeerRow] | None = None,
    previous_cycle: int | None = None,
) -> FieldFigures:
    """Publishable aggregates of `rows` (pure: no queries)."""
    headcount = disclosure.protect(len(rows), _cells(rows))
    keys = (
        [(ALL, "")]
        + [(POPULATION_BAND, b.value) for b in PopulationBand]
        + [(COUNTRY, c) for c in sorted({r.country for r in rows})]
    )
    members = {
        key: [
            r
            for r in rows
            if key[0] == ALL
            or getattr(r, "band" if key[0] == POPULATION_BAND else "country") == key[1]
        ]
        for key in keys
    }
    decisions = {}
    for measure in MEASURES:
        scored = [r for r in rows if measure_value(r, measure) is not None]
        decisions[measure] = disclosure.protect(
            len(scored), _cells(scored), forced=headcount.withheld
        )
    groups = []
    for group, value in keys:
        in_group = members[(group, value)]
        published = (
            headcount.total_published if group == ALL else headcount.is_published(group, value)
        )
        summaries = []
        for measure in MEASURES:
            decision = decisions[measure]
            shown = published and (
                decision.total_published if group == ALL else decision.is_published(group, value)
            )
            values = [v for r in in_group if (v := measure_value(r, measure)) is not None]
            summaries.append(
                summarise(measure, values) if shown else Summary(measure, suppressed=True)
            )
        groups.append(
            GroupFigures(
                group,
                value,
                suppressed=not published,
                authorities=len(in_group) if published else None,
                summaries=tuple(summaries),
            )
        )
    changes: tuple[Change, ...] = ()
    if previous is not None and previous_cycle is not None:
        changes = tuple(change(measure, rows, previous) for measure in MEASURES)
    return FieldFigures(
        cycle=cycle,
        questionnaire_version=version,
        previous_cycle=previous_cycle,
        groups=tuple(groups),
        changes=changes,
    )


def change(
    measure: str, rows: Iterable[benchmark.PeerRow], previous: Mapping[int, benchmark.PeerRow]
) -> Change:
    """Mean and median change among the authorities scored on `measure` in both cycles."""
    differences = []
    for row in rows:
        before = previous.get(row.authority_id)
        now = measure_value(row, measure)
        then = None if before is None else measure_value(before, measure)
        if now is not None and then is not None:
            differences.append(now - then)
    if len(differences) < disclosure.MINIMUM_AUTHORITIES:
        return Change(measure, suppressed=True)
    return Change(
        measure,
        suppressed=False,
        n=len(differences),
        mean_change=_round(statistics.fmean(differences)),
        median_change=_round(statistics.median(differences)),
    )


def figures_for(dataset: Dataset) -> FieldFigures:
    """The aggregates of one dataset, with the change since the previous cycle (cached)."""

    def compute():
        earlier = [d for d in datasets() if d.cycle < dataset.cycle]
        previous_cycle = max((d.cycle for d in earlier), default=None)
        previous = None
        if previous_cycle is not None:
            previous = {
                row.authority_id: row
                for d in earlier
                if d.cycle == previous_cycle
                for row in approved_rows(cycle=d.cycle, version=d.questionnaire_version)
            }
        rows = approved_rows(cycle=dataset.cycle, version=dataset.questionnaire_version)
        return field_figures(
            rows,
            cycle=dataset.cycle,
            version=dataset.questionnaire_version,
            previous=previous,
            previous_cycle=previous_cycle,
        )

    return _cached(f"figures:{dataset.cycle}:{dataset.questionnaire_version}", compute)


# --- Items ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemShares:
    """How the approved authorities answered one item: authorities at each level 0-4 (points,
    for yes/no and number items) and N/A. Suppressed when fewer than five answered."""

    code: str
    action: int
    suppressed: bool
    n: int | None = None
    levels: Mapping[int, int] | None = None
    not_applicable: int | None = None

    def share(self, level: int) -> float | None:
        if self.suppressed or not self.n or self.levels is None:
            return None
        return _round(100 * self.levels[level] / self.n)

    @property
    def not_applicable_share(self) -> float | None:
        if self.suppressed or not self.n or self.not_applicable is None:
            return None
        return _round(100 * self.not_applicable / self.n)


def item_shares(dataset: Dataset) -> tuple[ItemShares, ...]:
    """Per item of the dataset's version, in questionnaire order (one query, cached)."""

    def compute():
        assessments = benchmark.peer_assessments(
            cycle=dataset.cycle,
            version=dataset.questionnaire_version,
            approved_before=publication.cutoff(dataset.cycle),
        )
        headcount = assessments.count()
        questionnaire = assessments.first().questionnaire if headcount else None
        if questionnaire is None:
            return ()
        spec = questionnaire_spec(questionnaire)
        counts = (
            Answer.objects.filter(assessment__in=assessments)
            .values_list("item__code", "level", "yes", "number", "not_applicable")
            .annotate(n=Count("pk"))
            .order_by()
        )
        tallies: dict[str, Counter] = {item.code: Counter() for item in spec.items}
        items = {item.code: item for item in spec.items}
        for code, level, yes, number, not_applicable, n in counts:
            if code not in items:
                continue
            answer = scoring.Answer(
                level=level, yes=yes, number=number, not_applicable=not_applicable
            )
            if not answer.is_answered:
                continue
            points = scoring.points_for(items[code], answer)
            tallies[code]["na" if points is None else points] += n
        return tuple(
            _item(item, tallies[item.code], publish=headcount >= disclosure.MINIMUM_AUTHORITIES)
            for item in spec.items
        )

    return _cached(f"items:{dataset.cycle}:{dataset.questionnaire_version}", compute)


def _item(item: scoring.ItemSpec, tally: Counter, *, publish: bool) -> ItemShares:
    n = sum(tally.values())
    if not publish or n < disclosure.MINIMUM_AUTHORITIES:
        return ItemShares(item.code, item.action, suppressed=True)
    return ItemShares(
        item.code,
        item.action,
        suppressed=False,
        n=n,
        levels={level: tally.get(level, 0) for level in LEVELS},
        not_applicable=tally.get("na", 0),
    )
