"""Plausible demo assessments generated from each demo authority's profile.

Deterministic (a hash of authority, cycle and item code, never `random`), so loading twice
gives the same data, and different cities are strong in different Actions.
"""

import hashlib
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from assessment import workflow
from assessment.models import (
    Answer,
    AnswerType,
    Assessment,
    AssessmentEvent,
    ImprovementPlan,
    Item,
    Questionnaire,
)
from partnership.models import UrbanAuthority

BRUSSELS = ZoneInfo("Europe/Brussels")
PEERS_FILE = Path(__file__).parent / "data" / "demo_learning_peers.yaml"
DEMO_AUTHORITY = "Mechelen"
# Authorities whose current cycle is left in another state than approved, to show every status.
CURRENT_CYCLE_STATES = {
    DEMO_AUTHORITY: "in_progress",
    "Hallstatt": "empty",
    "Sopot": "in_progress",
    "Annecy": Assessment.Status.SUBMITTED,
    "Getafe": Assessment.Status.SUBMITTED,
    "Daugavpils": Assessment.Status.RETURNED,
}


def jitter(*parts) -> int:
    """-1, 0, 0 or +1, stable for the same inputs."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return (digest[0] % 4) - 1 if digest[0] % 4 != 3 else 0


def level_for(profile: list[int], item: Item, authority: str, cycle: int, current: int) -> int:
    base = profile[item.action_number - 1]
    # Cities improve a little between cycles, not uniformly.
    improvement = 0 if cycle == current else -1 if jitter(authority, item.code, "trend") >= 0 else 0
    return max(0, min(4, base + jitter(authority, item.code) + improvement))


def number_for(item: Item, level: int) -> Decimal:
    """A value inside the band that gives `level` points."""
    low, high = float(item.min_value), float(item.max_value)
    bands = [float(b) for b in item.bands]
    if item.higher_is_better:
        edges = [low, *bands, high]
    else:
        edges = [high, *bands, low]
    start, end = edges[level], edges[level + 1]
    value = start + (end - start) / 3 if item.higher_is_better else start - (start - end) / 3
    return Decimal(str(round(value))).quantize(Decimal("0.01"))


def build_answer(assessment: Assessment, item: Item, level: int, by) -> Answer:
    answer = Answer(assessment=assessment, item=item, updated_by=by)
    if item.allow_na and level <= 1 and jitter(assessment.authority.name, item.code, "na") == 1:
        answer.not_applicable = True
        answer.na_reason = "No such system or project exists in our authority at present."
        return answer
    if item.answer_type == AnswerType.MATURITY:
        answer.level = level
    elif item.answer_type == AnswerType.YES_NO:
        answer.yes = level >= 2
    else:
        answer.number = number_for(item, level)
    if level >= 3 and jitter(assessment.authority.name, item.code, "evidence") >= 0:
        answer.evidence_note = "Documented in the annual urban security report."
    return answer


@transaction.atomic
def create_demo_assessments(
    *,
    questionnaire: Questionnaire,
    profiles: dict[str, list[int]],
    current_cycle: int,
    officers: dict[str, object],
    coordinator,
) -> int:
    """Two cycles per demo authority; existing assessments are left untouched."""
    items = list(Item.objects.filter(questionnaire=questionnaire).order_by("position"))
    created = 0
    for authority in UrbanAuthority.objects.filter(name__in=profiles):
        for cycle in (current_cycle - 1, current_cycle):
            if Assessment.objects.filter(authority=authority, cycle=cycle).exists():
                continue
            state = CURRENT_CYCLE_STATES.get(authority.name) if cycle == current_cycle else None
            if state == "empty":
                continue
            officer = officers.get(authority.name)
            create_one(
                authority,
                cycle,
                current_cycle,
                state,
                questionnaire,
                items,
                profiles[authority.name],
                officer,
                coordinator,
            )
            created += 1
    create_demo_plans(
        authority_name=DEMO_AUTHORITY,
        current_cycle=current_cycle,
        officer=officers.get(DEMO_AUTHORITY),
    )
    return created


def create_one(
    authority, cycle, current_cycle, state, questionnaire, items, profile, officer, coordinator
) -> Assessment:
    assessment = Assessment.objects.create(
        authority=authority, cycle=cycle, questionnaire=questionnaire, created_by=officer
    )
    chosen = items
    if state == "in_progress":
        # About two thirds answered: the first sections complete, the rest partly.
        chosen = [i for n, i in enumerate(items) if n < len(items) * 2 // 3 or n % 3 == 0]
    Answer.objects.bulk_create(
        build_answer(
            assessment,
            item,
            level_for(profile, item, authority.name, cycle, current_cycle),
            officer,
        )
        for item in chosen
    )
    if state == "in_progress":
        return assessment
    workflow.submit(assessment=assessment, by=officer, notify=False)
    if state == Assessment.Status.RETURNED:
        workflow.return_for_changes(
            assessment=assessment,
            by=coordinator,
            notify=False,
            comment="Please add evidence for the level 4 answers in Action 1.",
        )
    elif state != Assessment.Status.SUBMITTED:
        workflow.approve(assessment=assessment, by=coordinator, notify=False)
    stamp_dates(assessment, cycle)
    return assessment


def stamp_dates(assessment: Assessment, cycle: int) -> None:
    """Place each assessment's life in its own cycle's year: started in September, answered by
    October, submitted on 15 October, returned or approved later; its "Last change" is the
    last of these. Dates of the current cycle that are still ahead become now."""
    now = timezone.now()

    def on(month: int, day: int, hour: int) -> datetime:
        return min(datetime(cycle, month, day, hour, 0, tzinfo=BRUSSELS), now)

    started, answered, submitted = on(9, 1, 9), on(10, 1, 11), on(10, 15, 10)
    at_status = {
        Assessment.Status.SUBMITTED: submitted,
        Assessment.Status.RETURNED: on(10, 25, 14),
        Assessment.Status.APPROVED: on(11, 20, 15),
    }
    fields = {"created_at": started, "submitted_at": submitted}
    if assessment.status == Assessment.Status.RETURNED:
        fields["returned_at"] = at_status[Assessment.Status.RETURNED]
    if assessment.status == Assessment.Status.APPROVED:
        fields["approved_at"] = at_status[Assessment.Status.APPROVED]
    fields["updated_at"] = at_status.get(assessment.status, answered)
    Answer.objects.filter(assessment=assessment).update(updated_at=answered)
    for status, when in at_status.items():
        assessment.events.filter(to_status=status).update(created_at=when)
    Assessment.objects.filter(pk=assessment.pk).update(**fields)


# --- Improvement plans ------------------------------------------------------------------------

DEMO_OWNERS = ("Urban security unit", "Data and statistics office", "Prevention department")


def create_demo_plans(*, authority_name: str, current_cycle: int, officer) -> int:
    """Last cycle's plan of the demo authority, some targets reached in this cycle's answers
    and some not, and this cycle's plan in progress. Plans that exist are left untouched."""
    from assessment.plans import PostedTarget, TargetValues, save_targets

    by_cycle = {
        a.cycle: a
        for a in Assessment.objects.filter(
            authority__name=authority_name, cycle__in=(current_cycle - 1, current_cycle)
        ).select_related("questionnaire")
    }
    last, now = by_cycle.get(current_cycle - 1), by_cycle.get(current_cycle)
    if last is None or now is None:
        return 0

    def levels(assessment: Assessment) -> dict[int, int]:
        return dict(
            Answer.objects.filter(
                assessment=assessment, level__isnull=False, item__answer_type=AnswerType.MATURITY
            ).values_list("item_id", "level")
        )

    then_levels, now_levels = levels(last), levels(now)
    items = {i.pk: i for i in Item.objects.filter(questionnaire=now.questionnaire)}
    last_targets: dict[int, int] = {}
    kinds = {"reached": 0, "partly": 0, "not_yet": 0}
    for pk, then in sorted(then_levels.items()):
        current = now_levels.get(pk)
        if then >= 4:
            continue
        if current is not None and current > then and kinds["reached"] < 2:
            last_targets[pk], kinds["reached"] = current, kinds["reached"] + 1
        elif current is not None and then < current < 4 and kinds["partly"] < 2:
            last_targets[pk], kinds["partly"] = current + 1, kinds["partly"] + 1
        elif (current is None or current <= then) and kinds["not_yet"] < 2:
            last_targets[pk], kinds["not_yet"] = then + 1, kinds["not_yet"] + 1
    low_now = [pk for pk, level in sorted(now_levels.items()) if level <= 2][:3]
    plans = [
        (last, {pk: (level, current_cycle) for pk, level in last_targets.items()}),
        (now, {pk: (min(4, now_levels[pk] + 2), current_cycle + 1) for pk in low_now}),
    ]
    created = 0
    for assessment, targets in plans:
        if not targets or has_plan(assessment):
            continue
        save_targets(
            assessment=assessment,
            by=officer,
            posted=[
                PostedTarget(
                    item=items[pk],
                    values=TargetValues(
                        level=level,
                        target_cycle=cycle,
                        owner=DEMO_OWNERS[n % len(DEMO_OWNERS)],
                        note="Agreed at the security board meeting." if n == 0 else "",
                    ),
                    version=0,
                    loaded=TargetValues().fingerprint(),
                )
                for n, (pk, (level, cycle)) in enumerate(sorted(targets.items()))
            ],
        )
        if assessment.cycle < current_cycle:
            # Last cycle's plan was drafted when its results were read, in its own year.
            assessment.events.filter(kind=AssessmentEvent.Kind.PLAN).update(
                created_at=assessment.updated_at
            )
        created += 1
    return created


