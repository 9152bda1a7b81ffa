"""Factories for every model, with traits for the states tests need."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from assessment import workflow
from assessment.models import Answer, AnswerType, Assessment, Item, PlanTarget, Questionnaire
from assessment.wording import format_number
from partnership.models import Membership, UrbanAuthority
from partnership.roles import COORDINATORS_GROUP

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Test"
    last_name = factory.LazyAttribute(lambda u: u.username.title())
    password = factory.django.Password(TEST_PASSWORD)


class CoordinatorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def coordinator_group(self, create, extracted, **kwargs):
        if create:
            from partnership.roles import ensure_coordinator_group

            self.groups.add(ensure_coordinator_group())


class UrbanAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UrbanAuthority
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Town {n}")
    country = "FR"
    population = 120_000
    kind = UrbanAuthority.Kind.CITY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    authority = factory.SubFactory(UrbanAuthorityFactory)
    job_title = "Urban security officer"


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment on the current questionnaire (load it first: the `content` fixture)."""

    class Meta:
        model = Assessment

    authority = factory.SubFactory(UrbanAuthorityFactory)
    cycle = 2026
    questionnaire = factory.LazyFunction(lambda: Questionnaire.objects.get(is_current=True))

    class Params:
        complete = factory.Trait(answers_level=3)
        submitted = factory.Trait(answers_level=3, target_status=Assessment.Status.SUBMITTED)
        returned = factory.Trait(answers_level=3, target_status=Assessment.Status.RETURNED)
        approved = factory.Trait(answers_level=3, target_status=Assessment.Status.APPROVED)

    # Not model fields: `_create` takes them out and acts on them.
    answers_level = None
    target_status = None

    @classmethod
    def _create(cls, model_class, *args, answers_level=None, target_status=None, **kwargs):
        assessment = super()._create(model_class, *args, **kwargs)
        if answers_level is not None:
            fill(assessment, level=answers_level)
        if target_status is not None:
            move_to(assessment, target_status)
        return assessment


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    assessment = factory.SubFactory(AssessmentFactory)


def value_for(item: Item, level: int) -> dict:
    """Answer fields giving `level` points (roughly, for numbers) on `item`."""
    if item.answer_type == AnswerType.MATURITY:
        return {"level": level}
    if item.answer_type == AnswerType.YES_NO:
        return {"yes": level >= 2}
    bands = [float(b) for b in item.bands]
    if level == 0:
        value = float(item.min_value) if item.higher_is_better else float(item.max_value)
    else:
        value = bands[level - 1]
    return {"number": value}


def fill(assessment: Assessment, *, level: int = 3, by=None, items=None) -> list[Answer]:
    """Answer every item (or `items`) of the assessment's questionnaire at `level`."""
    items = (
        items if items is not None else Item.objects.filter(questionnaire=assessment.questionnaire)
    )
    return Answer.objects.bulk_create(
        Answer(assessment=assessment, item=item, updated_by=by, **value_for(item, level))
        for item in items
    )


def move_to(assessment: Assessment, status: str) -> Assessment:
    """Walk the workflow to `status` with a throwaway officer and coordinator."""
    officer = UserFactory()
    coordinator = CoordinatorFactory()
    workflow.submit(assessment=assessment, by=officer, notify=False)
    if status == Assessment.Status.RETURNED:
        workflow.return_for_changes(
            assessment=assessment, by=coordinator, comment="Please add evidence.", notify=False
        )
    elif status == Assessment.Status.APPROVED:
        workflow.approve(assessment=assessment, by=coordinator, notify=False)
    assessment.refresh_from_db()
    return assessment


def coordinators_group() -> Group:
    return Group.objects.get_or_create(name=COORDINATORS_GROUP)[0]


