"""Rows every node shares about reports: the peer-data version, the rendered reports and the
state of each assessment's report.

Loaded by `assessment.models` (so Django sees them as the app's models).

The PDF bytes live in the database (`StoredReport`), not in a cache or on a local disk: every
web node already reads the database, the bytes are written in the same transaction as the
state that points to them (a node never sees "ready" without the bytes), they are backed up
with the data they were made from, and no shared file system is needed. A report is a few
hundred kilobytes; one row per content hash and language, however many times it is asked for.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeerDataVersion(models.Model):
    """The generation of the peer data of one cycle and questionnaire version.

    Bumped in the transaction of every submit, return and approve (`benchmark.invalidate`),
    so every node sees a change at once and a cache outage cannot lose it: cached peer tables
    and report fingerprints are keyed by it. `changed_at` tells the sweep which stored reports
    were made before the last change.
    """

    cycle = models.PositiveIntegerField()
    questionnaire_version = models.CharField(max_length=20)
    generation = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "questionnaire_version"], name="one_peer_data_version_per_cycle"
            ),
        ]

    def __str__(self):
        return f"peer data {self.cycle}/{self.questionnaire_version}: {self.generation}"


class StoredReport(models.Model):
    """One rendered PDF, stored once for its content hash and language."""

    content_hash = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    filename = models.CharField(max_length=200)
    pdf = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    render_seconds = models.FloatField(default=0)
    rendered_by = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_hash", "language"], name="one_stored_report_per_hash_and_language"
            ),
        ]

    def __str__(self):
        return f"{self.filename} ({self.language}, {self.content_hash[:12]})"


class ReportState(models.Model):
    """Where the report of one assessment in one language stands.

    `fingerprint` is the digest of the data the wanted report is built from
    (`assessment.report.fingerprint`, which includes the peer-data version): when the data
    or the peers change, the fingerprint a request computes differs and the report is
    scheduled again. `report` is the last PDF rendered, kept while a newer one is prepared.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("being prepared")
        RENDERING = "rendering", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    assessment = models.ForeignKey(
        "assessment.Assessment", on_delete=models.CASCADE, related_name="report_states"
    )
    language = models.CharField(max_length=8)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    report = models.ForeignKey(
        StoredReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "language"],
                name="one_report_state_per_assessment_and_language",
            ),
        ]

    def __str__(self):
        return f"report of assessment {self.assessment_id} ({self.language}): {self.status}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and self.report_id is not None

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED
