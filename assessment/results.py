"""Everything the results page, its JSON and the PDF report show for one assessment.

`results_for(assessment)` goes through the data's stages in steps: the answers (`_answered`),
their live scorecard, the scores to show (`scores.scores_to_show`: frozen at approval, else
live), the peer benchmark, the previous cycle, then one `ActionResult` per Action. It runs in
a constant number of queries (whatever the number of peers). `results_json(results)` turns it
into a JSON-ready dict whose key order is fixed, so the same results always serialise to the
same bytes.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from actions.models import Action
from assessment import benchmark as benchmarks
from assessment import plans, scoring
from assessment.models import EDITABLE_STATUSES, Answer, Assessment, Item
from assessment.questionnaire.spec import spec_of_items
from assessment.scores import FrozenScores, answer_value, is_frozen, scores_to_show
from assessment.wording import answer_text, band_label
from portal.content_translations import ShownText

STRENGTHS_LIMIT = 3
IMPROVEMENTS_LIMIT = 3


@dataclass(frozen=True)
class ItemLine:
    """One answer behind a score: what was answered and what it earned towards the Action."""

    code: str
    question: ShownText
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
    question: ShownText
    guidance: ShownText
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
    title: ShownText
    short_title: ShownText
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
    pk: int
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
    plan: plans.PlanOverview

    @property
    def provisional(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def approved(self) -> bool:
        return self.status == Assessment.Status.APPROVED

    @property
    def overall_band_label(self) -> str:
        return band_label(self.overall_band)

    @property
    def peer_groups(self) -> tuple[benchmarks.PeerGroup, ...]:
        return self.benchmark.groups


def _change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    return round(now - before, 1)


def _previous(assessment: Assessment) -> tuple[PreviousCycle | None, FrozenScores]:
    """The authority's latest earlier assessment and the scores its results show."""
    before = (
        Assessment.objects.filter(authority_id=assessment.authority_id, cycle__lt=assessment.cycle)
        .select_related("questionnaire")
        .order_by("-cycle")
        .first()
    )
    if before is None:
        return None, FrozenScores()
    scores = scores_to_show(before)
    previous = PreviousCycle(
        pk=before.pk,
        cycle=before.cycle,
        status=before.status,
        questionnaire_version=before.questionnaire.version,
        overall=scores.overall,
        frozen=is_frozen(before),
    )
    return previous, scores


def _comparisons(stats: Mapping[str, benchmarks.Stats], groups) -> tuple[PeerComparison, ...]:
    return tuple(
        PeerComparison(group=group.key, label=group.label, stats=stats[group.key])
        for group in groups
    )


@dataclass(frozen=True)
class _Answered:
    """An assessment's questionnaire and answers, read once and keyed for the steps below."""

    spec: scoring.QuestionnaireSpec
    items: Mapping[str, Item]  # by code
    answers: Mapping[str, Answer]  # by item code
    engine_answers: Mapping[str, scoring.Answer]

    def advice(self, codes: list[str], action: int) -> tuple[Advice, ...]:
        spec_items = {item.code: item for item in self.spec.items}
        return tuple(
            Advice(
                code=code,
                question=self.items[code].tr.question,
                guidance=self.items[code].tr.guidance,
                points=scoring.points_for(
                    spec_items[code], self.engine_answers.get(code, scoring.Answer())
                ),
                weight=spec_items[code].weight_for(action),
                home_action=spec_items[code].action,
            )
            for code in codes
        )

    def explanation(self, computed: scoring.ActionScore) -> tuple[ItemLine, ...]:
        return tuple(
            ItemLine(
                code=c.code,
                question=self.items[c.code].tr.question,
                answer=answer_text(self.items[c.code], self.answers.get(c.code)),
                points=c.points,
                weight=c.weight,
                not_applicable=c.not_applicable,
                answered=c.answered,
            )
            for c in computed.contributions
        )


