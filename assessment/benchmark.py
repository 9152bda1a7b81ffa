"""Peer benchmarks. The peer rule lives here, in `peer_assessments`, and nowhere else.

Peers are read from the frozen `approved_scores` of approved assessments with ONE query per
cycle and questionnaire version (the "peer table"), cached under `cache_key(...)`, which holds
the generation of the peer data (`PeerDataVersion`, a database row); the workflow calls
`invalidate` in the transaction of every submit, return and approve. The computed `Benchmark`
holds only counts and statistics: no authority is ever named, and a group (or an Action within
a group) with fewer than `MIN_PEERS` peers carries no statistics at all.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessment import scoring
from assessment.models import Assessment, PeerDataVersion
from assessment.scores import FrozenScores
from partnership.countries import country_name
from partnership.models import PopulationBand

# Statistics are rounded like the scores they summarise (one decimal), so the JSON is stable.
STAT_DECIMALS = 1
# Invalidation is explicit; the timeout only bounds staleness from edits outside the workflow
# (an authority's population or country changed in the admin).
PEER_TABLE_TIMEOUT = 60 * 60
# Fewer peers than this and a group shows no statistics at all (privacy first).
MIN_PEERS = 5

ALL = "all"
POPULATION_BAND = "population_band"
COUNTRY = "country"
GROUP_KEYS = (ALL, POPULATION_BAND, COUNTRY)


def suppressed_message() -> str:
    """What a group or Action too small to compare shows instead of statistics."""
    return gettext("not enough peers to compare (n < %(min)d)") % {"min": MIN_PEERS}


def peer_assessments(
    *, cycle: int, version: str, approved_before: datetime | None = None
) -> QuerySet[Assessment]:
    """Assessments that count as peers: approved, same cycle and questionnaire version.

    One per authority is guaranteed by the (authority, cycle) unique constraint.
    `approved_before` keeps only approvals before that instant (the open data's cut-off).
    """
    peers = Assessment.objects.filter(
        cycle=cycle, questionnaire__version=version, status=Assessment.Status.APPROVED
    )
    if approved_before is not None:
        peers = peers.filter(approved_at__lt=approved_before)
    return peers


def generation(*, cycle: int, version: str) -> int:
    """The peer data's current generation (one query on the database, never the cache)."""
    value = (
        PeerDataVersion.objects.filter(cycle=cycle, questionnaire_version=version)
        .values_list("generation", flat=True)
        .first()
    )
    return value or 0


def generation_of_each_assessment() -> Subquery:
    """The peer-data generation of each row's cycle and version, to annotate an assessment
    query with (the report's fingerprint reads it in the query it makes anyway)."""
    return Subquery(
        PeerDataVersion.objects.filter(
            cycle=OuterRef("cycle"), questionnaire_version=OuterRef("questionnaire__version")
        ).values("generation")[:1]
    )


def cache_key(*, cycle: int, version: str) -> str:
    return f"benchmark:{cycle}:{version}:{generation(cycle=cycle, version=version)}"


def invalidate(*, cycle: int, version: str) -> None:
    """Bump the peer data's generation, in the caller's transaction (so it commits with the
    change, and a cache outage cannot lose it). Old peer tables are never read again."""
    now = timezone.now()
    changed = {"generation": F("generation") + 1, "changed_at": now}
    with transaction.atomic():
        rows = PeerDataVersion.objects.filter(cycle=cycle, questionnaire_version=version)
        if rows.update(**changed):
            return
        try:
            with transaction.atomic():
                PeerDataVersion.objects.create(
                    cycle=cycle, questionnaire_version=version, generation=2, changed_at=now
                )
        except IntegrityError:  # created by a concurrent change meanwhile
            rows.update(**changed)


@dataclass(frozen=True)
class PeerRow:
    """One peer's frozen scores. Internal: the authority id only serves to exclude oneself."""

    authority_id: int
    country: str
    band: str  # PopulationBand value, derived once when the table is read
    overall: float | None
    actions: tuple[float | None, ...]  # Actions 1..6 in order


def _row(authority_id: int, country: str, population: int, frozen: object) -> PeerRow:
    scores = FrozenScores.from_dict(frozen)
    return PeerRow(
        authority_id=authority_id,
        country=country,
        band=PopulationBand.for_population(population).value,
        overall=scores.overall,
        actions=tuple(a.score for a in scores.actions),
    )


def peer_table(
    *, cycle: int, version: str, approved_before: datetime | None = None
) -> tuple[PeerRow, ...]:
    """Every peer of a cycle and version with its frozen scores: one query, then cached.
    `approved_before` as for `peer_assessments`."""
    key = cache_key(cycle=cycle, version=version)
    if approved_before is not None:
        key = f"{key}:before:{approved_before.isoformat()}"
    table: tuple[PeerRow, ...] | None = cache.get(key)
    if table is None:
        peers = peer_assessments(cycle=cycle, version=version, approved_before=approved_before)
        rows = peers.order_by("authority_id")
        table = tuple(
            _row(*values)
            for values in rows.values_list(
                "authority_id", "authority__country", "authority__population", "approved_scores"
            )
        )
        cache.set(key, table, timeout=PEER_TABLE_TIMEOUT)
    return table


@dataclass(frozen=True)
class Stats:
    """Peer statistics for one score (an Action or the overall index) within one group.

    `n` counts the peers that have that score. When `suppressed`, every statistic is None.
    `percentile` is None also when the authority itself has no score.
    """

    n: int
    suppressed: bool
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    percentile: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "suppressed": self.suppressed,
            "q1": self.q1,
            "median": self.median,
            "q3": self.q3,
            "percentile": self.percentile,
        }


