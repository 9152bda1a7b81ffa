"""Assessment cycles: one assessment per authority and year, pinned to a questionnaire version."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from assessment.models import Answer, Assessment, Item, Questionnaire
from partnership.models import UrbanAuthority


def current_cycle() -> int:
    """Cycles are calendar years; the current one is this year's."""
    return timezone.localdate().year


class NoQuestionnaire(Exception):
    """No questionnaire version is published as current yet."""


@dataclass(frozen=True)
class StartResult:
    assessment: Assessment
    created: bool
    copied: int = 0


def previous_assessment(*, authority: UrbanAuthority, cycle: int) -> Assessment | None:
    """The authority's most recent assessment before `cycle`, if any."""
    return (
        Assessment.objects.filter(authority=authority, cycle__lt=cycle).order_by("-cycle").first()
    )


def start_assessment(
    *, authority: UrbanAuthority, by, copy_previous: bool = False, cycle: int | None = None
) -> StartResult:
    """The authority's assessment for `cycle`, created on the current questionnaire if missing.

    A second start (a double click, or a colleague at the same moment) returns the existing
    assessment: the unique constraint on (authority, cycle) decides the race.
    """
    cycle = cycle or current_cycle()
    existing = Assessment.objects.filter(authority=authority, cycle=cycle).first()
    if existing is not None:
        return StartResult(existing, created=False)
    questionnaire = Questionnaire.objects.filter(is_current=True).first()
    if questionnaire is None:
        raise NoQuestionnaire
    source = previous_assessment(authority=authority, cycle=cycle) if copy_previous else None
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                authority=authority,
                cycle=cycle,
                questionnaire=questionnaire,
                created_by=by,
                copied_from=source,
            )
            copied = copy_answers(source=source, target=assessment, by=by) if source else 0
    except IntegrityError:
        return StartResult(Assessment.objects.get(authority=authority, cycle=cycle), created=False)
    return StartResult(assessment, created=True, copied=copied)


def copy_answers(*, source: Assessment, target: Assessment, by) -> int:
    """Copy answers to the items with the same code in the target's version.

    Items whose answer type changed between versions, an N/A the new item no longer allows,
    and numbers outside the new item's range are left for the officer to answer afresh.
    """
    items = Item.objects.filter(questionnaire_id=target.questionnaire_id)
    target_items = {i.code: i for i in items}
    copies = []
    for answer in Answer.objects.filter(assessment=source).select_related("item"):
        item = target_items.get(answer.item.code)
        if item is None or item.answer_type != answer.item.answer_type:
            continue
        if answer.not_applicable and not item.allow_na:
            continue
        if answer.number is not None and not (
            (item.min_value is None or answer.number >= item.min_value)
            and (item.max_value is None or answer.number <= item.max_value)
        ):
            continue
        copies.append(
            Answer(
                assessment=target,
                item=item,
                level=answer.level,
                yes=answer.yes,
                number=answer.number,
                not_applicable=answer.not_applicable,
                na_reason=answer.na_reason,
                evidence_note=answer.evidence_note,
                evidence_url=answer.evidence_url,
                updated_by=by,
            )
        )
    Answer.objects.bulk_create(copies)
    return len(copies)


# --- The officer's dashboard -----------------------------------------------------------------

COMPLETE_ANSWER = (
    Q(answers__not_applicable=True)
    | Q(answers__level__isnull=False)
    | Q(answers__yes__isnull=False)
    | Q(answers__number__isnull=False)
)


@dataclass
class AuthorityCycles:
    """One authority's assessments, newest first, each with `answered` and `total` set."""

    authority: UrbanAuthority
    cycle: int
    assessments: list[Assessment] = field(default_factory=list)

    @property
    def current(self) -> Assessment | None:
        return next((a for a in self.assessments if a.cycle == self.cycle), None)

    @property
    def previous(self) -> Assessment | None:
        return next((a for a in self.assessments if a.cycle < self.cycle), None)


def dashboard_for(*, user) -> list[AuthorityCycles]:
    """The officer's authorities with their assessments and progress, in three queries."""
    cycle = current_cycle()
    authorities = list(UrbanAuthority.objects.filter(memberships__user=user).order_by("name"))
    rows = {a.pk: AuthorityCycles(a, cycle) for a in authorities}
    assessments = list(
        Assessment.objects.filter(authority__in=authorities)
        .select_related("questionnaire")
        .annotate(answered=Count("answers", filter=COMPLETE_ANSWER))
        .order_by("authority_id", "-cycle")
    )
    totals = dict(
        Item.objects.filter(questionnaire__in={a.questionnaire_id for a in assessments})
        .values("questionnaire_id")
        .annotate(n=Count("pk"))
        .values_list("questionnaire_id", "n")
    )
    for assessment in assessments:
        assessment.total = totals.get(assessment.questionnaire_id, 0)
        assessment.percent = (
            round(100 * assessment.answered / assessment.total) if assessment.total else 0
        )
        rows[assessment.authority_id].assessments.append(assessment)
    return list(rows.values())
