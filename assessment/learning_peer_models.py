"""Peers to learn from: an authority's offer, per Action, to be asked by other authorities'
officers, and the log of the requests sent to it (rules: `assessment/learning_peers.py`).

An offer is withdrawn by stamping `withdrawn_at`, never deleted, so the request log keeps its
offer; at most one offer per authority and Action is open at a time.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnership.models import UrbanAuthority

PRACTICE_NOTE_MAX_LENGTH = 600


class LearningPeerOfferQuerySet(models.QuerySet["LearningPeerOffer"]):
    def open(self) -> "LearningPeerOfferQuerySet":
        """Offers not withdrawn (shown only while the band rule holds, see learning_peers)."""
        return self.filter(withdrawn_at__isnull=True)


class LearningPeerOffer(models.Model):
    """An authority offers to be asked about one Action, with a practice note and a contact."""

    authority = models.ForeignKey(
        UrbanAuthority, on_delete=models.CASCADE, related_name="learning_peer_offers"
    )
    action = models.ForeignKey("actions.Action", on_delete=models.PROTECT, related_name="+")
    practice_note = models.TextField(
        _("what worked for us"), max_length=PRACTICE_NOTE_MAX_LENGTH, blank=True
    )
    # One of the authority's officers; an offer whose contact is gone is not shown.
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LearningPeerOfferQuerySet.as_manager()

    class Meta:
        ordering = ["action", "authority__name"]
        verbose_name = _("peer to learn from")
        verbose_name_plural = _("peers to learn from")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "action"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_open_learning_peer_offer",
                violation_error_message=_("This authority is already offered for this Action."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority} / Action {self.action_id}"


class PeerRequest(models.Model):
    """One message sent to a peer's contact (the message itself is e-mailed, not kept)."""

    offer = models.ForeignKey(LearningPeerOffer, on_delete=models.PROTECT, related_name="requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requester_authority = models.ForeignKey(
        UrbanAuthority, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["requester", "created_at"])]

    def __str__(self) -> str:
        return f"{self.requester_authority} -> {self.offer}"
