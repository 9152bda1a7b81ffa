"""The six Actions of the partnership's Action Plan, with their draft and final titles."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.content_translations import Texts, content_root

TRANSLATED_FIELDS = (
    "short_title",
    "draft_title",
    "final_title",
    "objective",
    "problem",
    "draft_summary",
    "deliverables",
)


class Action(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (June 2020)")
        FINAL = "final", _("Final (November 2020)")
        IMPLEMENTATION = "implementation", _("In implementation")
        COMPLETED = "completed", _("Completed")

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    draft_title = models.CharField(_("draft title (June 2020)"), max_length=300)
    final_title = models.CharField(_("final title (November 2020)"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=80)
    objective = models.TextField(_("objective"))
    problem = models.TextField(_("problem it answers"))
    draft_summary = models.TextField(_("summary of the draft text"), blank=True)
    deliverables = models.TextField(_("deliverables"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.FINAL
    )
    leader = models.CharField(
        _("leader"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty where the leader is not confirmed."),
    )
    linked_actions = models.ManyToManyField(
        "self", through="ActionLink", symmetrical=False, related_name="+", blank=True
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("Action")
        verbose_name_plural = _("Actions")

    def __str__(self) -> str:
        return f"{self.number}. {self.final_title}"

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", args=[self.number])

    @property
    def title_changed(self) -> bool:
        return self.draft_title != self.final_title

    @property
    def tr(self) -> Texts:
        """The texts in the active language (`actions/data/i18n/`), English where missing."""
        return Texts(
            content_root("actions"),
            {f: (f"action.{self.number}.{f}", getattr(self, f)) for f in TRANSLATED_FIELDS},
        )


class ActionLink(models.Model):
    """An interlink between two Actions named in the Action Plan, with the reason for it.

    Stored once per pair; pages read both directions (`links_for`).
    """

    source = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="links_in")
    reason = models.TextField(_("reason"))
    confirmed = models.BooleanField(
        _("named in the Action Plan"),
        default=True,
        help_text=_("Unticked for links the portal infers."),
    )

    class Meta:
        verbose_name = _("interlink")
        verbose_name_plural = _("interlinks")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="unique_action_link"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")),
                name="action_link_not_to_itself",
                violation_error_message=_("An Action cannot be linked to itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.number} & {self.target.number}"

    @property
    def tr(self) -> Texts:
        key = f"link.{self.source.number}-{self.target.number}.reason"
        return Texts(content_root("actions"), {"reason": (key, self.reason)})

    def other(self, action: Action) -> Action:
        return self.target if self.source_id == action.pk else self.source


def links_for(action: Action) -> list[tuple[Action, ActionLink]]:
    """The Actions linked to `action`, in either direction, with the link carrying the reason."""
    links = ActionLink.objects.filter(models.Q(source=action) | models.Q(target=action))
    links = links.select_related("source", "target")
    pairs = [(link.other(action), link) for link in links]
    return sorted(pairs, key=lambda pair: pair[0].number)
