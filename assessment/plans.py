"""The improvement plan: targets per item, what reaching them does to the score, last cycle's
plan against today's answers, and saving targets without losing a colleague's change.

- **Targets** (`TargetValues`): a level (maturity items), "yes" (yes/no items) or a value
  (numbers), with a target cycle, an owner and a note. A target is applied to the answers by
  `apply_targets`: the item is taken at its target unless today's answer already earns more
  points, so a target never lowers a score and raising one never lowers any score.
- **What-if** (`what_if`): `scoring.score` on the answers with the targets applied: the one
  engine, no second formula. Its Action and overall scores are placed among the same peers,
  with the same suppression, as the results page (`benchmark.benchmark_for`).
- **Next cycle** (`last_cycle_review`): the previous cycle's plan against this cycle's answers:
  reached, partly (moved towards the target), not yet, or no longer asked (the item is gone or
  asks for another kind of answer in this questionnaire version).
- **Saving** (`save_targets`): the rule of answers (`answers.saving.decide`): each row carries
  the version its page was based on; a colleague's newer change is a conflict, never
  overwritten. Every save that changes something is one `AssessmentEvent` of kind "plan".
  The plan stays editable whatever the assessment's status: answers and scores stay frozen.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment import benchmark as benchmarks
from assessment import scoring
from assessment.answers.saving import Outcome, decide
from assessment.answers.values import normalise_number, normalise_text, values_fingerprint
from assessment.cycles import current_cycle
from assessment.models import (
    Answer,
    AnswerType,
    Assessment,
    AssessmentEvent,
    ImprovementPlan,
    Item,
    PlanTarget,
)
from assessment.scores import FrozenScores, answer_value
from assessment.wording import answer_text

# How far ahead a target cycle may be set (cycles are years).
MAX_YEARS_AHEAD = 10


# --- Targets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetValues:
    """What an officer sets on one item of the plan; no target value = not in the plan."""

    level: int | None = None
    yes: bool | None = None
    number: Decimal | None = None
    target_cycle: int | None = None
    owner: str = ""
    note: str = ""

    @classmethod
    def of(cls, target: PlanTarget | None) -> "TargetValues":
        if target is None:
            return cls()
        return cls(
            level=target.level,
            yes=target.yes,
            number=normalise_number(target.number),
            target_cycle=target.target_cycle,
            owner=normalise_text(target.owner),
            note=normalise_text(target.note),
        )

    @property
    def in_plan(self) -> bool:
        return self.level is not None or self.yes is True or self.number is not None

    def fingerprint(self) -> str:
        return values_fingerprint(self)

    def apply_to(self, target: PlanTarget) -> None:
        for f in fields(self):
            setattr(target, f.name, getattr(self, f.name))

    def engine_answer(self) -> scoring.Answer:
        return scoring.Answer(level=self.level, yes=self.yes, number=self.number)

    def as_answer(self, item: Item) -> Answer:
        """An unsaved answer holding the target, for the words of `wording.answer_text`."""
        return Answer(item=item, level=self.level, yes=self.yes, number=self.number)


@dataclass(frozen=True)
class PostedTarget:
    """One plan row as posted: its new values and the version the page was based on."""

    item: Item
    values: TargetValues
    version: int  # 0 = there was no row
    loaded: str  # TargetValues.fingerprint() when the page was rendered
    in_conflict: bool = False
    resolve: str = ""

    @property
    def changed_by_user(self) -> bool:
        return self.values.fingerprint() != self.loaded


def first_target_cycle(assessment: Assessment) -> int:
    """The earliest cycle a target may be set for: the next one, and never one in the past."""
    return max(assessment.cycle + 1, current_cycle())


def target_problem(item: Item, today: Answer | None, values: TargetValues) -> str:
    """Why a target cannot be set on `item` given today's answer ("" when it can)."""
    if today is None or not today.has_value:
        return ""
    if item.answer_type == AnswerType.MATURITY and values.level is not None:
        if today.level is not None and values.level <= today.level:
            return _("Today's answer is already level %(level)d: choose a higher target level.") % {
                "level": today.level
            }
    if item.answer_type == AnswerType.YES_NO and values.yes and today.yes:
        return _("Today's answer is already yes: this item needs no target.")
    if item.answer_type == AnswerType.NUMBER and values.number is not None:
        if today.number is not None and not _better(item, values.number, today.number):
            return _("Today's figure is already %(figure)s: choose a better target.") % {
                "figure": answer_text(item, today)
            }
    return ""