def frozen_scores(actions: dict[int, float | None], *, version: str = "2024.1") -> dict:
    """A `Scorecard.to_dict()`-shaped record, as frozen in `approved_scores`."""
    from assessment.scoring import ACTIONS, SCORING_VERSION, band_for

    values = {n: actions.get(n) for n in ACTIONS}
    present = [v for v in values.values() if v is not None]
    overall = round(sum(present) / len(present), 1) if present else None
    band = band_for(overall)
    return {
        "questionnaire_version": version,
        "scoring_version": SCORING_VERSION,
        "overall": overall,
        "overall_band": band.value if band else None,
        "actions": {
            str(n): {
                "score": v,
                "band": band_for(v).value if v is not None else None,
                "coverage": 1.0,
            }
            for n, v in values.items()
        },
    }


def approved_peer(
    *,
    score: float | None = 50.0,
    actions: dict[int, float | None] | None = None,
    cycle: int = 2026,
    questionnaire=None,
    approved_at=None,
    **authority,
) -> Assessment:
    """An approved assessment of a new authority with the given frozen scores, without answers.

    Fast: no workflow, no answers; `score` applies to every Action unless `actions` is given.
    Approved now unless `approved_at` says when.
    """
    from django.utils import timezone

    from assessment.scoring import ACTIONS

    questionnaire = questionnaire or Questionnaire.objects.get(is_current=True)
    actions = actions if actions is not None else dict.fromkeys(ACTIONS, score)
    now = timezone.now()
    return AssessmentFactory(
        authority=UrbanAuthorityFactory(**authority),
        cycle=cycle,
        questionnaire=questionnaire,
        status=Assessment.Status.APPROVED,
        submitted_at=approved_at or now,
        approved_at=approved_at or now,
        approved_scores=frozen_scores(actions, version=questionnaire.version),
    )


# --- Public feedback (feedback app) ----------------------------------------------------------


def _days_from_now(days: int):
    import datetime as dt

    from django.utils import timezone

    return timezone.now() + dt.timedelta(days=days)


class FeedbackRoundFactory(factory.django.DjangoModelFactory):
    """An open round on every Action (load the Actions first: the `content` fixture).

    Traits: closed, upcoming, post_moderation. Pass actions=[...] to limit the Actions."""

    class Meta:
        model = "feedback.FeedbackRound"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Feedback round {n}")
    slug = factory.Sequence(lambda n: f"round-{n}")
    opens_at = factory.LazyFunction(lambda: _days_from_now(-10))
    closes_at = factory.LazyFunction(lambda: _days_from_now(10))

    class Params:
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: _days_from_now(-40)),
            closes_at=factory.LazyFunction(lambda: _days_from_now(-10)),
        )
        upcoming = factory.Trait(
            opens_at=factory.LazyFunction(lambda: _days_from_now(10)),
            closes_at=factory.LazyFunction(lambda: _days_from_now(40)),
        )
        post_moderation = factory.Trait(moderation="post")

    @factory.post_generation
    def actions(self, create, extracted, **kwargs):
        from actions.models import Action

        if create:
            self.actions.add(*(extracted if extracted is not None else Action.objects.all()))


class CommentFactory(factory.django.DjangoModelFactory):
    """A pending comment on Action 3 of an open round.

    Traits: published, hidden, rejected, auto_hidden (hidden by three open reports)."""

    class Meta:
        model = "feedback.Comment"
        skip_postgeneration_save = True  # the reports trait adds rows; the comment is saved

    round = factory.SubFactory(FeedbackRoundFactory)
    action = factory.LazyAttribute(lambda c: c.round.actions.get(number=3))
    body = factory.Sequence(lambda n: f"A considered comment number {n} on the draft Action.")
    content_hash = factory.LazyAttribute(lambda c: _text_hash(c.body))
    respondent_type = "citizen"
    country = "BE"
    consent_at = factory.LazyFunction(lambda: _days_from_now(0))
    status = "pending"

    class Params:
        published = factory.Trait(
            status="published", published_at=factory.LazyFunction(lambda: _days_from_now(0))
        )
        hidden = factory.Trait(
            status="hidden", published_at=factory.LazyFunction(lambda: _days_from_now(0))
        )
        rejected = factory.Trait(status="rejected", rejection_reason="Advertising.")
        # Hidden by three reporters' open reports, waiting for a coordinator.
        auto_hidden = factory.Trait(
            status="hidden",
            published_at=factory.LazyFunction(lambda: _days_from_now(0)),
            reports=factory.RelatedFactoryList("tests.factories.ReportFactory", "comment", size=3),
        )