@dataclass(frozen=True)
class PeerGroup:
    """One comparison group: all authorities, the same population band or the same country."""

    key: str
    value: str  # "" for all authorities, the band code, or the ISO country code
    n: int
    overall: Stats
    actions: Mapping[int, Stats] = field(default_factory=dict)

    @property
    def suppressed(self) -> bool:
        return self.n < MIN_PEERS

    @property
    def label(self) -> str:
        if self.key == POPULATION_BAND:
            return str(_("Population %(band)s") % {"band": PopulationBand(self.value).label})
        if self.key == COUNTRY:
            return str(_("Same country (%(country)s)") % {"country": country_name(self.value)})
        return str(_("All authorities"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.key,
            "value": self.value,
            "n": self.n,
            "suppressed": self.suppressed,
            "overall": self.overall.to_dict(),
            "actions": {str(n): self.actions[n].to_dict() for n in sorted(self.actions)},
        }


@dataclass(frozen=True)
class Benchmark:
    cycle: int
    questionnaire_version: str
    groups: tuple[PeerGroup, ...]

    def group(self, key: str) -> PeerGroup:
        return next(g for g in self.groups if g.key == key)

    def to_dict(self) -> dict[str, Any]:
        return {group.key: group.to_dict() for group in self.groups}


def _round(value: float) -> float:
    return round(value, STAT_DECIMALS)


def stats_for(own: float | None, peers: list[float]) -> Stats:
    """Quartiles and percentile rank of `own` among `peers`, or a suppressed entry."""
    if len(peers) < MIN_PEERS:
        return Stats(n=len(peers), suppressed=True)
    q1, median, q3 = quartiles(peers)
    percentile = None if own is None else _round(percentile_rank(own, peers))
    return Stats(
        n=len(peers),
        suppressed=False,
        q1=_round(q1),
        median=_round(median),
        q3=_round(q3),
        percentile=percentile,
    )


def _group(
    key: str,
    value: str,
    rows: list[PeerRow],
    own: Mapping[int, float | None],
    own_overall: float | None,
) -> PeerGroup:
    columns = list(zip(*(r.actions for r in rows), strict=True)) or [()] * len(scoring.ACTIONS)
    actions = {
        n: stats_for(own.get(n), [v for v in columns[i] if v is not None])
        for i, n in enumerate(scoring.ACTIONS)
    }
    overall = stats_for(own_overall, [r.overall for r in rows if r.overall is not None])
    return PeerGroup(key=key, value=value, n=len(rows), overall=overall, actions=actions)


def benchmark_for(*, assessment: Assessment, scores: FrozenScores) -> Benchmark:
    """Compare `scores` (rounded like the peers' frozen scores, see `FrozenScores.of`) with
    the peers of `assessment` in each group; the assessment's own authority is never a peer.

    Reads `assessment.authority` and `assessment.questionnaire` (select them with the
    assessment) and at most one query for the peer table.
    """
    authority = assessment.authority
    version = assessment.questionnaire.version
    table = peer_table(cycle=assessment.cycle, version=version)
    peers = [row for row in table if row.authority_id != authority.pk]
    band = PopulationBand.for_population(authority.population).value
    per_action, overall = scores.action_scores(), scores.overall
    members = {
        ALL: ("", peers),
        POPULATION_BAND: (band, [r for r in peers if r.band == band]),
        COUNTRY: (authority.country, [r for r in peers if r.country == authority.country]),
    }
    return Benchmark(
        cycle=assessment.cycle,
        questionnaire_version=version,
        groups=tuple(
            _group(key, members[key][0], members[key][1], per_action, overall) for key in GROUP_KEYS
        ),
    )


# --- Peer statistics (pure) ------------------------------------------------------------


def _finite_values(values: Sequence[float], what: str) -> list[float]:
    result = [scoring.finite_float(v, what) for v in values]
    if not result:
        raise ValueError(f"{what}: need at least one value")
    return result


def _quantile(ordered: Sequence[float], p: float) -> float:
    """Inclusive linear interpolation (numpy's default, Excel QUARTILE.INC)."""
    position = (len(ordered) - 1) * p
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    fraction = position - lower
    return ordered[lower] + (ordered[upper] - ordered[lower]) * fraction


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """(q1, median, q3) by the inclusive linear-interpolation method.

    Works for any non-empty input; showing statistics only from
    `MIN_PEERS` peers on is the caller's job. Raises ValueError when empty.
    """
    ordered = sorted(_finite_values(values, "quartiles"))
    return (_quantile(ordered, 0.25), _quantile(ordered, 0.5), _quantile(ordered, 0.75))


def percentile_rank(value: float, peers: Sequence[float]) -> float:
    """100 x (share of peers below ``value`` + half the share equal to it).

    Equality is exact; raises ValueError when ``peers`` is empty.
    """
    v = scoring.finite_float(value, "percentile_rank value")
    scores = _finite_values(peers, "percentile_rank peers")
    below = sum(1 for p in scores if p < v)
    equal = sum(1 for p in scores if p == v)
    return 100.0 * (below + 0.5 * equal) / len(scores)