def _better(item: Item, value: Decimal, than: Decimal) -> bool:
    return value > than if item.higher_is_better else value < than


# --- What-if (the engine on the answers with the targets applied) ----------------------------


def apply_targets(
    spec: scoring.QuestionnaireSpec,
    answers: Mapping[str, scoring.Answer],
    targets: Mapping[str, scoring.Answer],
) -> dict[str, scoring.Answer]:
    """The answers as they would be with every target reached (pure).

    An item is taken at its target, unless today's answer already earns at least as many
    points (a stale target never lowers a score). Targets on unknown items are ignored.
    """
    applied = dict(answers)
    for item in spec.items:
        target = targets.get(item.code)
        if target is None:
            continue
        goal = scoring.points_for(item, target)
        if goal is None:
            continue
        today = answers.get(item.code)
        now = None if today is None else scoring.points_for(item, today)
        if now is None or goal > now:
            applied[item.code] = target
    return applied


def what_if_scorecard(
    spec: scoring.QuestionnaireSpec,
    answers: Mapping[str, scoring.Answer],
    targets: Mapping[str, scoring.Answer],
) -> scoring.Scorecard:
    """`scoring.score` on the answers with the targets applied (pure)."""
    return scoring.score(spec, apply_targets(spec, answers, targets))


@dataclass(frozen=True)
class Position:
    """Where a score places the authority in one peer group: percentile today and planned."""

    group: str
    label: str
    suppressed: bool
    today: float | None
    planned: float | None


@dataclass(frozen=True)
class ScoreChange:
    today: float | None
    today_band: scoring.Band | None
    planned: float | None
    planned_band: scoring.Band | None
    positions: tuple[Position, ...]

    @property
    def gain(self) -> float | None:
        if self.today is None or self.planned is None:
            return None
        return round(self.planned - self.today, 1)

    def to_dict(self) -> dict:
        return {
            "today": self.today,
            "today_band": self.today_band.value if self.today_band else None,
            "planned": self.planned,
            "planned_band": self.planned_band.value if self.planned_band else None,
            "percentiles": {
                p.group: {
                    "suppressed": p.suppressed,
                    "today": p.today,
                    "planned": p.planned,
                }
                for p in self.positions
            },
        }


@dataclass(frozen=True)
class TargetRow:
    """One target of the plan, in words."""

    code: str
    question: str
    action: int  # the Action whose section asks the question
    today: str
    target: str
    target_cycle: int | None
    owner: str
    note: str
    updated_by: str
    values: TargetValues

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "today": self.today,
            "target": self.target,
            "target_level": self.values.level,
            "target_yes": self.values.yes,
            "target_value": None if self.values.number is None else str(self.values.number),
            "target_cycle": self.target_cycle,
            "owner": self.owner,
            "note": self.note,
        }


@dataclass(frozen=True)
class ActionPlan:
    number: int
    change: ScoreChange
    targets: tuple[TargetRow, ...]


@dataclass(frozen=True)
class WhatIf:
    overall: ScoreChange
    actions: tuple[ActionPlan, ...]

    @property
    def targets(self) -> tuple[TargetRow, ...]:
        return tuple(row for action in self.actions for row in action.targets)


def _positions(today: benchmarks.Benchmark, planned: benchmarks.Benchmark, action: int | None):
    def stats(bench: benchmarks.Benchmark, key: str) -> benchmarks.Stats:
        group = bench.group(key)
        return group.overall if action is None else group.actions[action]

    return tuple(
        Position(
            group=group.key,
            label=group.label,
            suppressed=stats(today, group.key).suppressed,
            today=stats(today, group.key).percentile,
            planned=stats(planned, group.key).percentile,
        )
        for group in today.groups
    )