def _answered(assessment: Assessment) -> _Answered:
    """Step 1: the questionnaire's items and the assessment's answers (two queries)."""
    items = list(
        Item.objects.filter(questionnaire=assessment.questionnaire)
        .select_related("questionnaire")
        .order_by("position")
    )
    items_by_id = {item.pk: item for item in items}
    answers = {
        items_by_id[a.item_id].code: a
        for a in Answer.objects.filter(assessment=assessment)
        if a.item_id in items_by_id
    }
    return _Answered(
        spec=spec_of_items(assessment.questionnaire, items),
        items={item.code: item for item in items},
        answers=answers,
        engine_answers={code: answer_value(a) for code, a in answers.items()},
    )


def _action_result(
    number: int,
    *,
    action: Action | None,
    answered: _Answered,
    live: scoring.Scorecard,
    shown: FrozenScores,
    previous: FrozenScores,
    bench: benchmarks.Benchmark,
) -> ActionResult:
    """Step 5: one Action's score, peers, change and the answers behind it."""
    score = shown.action(number)
    before = previous.action(number).score
    return ActionResult(
        number=number,
        title=action.tr.final_title if action else ShownText(str(number), "en"),
        short_title=action.tr.short_title if action else ShownText(str(number), "en"),
        score=score.score,
        band=score.band,
        coverage=score.coverage,
        peers=_comparisons({g.key: g.actions[number] for g in bench.groups}, bench.groups),
        previous_score=before,
        change=_change(score.score, before),
        explanation=answered.explanation(live.actions[number]),
        strengths=answered.advice(
            scoring.strengths(
                answered.spec, answered.engine_answers, number, limit=STRENGTHS_LIMIT
            ),
            number,
        ),
        improvements=answered.advice(
            scoring.improvement_priorities(
                answered.spec, answered.engine_answers, number, limit=IMPROVEMENTS_LIMIT
            ),
            number,
        ),
    )


def results_for(
    assessment: Assessment, *, posted_targets: Mapping[str, plans.TargetValues] | None = None
) -> Results:
    """Build the results of `assessment` (select `authority` and `questionnaire` with it).

    Queries: items, answers, Actions, the previous cycle (+ its answers and, when not cached,
    its questionnaire spec, when it is not approved), the peer table when not cached and the
    improvement plan (`plans.plan_overview`; `posted_targets` previews targets not saved).
    None depends on the number of peers or targets.
    """
    answered = _answered(assessment)
    live = scoring.score(answered.spec, answered.engine_answers)
    shown = scores_to_show(assessment, live)
    bench = benchmarks.benchmark_for(assessment=assessment, scores=shown)
    previous, previous_scores = _previous(assessment)
    titles = {a.number: a for a in Action.objects.order_by("number")}
    actions = tuple(
        _action_result(
            number,
            action=titles.get(number),
            answered=answered,
            live=live,
            shown=shown,
            previous=previous_scores,
            bench=bench,
        )
        for number in scoring.ACTIONS
    )
    return Results(
        assessment=assessment,
        authority_name=assessment.authority.name,
        cycle=assessment.cycle,
        status=assessment.status,
        status_label=str(assessment.get_status_display()),
        submitted_at=assessment.submitted_at,
        approved_at=assessment.approved_at,
        questionnaire_version=shown.questionnaire_version or assessment.questionnaire.version,
        scoring_version=shown.scoring_version or scoring.SCORING_VERSION,
        frozen=is_frozen(assessment),
        overall=shown.overall,
        overall_band=shown.overall_band,
        overall_peers=_comparisons({g.key: g.overall for g in bench.groups}, bench.groups),
        overall_change=_change(shown.overall, previous.overall if previous else None),
        actions=actions,
        benchmark=bench,
        previous=previous,
        plan=plans.plan_overview(
            assessment=assessment,
            spec=answered.spec,
            items=answered.items,
            answers=answered.answers,
            today=shown,
            today_benchmark=bench,
            previous=(previous.pk, previous.cycle) if previous else None,
            posted=posted_targets,
        ),
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
        "min_peers": benchmarks.MIN_PEERS,
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
                "title": str(action.title),
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
        "previous_cycle": None
        if previous is None
        else {
            "cycle": previous.cycle,
            "status": previous.status,
            "questionnaire_version": previous.questionnaire_version,
            "overall": previous.overall,
        },
        "improvement_plan": results.plan.to_dict(),
    }