class ReportFactory(factory.django.DjangoModelFactory):
    """An open report on a comment, each from another reporter network."""

    class Meta:
        model = "feedback.Report"

    comment = factory.SubFactory(CommentFactory, published=True)
    reason = "spam"
    reporter_hash = factory.Sequence(lambda n: f"{n:064x}")


def _text_hash(text: str) -> str:
    from feedback.antispam import text_hash

    return text_hash(text)


def answer_form_data(assessment: Assessment, item: Item, **changes) -> dict[str, str]:
    """The POST fields of one question as its section page renders them, with `changes`
    applied as raw strings (level="3", yes="no", number="12,5", not_applicable="on",
    na_reason=..., evidence_note=..., evidence_url=...; None removes a field)."""
    from assessment.answers.values import AnswerValues
    from assessment.wording import format_number, item_prefix

    answer = Answer.objects.filter(assessment=assessment, item=item).first()
    stored = AnswerValues.of(answer)
    fields = {
        "level": stored.level,
        "yes": {True: "yes", False: "no"}.get(stored.yes),
        "number": format_number(stored.number),
        "not_applicable": "on" if stored.not_applicable else None,
        "na_reason": stored.na_reason,
        "evidence_note": stored.evidence_note,
        "evidence_url": stored.evidence_url,
        **changes,
    }
    prefix = item_prefix(item)
    data = {
        f"{prefix}-version": str(answer.version if answer else 0),
        f"{prefix}-loaded": stored.fingerprint(),
        f"{prefix}-conflict": "False",
        f"{prefix}-flagged": "False",
    }
    data.update(
        {f"{prefix}-{name}": str(value) for name, value in fields.items() if value is not None}
    )
    return data


# --- Improvement plans -----------------------------------------------------------------------


def target_form_data(assessment: Assessment, item: Item, **changes) -> dict[str, str]:
    """The POST fields of one plan row as the plan page renders them, with `changes` applied
    as raw strings (level="3", yes="on", number="40", target_cycle="2028", owner=..., note=...,
    remove="on"; None removes a field)."""
    from assessment.plan_forms import target_prefix
    from assessment.plans import TargetValues, first_target_cycle

    target = PlanTarget.objects.filter(plan__assessment=assessment, item=item).first()
    stored = TargetValues.of(target)
    fields = {
        "level": stored.level,
        "yes": "on" if stored.yes else None,
        "number": format_number(stored.number) if stored.number is not None else None,
        "target_cycle": stored.target_cycle or first_target_cycle(assessment),
        "owner": stored.owner,
        "note": stored.note,
        **changes,
    }
    prefix = target_prefix(item)
    data = {
        f"{prefix}-version": str(target.version if target else 0),
        f"{prefix}-loaded": stored.fingerprint(),
        f"{prefix}-conflict": "False",
    }
    data.update(
        {f"{prefix}-{name}": str(value) for name, value in fields.items() if value is not None}
    )
    return data


def plan_target(assessment: Assessment, code: str, *, by=None, **values) -> PlanTarget:
    """A stored target on the item `code` (level=3, yes=True, number=..., target_cycle=...)."""
    from assessment.models import ImprovementPlan

    plan, _ = ImprovementPlan.objects.get_or_create(assessment=assessment)
    item = Item.objects.get(questionnaire=assessment.questionnaire, code=code)
    values.setdefault("target_cycle", assessment.cycle + 1)
    return PlanTarget.objects.create(plan=plan, item=item, updated_by=by, **values)
