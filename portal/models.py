"""The site's own rows: the task workers' heartbeats (see `portal.workers`)."""

from django.conf import settings
from django.db import models


class WorkerHeartbeat(models.Model):
    """A task worker's sign of life, written every few seconds by `manage.py run_worker`."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"worker {self.worker_id} on {self.host} (pid {self.pid})"


class LanguageReview(models.Model):
    """Whether the partnership has reviewed a language's translations, as a coordinator set it.

    One row per language (no row: not yet reviewed); each change is kept in
    `LanguageReviewEvent` with who and when. The footer of every page reads it.
    """

    language = models.CharField(max_length=8, primary_key=True)
    reviewed = models.BooleanField(default=False)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.language}: {'reviewed' if self.reviewed else 'not yet reviewed'}"


class LanguageReviewEvent(models.Model):
    """One change of a language's review mark (the log)."""

    language = models.CharField(max_length=8)
    reviewed = models.BooleanField()
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.language} → {self.reviewed} at {self.at:%Y-%m-%d %H:%M}"
