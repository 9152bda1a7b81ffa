"""Everything the results page, its JSON and the PDF report show for one assessment.

`results_for(assessment)` gathers the scorecard, the peer benchmark, the previous cycle and the
answers that explain each score in a constant number of queries (whatever the number of peers);
`results_json(results)` turns it into a JSON-ready dict whose key order is fixed, so the same
results always serialise to the same bytes.

Scores: an approved assessment shows its frozen `approved_scores` (what the coordinator approved
and what peers are compared with); any other shows the live score of its current answers.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from actions.models import Action
from assessment import benchmark as benchmarks
from assessment import scoring
from assessment.models import Answer, AnswerType, Assessment, Item
from assessment.scorecards import answer_value, item_spec, scorecard_for

STRENGTHS_LIMIT = 3
IMPROVEMENTS_LIMIT = 3

BAND_LABELS = {
    scoring.Band.INITIAL: _("Initial"),
    scoring.Band.DEVELOPING: _("Developing"),
    scoring.Band.ESTABLISHED: _("Established"),
    scoring.Band.ADVANCED: _("Advanced"),
}


def band_label(band: scoring.Band | None) -> str:
    return str(BAND_LABELS[band]) if band is not None else str(_("no score"))


def band_ladder() -> list[tuple[scoring.BandRange, str]]:
    """The scoring engine's bands with their labels, for the legends that explain them."""
    return [(rung, band_label(rung.band)) for rung in scoring.band_ladder()]


@dataclass(frozen=True)
class ItemLine:
    """One answer behind a score: what was answered and what it earned towards the Action."""

    code: str
    question: str
    answer: str
    points: int | None
    weight: float
    not_applicable: bool
    answered: bool

    @property
    def counts(self) -> bool:
        """True when it entered the score (answered and applicable)."""
        return self.points is not None


@dataclass(frozen=True)
class Advice:
    """A strength or an improvement item, with the questionnaire's guidance."""

    code: str
    question: str
    guidance: str
    points: int | None
    weight: float
    home_action: int  # the Action whose section asks the question


@dataclass(frozen=True)
class PeerComparison:
    """One peer group's statistics for one score (privacy: counts and statistics only)."""

    group: str
    label: str
    stats: benchmarks.Stats

    @property
    def suppressed(self) -> bool:
        return self.stats.suppressed


@dataclass(frozen=True)
class ActionResult:
    number: int
    title: str
    short_title: str
    score: float | None
    band: scoring.Band | None
    coverage: float
    peers: tuple[PeerComparison, ...]
    previous_score: float | None
    change: float | None
    explanation: tuple[ItemLine, ...]
    strengths: tuple[Advice, ...]
    improvements: tuple[Advice, ...]

    @property
    def band_label(self) -> str:
        return band_label(self.band)

    @property
    def coverage_percent(self) -> int:
        return round(100 * self.coverage)

    @property
    def earned(self) -> float:
        """Sum of weight x points over the answers that count (the formula's numerator)."""
        return sum(line.weight * line.points for line in self.explanation if line.counts)

    @property
    def possible(self) -> float:
        """Sum of weight x 4 over the same answers (the denominator)."""
        return sum(line.weight * scoring.MAX_POINTS for line in self.explanation if line.counts)

    @property
    def peer_median(self) -> float | None:
        """Median of all authorities (None when suppressed): the radar's reference line."""
        return self.peers[0].stats.median if self.peers else None


@dataclass(frozen=True)
class PreviousCycle:
    cycle: int
    status: str
    questionnaire_version: str
    overall: float | None
    frozen: bool  # True when read from the approved scores


@dataclass(frozen=True)
class Results:
    assessment: Assessment
    authority_name: str
    cycle: int
    status: str
    status_label: str
    submitted_at: datetime | None
    approved_at: datetime | None
    questionnaire_version: str
    scoring_version: str
    frozen: bool
    overall: float | None
    overall_band: scoring.Band | None
    overall_peers: tuple[PeerComparison, ...]
    overall_change: float | None
    actions: tuple[ActionResult, ...]
    benchmark: benchmarks.Benchmark
    previous: PreviousCycle | None

    @property
    def provisional(self) -> bool:
        return self.status in (Assessment.Status.DRAFT, Assessment.Status.RETURNED)

    @property
    def approved(self) -> bool:
        return self.status == Assessment.Status.APPROVED

    @property
    def overall_band_label(self) -> str:
        return band_label(self.overall_band)

    @property
    def peer_groups(self) -> tuple[benchmarks.PeerGroup, ...]:
        return self.benchmark.groups