def has_plan(assessment: Assessment) -> bool:
    return ImprovementPlan.objects.filter(assessment=assessment).exists()


def create_demo_learning_peers(*, password: str) -> int:
    """Offer the demo authorities of `data/demo_learning_peers.yaml` as peers, each with its
    contact (a demo officer, created if missing), only where the band would show them.

    Idempotent: an Action already offered is left as it is. Returns the offers created."""
    from django.contrib.auth import get_user_model

    from assessment.learning_peers import offer_states, opt_in
    from partnership.models import Membership
    from portal.content import read_yaml

    created = 0
    for entry in read_yaml(PEERS_FILE)["peers"]:
        authority = UrbanAuthority.objects.filter(name=entry["authority"]).first()
        if authority is None:
            continue
        person = entry["contact"]
        contact, new = get_user_model().objects.get_or_create(
            username=person["username"],
            defaults={
                "first_name": person.get("first_name", ""),
                "last_name": person.get("last_name", ""),
                "email": f"{person['username']}@example.org",
            },
        )
        if new:
            contact.set_password(password)
            contact.save()
        Membership.objects.get_or_create(
            user=contact, authority=authority, defaults={"job_title": "Urban security officer"}
        )
        states = {state.action.number: state for state in offer_states(authority)}
        for number, note in entry["actions"].items():
            state = states.get(int(number))
            if state is None or state.offer is not None or not state.band_is_shown:
                continue
            opt_in(
                authority=authority,
                action=state.action,
                practice_note=note,
                contact=contact,
                by=contact,
            )
            created += 1
    return created
