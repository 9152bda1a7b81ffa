"""Factories for every model, with traits for the states tests need."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from assessment import workflow
from assessment.models import Answer, AnswerType, Assessment, Item, Questionnaire
from partnership.models import COORDINATORS_GROUP, Membership, UrbanAuthority

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
    items = items if items is not None else Item.objects.filter(
        questionnaire=assessment.questionnaire
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
        workflow.return_for_changes(assessment=assessment, by=coordinator,
                                    comment="Please add evidence.", notify=False)
    elif status == Assessment.Status.APPROVED:
        workflow.approve(assessment=assessment, by=coordinator, notify=False)
    assessment.refresh_from_db()
    return assessment


def coordinators_group() -> Group:
    return Group.objects.get_or_create(name=COORDINATORS_GROUP)[0]