def _band(value) -> scoring.Band | None:
    return scoring.Band(value) if value else None


def _change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    return round(now - before, 1)


def _format_number(value: Decimal) -> str:
    """40.00 -> "40", 12.50 -> "12.5"."""
    return f"{Decimal(value).normalize():f}"


def answer_text(item: Item, answer: Answer | None) -> str:
    """The answer as a person would read it."""
    if answer is None or not answer.is_complete:
        return str(_("Not answered"))
    if answer.not_applicable:
        return str(_("Not applicable"))
    if item.answer_type == AnswerType.MATURITY and answer.level is not None:
        text = str(_("Level %(level)d of 4") % {"level": answer.level})
        levels = item.levels or []
        if 0 <= answer.level < len(levels):
            text = f"{text}: {levels[answer.level]}"
        return text
    if item.answer_type == AnswerType.YES_NO and answer.yes is not None:
        return str(_("Yes")) if answer.yes else str(_("No"))
    if answer.number is not None:
        number = _format_number(answer.number)
        return f"{number} {item.unit}".strip()
    return str(_("Not answered"))


def _previous(assessment: Assessment) -> tuple[PreviousCycle | None, Mapping]:
    """The authority's latest earlier assessment and its scores (frozen if approved)."""
    before = (
        Assessment.objects.filter(authority_id=assessment.authority_id, cycle__lt=assessment.cycle)
        .select_related("questionnaire")
        .order_by("-cycle")
        .first()
    )
    if before is None:
        return None, {}
    frozen = before.status == Assessment.Status.APPROVED and bool(before.approved_scores)
    scores = before.approved_scores if frozen else scorecard_for(before).to_dict()
    previous = PreviousCycle(
        cycle=before.cycle,
        status=before.status,
        questionnaire_version=before.questionnaire.version,
        overall=benchmarks.own_scores(scores)[1],
        frozen=frozen,
    )
    return previous, scores


def _comparisons(stats: Mapping[str, benchmarks.Stats], groups) -> tuple[PeerComparison, ...]:
    return tuple(
        PeerComparison(group=group.key, label=group.label, stats=stats[group.key])
        for group in groups
    )


def results_for(assessment: Assessment) -> Results:
    """Build the results of `assessment` (select `authority` and `questionnaire` with it).

    Queries: items, answers, Actions, the previous cycle (+ its answers and, when not cached,
    its questionnaire spec, when it is not approved) and the peer table when not cached. None
    depends on the number of peers.
    """
    questionnaire = assessment.questionnaire
    items = list(Item.objects.filter(questionnaire=questionnaire).order_by("position"))
    spec = scoring.QuestionnaireSpec(
        version=questionnaire.version, items=tuple(item_spec(item) for item in items)
    )
    items_by_id = {item.pk: item for item in items}
    items_by_code = {item.code: item for item in items}
    answers = {a.item_id: a for a in Answer.objects.filter(assessment=assessment)}
    answers_by_code = {
        items_by_id[item_id].code: answer
        for item_id, answer in answers.items()
        if item_id in items_by_id
    }
    engine_answers = {code: answer_value(a) for code, a in answers_by_code.items()}
    scorecard = scoring.score(spec, engine_answers)

    frozen = assessment.status == Assessment.Status.APPROVED and bool(assessment.approved_scores)
    scores = assessment.approved_scores if frozen else scorecard.to_dict()
    bench = benchmarks.benchmark_for(assessment=assessment, scores=scores)
    previous, previous_scores = _previous(assessment)
    previous_actions, _previous_overall = benchmarks.own_scores(previous_scores)
    own_actions, overall = benchmarks.own_scores(scores)
    titles = {a.number: a for a in Action.objects.order_by("number")}

    spec_items = {item.code: item for item in spec.items}

    def advice(codes: list[str], action: int) -> tuple[Advice, ...]:
        return tuple(
            Advice(
                code=code,
                question=items_by_code[code].question,
                guidance=items_by_code[code].guidance,
                points=scoring.points_for(
                    spec_items[code], engine_answers.get(code, scoring.Answer())
                ),
                weight=spec_items[code].weight_for(action),
                home_action=spec_items[code].action,
            )
            for code in codes
        )

    frozen_actions = scores.get("actions") or {}
    action_results = []
    for number in scoring.ACTIONS:
        computed = scorecard.actions[number]
        shown = frozen_actions.get(str(number)) or {}
        explanation = tuple(
            ItemLine(
                code=c.code,
                question=items_by_code[c.code].question,
                answer=answer_text(items_by_code[c.code], answers_by_code.get(c.code)),
                points=c.points,
                weight=c.weight,
                not_applicable=c.not_applicable,
                answered=c.answered,
            )
            for c in computed.contributions
        )
        action = titles.get(number)
        action_results.append(ActionResult(
            number=number,
            title=action.final_title if action else str(number),
            short_title=action.short_title if action else str(number),
            score=own_actions[number],
            band=_band(shown.get("band")),
            coverage=float(shown.get("coverage") or 0.0),
            peers=_comparisons({g.key: g.actions[number] for g in bench.groups}, bench.groups),
            previous_score=previous_actions.get(number),
            change=_change(own_actions[number], previous_actions.get(number)),
            explanation=explanation,
            strengths=advice(scoring.strengths(spec, engine_answers, number,
                                               limit=STRENGTHS_LIMIT), number),
            improvements=advice(scoring.improvement_priorities(
                spec, engine_answers, number, limit=IMPROVEMENTS_LIMIT), number),
        ))

    return Results(
        assessment=assessment,
        authority_name=assessment.authority.name,
        cycle=assessment.cycle,
        status=assessment.status,
        status_label=str(assessment.get_status_display()),
        submitted_at=assessment.submitted_at,
        approved_at=assessment.approved_at,
        questionnaire_version=scores.get("questionnaire_version") or questionnaire.version,
        scoring_version=scores.get("scoring_version") or scoring.SCORING_VERSION,
        frozen=frozen,
        overall=overall,
        overall_band=_band(scores.get("overall_band")),
        overall_peers=_comparisons({g.key: g.overall for g in bench.groups}, bench.groups),
        overall_change=_change(overall, previous.overall if previous else None),
        actions=tuple(action_results),
        benchmark=bench,
        previous=previous,
    )