def what_if(
    *,
    assessment: Assessment,
    spec: scoring.QuestionnaireSpec,
    answers: Mapping[str, scoring.Answer],
    targets: Mapping[str, scoring.Answer],
    today: FrozenScores,
    today_benchmark: benchmarks.Benchmark | None = None,
    rows: Iterable[TargetRow] = (),
) -> WhatIf:
    """Today's scores (frozen once approved) and the scores with every target reached, per
    Action and overall, placed among the peers: the same groups and suppression as the
    results (`today_benchmark` when it is at hand; a peer-table read, usually cached)."""
    planned = FrozenScores.of(what_if_scorecard(spec, answers, targets))
    bench_today = today_benchmark or benchmarks.benchmark_for(assessment=assessment, scores=today)
    bench_planned = (
        bench_today
        if planned == today
        else benchmarks.benchmark_for(assessment=assessment, scores=planned)
    )
    by_action: dict[int, list[TargetRow]] = {n: [] for n in scoring.ACTIONS}
    for row in rows:
        by_action.setdefault(row.action, []).append(row)

    def change(number: int | None) -> ScoreChange:
        if number is None:
            now = (today.overall, today.overall_band)
            then = (planned.overall, planned.overall_band)
        else:
            now = (today.action(number).score, today.action(number).band)
            then = (planned.action(number).score, planned.action(number).band)
        return ScoreChange(
            today=now[0],
            today_band=now[1],
            planned=then[0],
            planned_band=then[1],
            positions=_positions(bench_today, bench_planned, number),
        )

    return WhatIf(
        overall=change(None),
        actions=tuple(
            ActionPlan(number=n, change=change(n), targets=tuple(by_action.get(n, ())))
            for n in scoring.ACTIONS
        ),
    )


# --- Last cycle's plan against today's answers ------------------------------------------------


class Progress(StrEnum):
    REACHED = "reached"
    PARTLY = "partly"
    NOT_YET = "not_yet"
    NO_LONGER_ASKED = "no_longer_asked"


PROGRESS_LABELS = {
    Progress.REACHED: gettext_lazy("target reached"),
    Progress.PARTLY: gettext_lazy("partly: moved towards the target"),
    Progress.NOT_YET: gettext_lazy("not yet"),
    Progress.NO_LONGER_ASKED: gettext_lazy("item no longer asked"),
}


def progress_of(
    item: Item, target: TargetValues, then: Answer | None, now: Answer | None
) -> Progress:
    """How far today's answer `now` got towards last cycle's `target` from `then` (pure).

    The caller gives `Progress.NO_LONGER_ASKED` when the item is not in today's questionnaire.
    """
    if now is None or not now.has_value:
        return Progress.NOT_YET
    if item.answer_type == AnswerType.MATURITY and target.level is not None:
        if now.level is not None and now.level >= target.level:
            return Progress.REACHED
        before = then.level if then is not None and then.level is not None else -1
        return Progress.PARTLY if now.level is not None and now.level > before else Progress.NOT_YET
    if item.answer_type == AnswerType.YES_NO:
        return Progress.REACHED if now.yes else Progress.NOT_YET
    if target.number is None or now.number is None:
        return Progress.NOT_YET
    if not _better(item, target.number, now.number):
        return Progress.REACHED
    number_then = then.number if then is not None else None
    moved = number_then is None or _better(item, now.number, number_then)
    return Progress.PARTLY if moved else Progress.NOT_YET


@dataclass(frozen=True)
class ReviewRow:
    code: str
    question: str
    action: int
    target: str
    target_cycle: int | None
    owner: str
    then: str
    now: str
    progress: Progress

    @property
    def progress_label(self) -> str:
        return str(PROGRESS_LABELS[self.progress])

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "target": self.target,
            "target_cycle": self.target_cycle,
            "owner": self.owner,
            "answer_then": self.then,
            "answer_now": self.now,
            "progress": self.progress.value,
        }


@dataclass(frozen=True)
class LastCyclePlan:
    cycle: int
    rows: tuple[ReviewRow, ...]

    def count(self, progress: str) -> int:
        return sum(1 for row in self.rows if row.progress == progress)

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [(str(PROGRESS_LABELS[p]), self.count(p)) for p in Progress]

    def to_dict(self) -> dict:
        return {
            "cycle": self.cycle,
            "counts": {p.value: self.count(p) for p in Progress},
            "targets": [row.to_dict() for row in self.rows],
        }


