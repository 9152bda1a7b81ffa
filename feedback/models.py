"""Public feedback rounds on the draft Actions."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FeedbackRoundQuerySet(models.QuerySet):
    def open_at(self, moment=None) -> "FeedbackRoundQuerySet":
        moment = moment or timezone.now()
        return self.filter(opens_at__lte=moment, closes_at__gte=moment)


class FeedbackRound(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(unique=True)
    actions = models.ManyToManyField("actions.Action", related_name="feedback_rounds")
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))

    objects = FeedbackRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("feedback round")
        verbose_name_plural = _("feedback rounds")

    def __str__(self) -> str:
        return self.title

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment <= self.closes_at