def _stats_json(stats: benchmarks.Stats) -> dict:
    """Statistics of one group; below the minimum only the fact that it is suppressed.

    The exact number of peers is withheld too when it is below the minimum (privacy first).
    """
    if stats.suppressed:
        return {
            "n": None,
            "suppressed": True,
            "reason": benchmarks.suppressed_message(),
            "q1": None,
            "median": None,
            "q3": None,
            "percentile": None,
        }
    return {
        "n": stats.n,
        "suppressed": False,
        "reason": None,
        "q1": stats.q1,
        "median": stats.median,
        "q3": stats.q3,
        "percentile": stats.percentile,
    }


def _peers_json(peers: tuple[PeerComparison, ...]) -> dict:
    return {peer.group: _stats_json(peer.stats) for peer in peers}


def results_json(results: Results) -> dict:
    """The results as plain JSON data, keys in a fixed order (it is embedded and hashed)."""
    previous = results.previous
    return {
        "assessment": results.assessment.pk,
        "authority": results.authority_name,
        "cycle": results.cycle,
        "status": results.status,
        "provisional": results.provisional,
        "questionnaire_version": results.questionnaire_version,
        "scoring_version": results.scoring_version,
        "min_peers": scoring.MIN_PEERS,
        "peer_groups": [
            {
                "group": group.key,
                "value": group.value,
                "n": None if group.suppressed else group.n,
                "suppressed": group.suppressed,
            }
            for group in results.peer_groups
        ],
        "overall": {
            "score": results.overall,
            "band": results.overall_band.value if results.overall_band else None,
            "change": results.overall_change,
            "benchmarks": _peers_json(results.overall_peers),
        },
        "actions": [
            {
                "action": action.number,
                "title": action.title,
                "score": action.score,
                "band": action.band.value if action.band else None,
                "coverage": round(action.coverage, 3),
                "previous_score": action.previous_score,
                "change": action.change,
                "benchmarks": _peers_json(action.peers),
                "strengths": [a.code for a in action.strengths],
                "improvements": [a.code for a in action.improvements],
                "items": [
                    {
                        "code": line.code,
                        "points": line.points,
                        "weight": line.weight,
                        "not_applicable": line.not_applicable,
                        "answered": line.answered,
                    }
                    for line in action.explanation
                ],
            }
            for action in results.actions
        ],
        "previous_cycle": None if previous is None else {
            "cycle": previous.cycle,
            "status": previous.status,
            "questionnaire_version": previous.questionnaire_version,
            "overall": previous.overall,
        },
    }