def last_cycle_review(
    *,
    cycle: int,
    targets: Iterable[PlanTarget],
    items: Mapping[str, Item],
    answers: Mapping[str, Answer],
) -> LastCyclePlan | None:
    """The previous cycle's plan (`targets` of cycle `cycle`, items selected) against
    `answers` (today's, by code; `items` today's by code). One query: the answers of then."""
    targets = sorted(
        (t for t in targets if t.in_plan), key=lambda t: (t.item.position, t.item.code)
    )
    if not targets:
        return None
    then = {
        a.item_id: a
        for a in Answer.objects.filter(
            assessment_id=targets[0].plan.assessment_id, item_id__in=[t.item_id for t in targets]
        )
    }
    rows = []
    for target in targets:
        old_item, values = target.item, TargetValues.of(target)
        item = items.get(old_item.code)
        now = answers.get(old_item.code)
        asked = item is not None and item.answer_type == old_item.answer_type
        rows.append(
            ReviewRow(
                code=old_item.code,
                question=old_item.tr.question,
                action=old_item.action_number,
                target=answer_text(old_item, values.as_answer(old_item)),
                target_cycle=values.target_cycle,
                owner=values.owner,
                then=answer_text(old_item, then.get(old_item.pk)),
                now=answer_text(item, now) if item is not None else _("no longer asked"),
                progress=progress_of(old_item, values, then.get(old_item.pk), now)
                if asked
                else Progress.NO_LONGER_ASKED,
            )
        )
    return LastCyclePlan(cycle=cycle, rows=tuple(rows))


# --- The plan of one assessment, as its pages show it ----------------------------------------


@dataclass(frozen=True)
class PlanOverview:
    """The plan of an assessment: its target rows, the what-if and last cycle's plan."""

    stored: Mapping[int, PlanTarget]  # every target row by item id (in the plan or not)
    what_if: WhatIf
    last_cycle: LastCyclePlan | None
    items: Mapping[str, Item]  # the questionnaire's items by code
    answers: Mapping[str, Answer]  # today's answers by item code

    @property
    def targets(self) -> tuple[TargetRow, ...]:
        return self.what_if.targets

    def to_dict(self) -> dict:
        return {
            "targets": [row.to_dict() for row in self.targets],
            "what_if": {
                "overall": self.what_if.overall.to_dict(),
                "actions": {str(a.number): a.change.to_dict() for a in self.what_if.actions},
            },
            "last_cycle": None if self.last_cycle is None else self.last_cycle.to_dict(),
        }


def _user_name(user) -> str:
    return "" if user is None else (user.get_full_name() or user.get_username())


def target_rows(
    values: Mapping[str, TargetValues],
    *,
    items: Mapping[str, Item],
    answers: Mapping[str, Answer],
    updated_by: Mapping[str, str] | None = None,
) -> list[TargetRow]:
    """The targets in words, in questionnaire order."""
    return [
        TargetRow(
            code=code,
            question=item.tr.question,
            action=item.action_number,
            today=answer_text(item, answers.get(code)),
            target=answer_text(item, values[code].as_answer(item)),
            target_cycle=values[code].target_cycle,
            owner=values[code].owner,
            note=values[code].note,
            updated_by=(updated_by or {}).get(code, ""),
            values=values[code],
        )
        for code, item in items.items()
        if code in values and values[code].in_plan
    ]


def plan_overview(
    *,
    assessment: Assessment,
    spec: scoring.QuestionnaireSpec,
    items: Mapping[str, Item],
    answers: Mapping[str, Answer],
    today: FrozenScores,
    today_benchmark: benchmarks.Benchmark | None = None,
    previous: tuple[int, int] | None = None,
    posted: Mapping[str, TargetValues] | None = None,
) -> PlanOverview:
    """The plan of `assessment` (`items` and `answers` by code, as `results` reads them).

    `previous`: (pk, cycle) of the authority's previous assessment, whose plan is reviewed
    against today's answers. `posted` replaces the stored targets of those items (the htmx
    preview: nothing saved). Queries: the target rows of both plans (one), the answers behind
    last cycle's targets when there are any, and a peer-table read when a target changes a
    score; none depends on the number of targets.
    """
    by_id = {item.pk: item for item in items.values()}
    plans = [assessment.pk, *([previous[0]] if previous else [])]
    rows_of_both = list(
        PlanTarget.objects.filter(plan__assessment_id__in=plans).select_related(
            "updated_by", "item__questionnaire", "plan"
        )
    )
    stored = {
        t.item_id: t
        for t in rows_of_both
        if t.plan.assessment_id == assessment.pk and t.item_id in by_id
    }
    values = {by_id[pk].code: TargetValues.of(t) for pk, t in stored.items()}
    values.update(posted or {})
    names = {by_id[pk].code: _user_name(t.updated_by) for pk, t in stored.items()}
    rows = target_rows(values, items=items, answers=answers, updated_by=names)
    engine = {code: answer_value(a) for code, a in answers.items()}
    return PlanOverview(
        stored=stored,
        what_if=what_if(
            assessment=assessment,
            spec=spec,
            answers=engine,
            targets={row.code: row.values.engine_answer() for row in rows},
            today=today,
            today_benchmark=today_benchmark,
            rows=rows,
        ),
        last_cycle=None
        if previous is None
        else last_cycle_review(
            cycle=previous[1],
            targets=[t for t in rows_of_both if t.plan.assessment_id == previous[0]],
            items=items,
            answers=answers,
        ),
        items=items,
        answers=answers,
    )


