"""The improvement plan of an assessment: one plan, one target row per item (loaded by models.py).

A target row whose target value is empty is an item taken out of the plan: the row stays, so
its `version` keeps counting and a colleague's stale form cannot bring an old target back
(the no-lost-update rule of `assessment.answers.saving.decide`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

IN_PLAN = Q(level__isnull=False) | Q(yes=True) | Q(number__isnull=False)
"""The target rows that are in the plan (a target value is set)."""


class ImprovementPlan(models.Model):
    """What an authority means to improve after one assessment; editable in every status."""

    assessment = models.OneToOneField(
        "assessment.Assessment", on_delete=models.CASCADE, related_name="plan"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")

    def __str__(self) -> str:
        return f"Plan of {self.assessment}"


class PlanTargetQuerySet(models.QuerySet["PlanTarget"]):
    def in_plan(self) -> "PlanTargetQuerySet":
        return self.filter(IN_PLAN)


class PlanTarget(models.Model):
    """One item's target: a level (maturity), "yes" (yes/no) or a value (numbers)."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="targets")
    item = models.ForeignKey("assessment.Item", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("target level"), null=True, blank=True)
    yes = models.BooleanField(_("target yes"), null=True, blank=True)
    number = models.DecimalField(
        _("target value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_cycle = models.PositiveSmallIntegerField(_("target cycle"), null=True, blank=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Incremented on every change, as Answer.version: the form carries it back.
    version = models.PositiveIntegerField(default=1)

    objects = PlanTargetQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "item"], name="one_target_per_item"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__lte=4), name="target_level_0_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.item_id}"

    @property
    def in_plan(self) -> bool:
        return self.level is not None or self.yes is True or self.number is not None
