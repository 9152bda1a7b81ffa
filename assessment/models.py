"""The self-assessment: versioned questionnaires, an authority's assessment per cycle, answers.

Status changes happen only through `assessment.workflow`; the constraints below keep the
timestamps consistent with the status whatever code writes the rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnership.models import UrbanAuthority
from partnership.roles import is_coordinator
from portal.content_translations import Texts, content_root


class Dimension(models.TextChoices):
    """The six dimensions of the Action 1 conceptual framework."""

    QUALITY_OF_LIFE = "quality_of_life", _("Quality of life")
    SOCIAL_COHESION = "social_cohesion", _("Social cohesion")
    PUBLIC_SPACE_LIVEABILITY = "public_space_liveability", _("Public space liveability")
    SENSE_OF_SAFETY = "sense_of_safety", _("Sense of safety in public spaces")
    URBAN_SECURITY = "urban_security", _("Urban security")
    BACKGROUND_CONDITIONS = "background_conditions", _("Background conditions")


class AnswerType(models.TextChoices):
    MATURITY = "maturity", _("Maturity level 0-4")
    YES_NO = "yes_no", _("Yes or no")
    NUMBER = "number", _("Number")


class Questionnaire(models.Model):
    """One published version of the questionnaire; never edited once loaded."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source_hash = models.CharField(
        max_length=64, help_text=_("SHA-256 of the loaded definition; a changed file is refused.")
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    is_current = models.BooleanField(
        _("current"), default=False, help_text=_("New assessments start on the current version.")
    )

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_questionnaire",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @property
    def tr(self) -> Texts:
        """Title and description in the active language (`questionnaires/i18n/<version>/`)."""
        fields = {"title": ("title", self.title), "description": ("description", self.description)}
        return Texts(content_root("questionnaire", self.version), fields)


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    action = models.ForeignKey("actions.Action", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    intro = models.TextField(blank=True)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "action"], name="one_section_per_action"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.version} / Action {self.action_id}"

    @property
    def tr(self) -> Texts:
        fields = {"intro": (f"section.{self.position}.intro", self.intro)}
        return Texts(content_root("questionnaire", self.questionnaire.version), fields)


class Item(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=12)
    position = models.PositiveSmallIntegerField()
    question = models.TextField()
    help_text = models.TextField(blank=True)
    answer_type = models.CharField(max_length=10, choices=AnswerType.choices)
    allow_na = models.BooleanField(default=False)
    required = models.BooleanField(default=True)
    dimension = models.CharField(max_length=30, choices=Dimension.choices)
    guidance = models.TextField(blank=True)
    # Descriptors of levels 0-4 (maturity items only).
    levels = models.JSONField(default=list, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    min_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # Four thresholds mapping a number to 1-4 points (number items only).
    bands = models.JSONField(default=list, blank=True)
    higher_is_better = models.BooleanField(default=True)
    # {"3": 1.0, "6": 0.5}: the Actions this item counts towards, with weights.
    weights = models.JSONField(default=dict)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="unique_item_code")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def action_number(self) -> int:
        return int(self.code[1:].split(".")[0])

    @property
    def tr(self) -> Texts:
        """Question, help, guidance and level descriptors in the active language (units:
        `wording.unit_for`)."""
        key = f"item.{self.code}"
        fields: dict = {
            "question": (f"{key}.question", self.question),
            "help_text": (f"{key}.help", self.help_text),
            "guidance": (f"{key}.guidance", self.guidance),
            "levels": [(f"{key}.level.{k}", text) for k, text in enumerate(self.levels)],
        }
        return Texts(content_root("questionnaire", self.questionnaire.version), fields)


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssessmentQuerySet":
        """Coordinators see all; officers only their own authorities'; others nothing."""
        if not user.is_authenticated:
            return self.none()
        if is_coordinator(user):
            return self.all()
        return self.filter(authority__memberships__user=user)


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")

    authority = models.ForeignKey(
        UrbanAuthority, on_delete=models.PROTECT, related_name="assessments"
    )
    cycle = models.PositiveSmallIntegerField(_("cycle (year)"))
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comment = models.TextField(_("comment to the officers"), blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Scorecard.to_dict() frozen at approval; benchmarks read this, not live answers.
    approved_scores = models.JSONField(null=True, blank=True)
    # Scorecard.to_dict() at the last submission, so peers are computed without re-scoring.
    submitted_scores = models.JSONField(null=True, blank=True)
    # Bumped on every status change; a stale form (older revision) is refused.
    revision = models.PositiveIntegerField(default=1)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle", "authority__name"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["cycle", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "cycle"], name="one_assessment_per_authority_and_cycle"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "approved"]) | Q(submitted_at__isnull=False),
                name="submitted_has_timestamp",
                violation_error_message=_("A submitted assessment needs its submission time."),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned")
                | (Q(returned_at__isnull=False) & ~Q(return_comment="")),
                name="returned_has_timestamp_and_comment",
                violation_error_message=_("Returning an assessment requires a comment."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="approved")
                    & Q(approved_at__isnull=False)
                    & Q(approved_scores__isnull=False)
                )
                | (~Q(status="approved") & Q(approved_at__isnull=True)),
                name="approved_iff_approval_stamped",
                violation_error_message=_("Only an approved assessment has approval data."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:overview", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


EDITABLE_STATUSES = (Assessment.Status.DRAFT, Assessment.Status.RETURNED)
"""The statuses in which officers change answers (and a score is provisional)."""


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    yes = models.BooleanField(null=True, blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    na_reason = models.TextField(blank=True)
    evidence_note = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Incremented on every change; the form carries it to detect a colleague's newer save.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="one_answer_per_item"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__lte=4), name="level_0_to_4"
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | ~Q(na_reason=""),
                name="na_needs_reason",
                violation_error_message=_("Give a reason when an item does not apply."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.item_id}"

    @property
    def has_value(self) -> bool:
        return self.level is not None or self.yes is not None or self.number is not None

    @property
    def is_complete(self) -> bool:
        return self.not_applicable or self.has_value


class AssessmentEvent(models.Model):
    """One status change (who, when, from what to what, and why) or one change of the plan."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status change")
        PLAN = "plan", _("Improvement plan changed")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=Assessment.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Assessment.Status.choices)
    comment = models.TextField(blank=True)
    # Answers at the moment of the event (on return), to show what changed on resubmission.
    answers_snapshot = models.JSONField(null=True, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATUS)
    # A plan change: [{"code": "A3.2", "change": "added" | "changed" | "removed"}, ...].
    plan_changes = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.from_status} -> {self.to_status}"


class ItemCommentQuerySet(models.QuerySet["ItemComment"]):
    def grouped_by_item(self, assessment: "Assessment") -> dict[int, list["ItemComment"]]:
        """The assessment's comments with their authors, by item id, oldest first (one query)."""
        by_item: dict[int, list[ItemComment]] = {}
        for comment in self.filter(assessment=assessment).select_related("author"):
            by_item.setdefault(comment.item_id, []).append(comment)
        return by_item


class ItemComment(models.Model):
    """A coordinator's remark on one item of an assessment under review."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="item_comments"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ItemCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment} {self.item_id}: {self.text[:40]}"


# The stored reports, the improvement plans and the learning peers live in their own modules,
# loaded here as the app's models.
from assessment.learning_peer_models import (  # noqa: E402, F401
    LearningPeerOffer,
    PeerRequest,
)
from assessment.plan_models import ImprovementPlan, PlanTarget  # noqa: E402, F401
from assessment.report_models import (  # noqa: E402, F401
    PeerDataVersion,
    ReportState,
    StoredReport,
)