# --- Saving -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetResult:
    posted: PostedTarget
    outcome: Outcome
    target: PlanTarget | None  # the stored row after the save (the colleague's on a conflict)


@dataclass
class PlanSaveResult:
    results: list[TargetResult] = field(default_factory=list)

    @property
    def conflicts(self) -> list[TargetResult]:
        return [r for r in self.results if r.outcome == Outcome.CONFLICT]

    @property
    def saved(self) -> list[TargetResult]:
        return [r for r in self.results if r.outcome == Outcome.SAVED]


def plan_of(assessment: Assessment) -> ImprovementPlan:
    try:
        with transaction.atomic():
            return ImprovementPlan.objects.get_or_create(assessment=assessment)[0]
    except IntegrityError:  # created by a colleague's first save meanwhile
        return ImprovementPlan.objects.get(assessment=assessment)


def _change_kind(before: TargetValues, after: TargetValues) -> str:
    if not after.in_plan:
        return "removed"
    return "added" if not before.in_plan else "changed"


def save_targets(*, assessment: Assessment, by, posted: Iterable[PostedTarget]) -> PlanSaveResult:
    """Apply the posted rows in one transaction, never over a colleague's newer change; log
    what changed as one plan event. Works in every status (the plan is work in progress)."""
    posted = list(posted)
    plan = plan_of(assessment)
    now = timezone.now()
    result = PlanSaveResult()
    with transaction.atomic():
        # Locks the plan row: a colleague's save of the same plan waits for this one.
        ImprovementPlan.objects.filter(pk=plan.pk).update(updated_at=F("updated_at"))
        stored = {
            t.item_id: t
            # Only the target rows are locked (the default ordering would join the items).
            for t in PlanTarget.objects.select_for_update(of=("self",))
            .filter(plan=plan, item_id__in=[p.item.pk for p in posted])
            .order_by()
        }
        to_create, to_update, changes = [], [], []
        for row in posted:
            target = stored.get(row.item.pk)
            before = TargetValues.of(target)
            outcome = decide(
                row,
                current=before,
                current_version=target.version if target else 0,
                saved_by_same_user=bool(target and by and target.updated_by_id == by.pk),
            )
            if outcome == Outcome.SAVED:
                if target is None:
                    target = PlanTarget(plan=plan, item=row.item, version=1)
                    to_create.append(target)
                else:
                    target.version += 1
                    to_update.append(target)
                row.values.apply_to(target)
                target.updated_by, target.updated_at = by, now
                if before.in_plan or row.values.in_plan:
                    changes.append(
                        {"code": row.item.code, "change": _change_kind(before, row.values)}
                    )
            result.results.append(TargetResult(row, outcome, target))
        PlanTarget.objects.bulk_create(to_create)
        PlanTarget.objects.bulk_update(
            to_update,
            [*(f.name for f in fields(TargetValues)), "version", "updated_by", "updated_at"],
        )
        if result.saved:
            ImprovementPlan.objects.filter(pk=plan.pk).update(updated_at=now)
        if changes:
            AssessmentEvent.objects.create(
                assessment=assessment,
                actor=by,
                from_status=assessment.status,
                to_status=assessment.status,
                kind=AssessmentEvent.Kind.PLAN,
                plan_changes=changes,
            )
    return result
