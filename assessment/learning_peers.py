"""Peers to learn from: who is shown, to whom, in which order, and asking one of them.

- An authority's officers offer it per Action (`opt_in`), with a practice note and a contact
  (one of its officers), and withdraw it at any time (`withdraw`).
- An open offer is shown only while the authority's latest approved assessment has that Action
  at Established or Advanced (`SHOWN_BANDS`), and while its contact is an active officer of the
  authority with an e-mail address. Nothing of this is cached: a withdrawal or a new approval
  changes every page at once.
- The results page proposes, for each Action with something to improve, up to
  `PEERS_PER_ACTION` shown peers at least at the authority's own band there, never the
  authority itself: first the same population band, then the same country, then the higher
  band, then by name. A peer shows its band, never its score.
- Asking a peer (`send_request`) e-mails its contact, on commit, in the contact's language,
  with a Reply-To of the requester; it is logged (`PeerRequest`) and limited per user to
  `PEER_REQUEST_LIMIT` in `PEER_REQUEST_WINDOW` (counted from the log, in the database, so
  every node and session counts together).

Authorities that did not opt in are never read here, so no page built from this module can
name them.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, JSONField, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from actions.models import Action
from assessment import scoring
from assessment.learning_peer_models import LearningPeerOffer, PeerRequest
from assessment.models import Assessment
from assessment.scores import FrozenScores
from partnership.countries import country_name
from partnership.models import Membership, PopulationBand, UrbanAuthority
from partnership.preferences import language_of
from portal.mail import absolute, send

SHOWN_BANDS = (scoring.Band.ESTABLISHED, scoring.Band.ADVANCED)
PEERS_PER_ACTION = 3
PEER_REQUEST_LIMIT = 5
PEER_REQUEST_WINDOW = dt.timedelta(hours=24)
MESSAGE_MIN_LENGTH = 20
MESSAGE_MAX_LENGTH = 2000
_BAND_RANK = {band: rank for rank, band in enumerate(scoring.Band)}


class PeerUnavailable(Exception):
    """The peer is not shown now (withdrawn, band below Established, no contact, own)."""


class TooManyRequests(Exception):
    def __init__(self, retry_at: dt.datetime):
        super().__init__(retry_at)
        self.retry_at = retry_at


class NoReplyAddress(Exception):
    """The requester has no e-mail address, so the peer could not reply."""


def recipient_language(user) -> str:
    """The language an e-mail to `user` is written in: theirs (`partnership.preferences`)."""
    return language_of(user)


# --- Who is shown ----------------------------------------------------------------------------


def latest_approved_scores() -> Subquery:
    """The approved scores of the offer's authority's latest approved assessment."""
    latest = Assessment.objects.filter(
        authority_id=OuterRef("authority_id"), status=Assessment.Status.APPROVED
    ).order_by("-cycle")
    return Subquery(latest.values("approved_scores")[:1], output_field=JSONField())


def latest_approved_cycle() -> Subquery:
    latest = Assessment.objects.filter(
        authority_id=OuterRef("authority_id"), status=Assessment.Status.APPROVED
    ).order_by("-cycle")
    return Subquery(latest.values("cycle")[:1])


def _contact_is_valid(offer: LearningPeerOffer) -> bool:
    return bool(offer.contact_id and getattr(offer, "contact_is_officer", False))


def offers_with_bands(queryset: QuerySet[LearningPeerOffer] | None = None):
    """Open offers with the latest approved scores and cycle of their authority (one query)."""
    queryset = queryset if queryset is not None else LearningPeerOffer.objects.all()
    officer = Membership.objects.filter(
        authority_id=OuterRef("authority_id"),
        user_id=OuterRef("contact_id"),
        user__is_active=True,
    ).exclude(user__email="")
    return (
        queryset.filter(withdrawn_at__isnull=True)
        .select_related("authority", "action", "contact")
        .annotate(
            latest_scores=latest_approved_scores(),
            latest_cycle=latest_approved_cycle(),
            contact_is_officer=Exists(officer),
        )
        .order_by("action__number", "authority__name")
    )


@dataclass(frozen=True)
class LearningPeer:
    """An offer as other authorities see it: the authority, its band (never its score)."""

    offer_id: int
    action: int
    authority_id: int
    authority_name: str
    country: str
    population_band: PopulationBand
    band: scoring.Band | None  # of the latest approved assessment in this Action
    cycle: int | None  # of that assessment
    practice_note: str
    contact_name: str
    shown: bool
    requests_received: int = 0  # annotated for coordinators only

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def band_label(self) -> str:
        from assessment.wording import band_label

        return band_label(self.band)

    @classmethod
    def of(cls, offer: LearningPeerOffer) -> "LearningPeer":
        number = offer.action.number
        band = FrozenScores.from_dict(getattr(offer, "latest_scores", None)).action(number).band
        contact = offer.contact
        return cls(
            offer_id=offer.pk,
            action=number,
            authority_id=offer.authority_id,
            authority_name=offer.authority.name,
            country=offer.authority.country,
            population_band=offer.authority.population_band,
            band=band,
            cycle=getattr(offer, "latest_cycle", None),
            practice_note=offer.practice_note,
            contact_name=(contact.get_full_name() or contact.username) if contact else "",
            shown=band in SHOWN_BANDS and _contact_is_valid(offer),
            requests_received=getattr(offer, "requests_received", 0),
        )


def open_peers(queryset: QuerySet[LearningPeerOffer] | None = None) -> list[LearningPeer]:
    """Every open offer, shown or not (coordinators see them all)."""
    return [LearningPeer.of(offer) for offer in offers_with_bands(queryset)]


def shown_peer(offer_id: int, *, requester_authority: UrbanAuthority) -> LearningPeer:
    """The offer if it is shown to `requester_authority` now; PeerUnavailable otherwise."""
    offer = offers_with_bands(LearningPeerOffer.objects.filter(pk=offer_id)).first()
    peer = LearningPeer.of(offer) if offer else None
    if peer is None or not peer.shown or peer.authority_id == requester_authority.pk:
        raise PeerUnavailable
    return peer


def ranked(
    peers: Iterable[LearningPeer], *, authority: UrbanAuthority, own_band: scoring.Band | None
) -> list[LearningPeer]:
    """Shown peers for `authority` at least at `own_band`, in the order they are proposed."""
    floor = _BAND_RANK[own_band] if own_band is not None else 0
    candidates = [
        peer
        for peer in peers
        if peer.shown
        and peer.authority_id != authority.pk
        and peer.band is not None
        and _BAND_RANK[peer.band] >= floor
    ]
    return sorted(
        candidates,
        key=lambda peer: (
            peer.population_band != authority.population_band,
            peer.country != authority.country,
            -_BAND_RANK[peer.band] if peer.band else 0,
            peer.authority_name,
        ),
    )


@dataclass(frozen=True)
class ActionPeers:
    """The peers proposed for one Action of the results page."""

    action: int
    title: str
    peers: tuple[LearningPeer, ...]


def proposals_for(*, assessment: Assessment, actions: Sequence) -> list[ActionPeers]:
    """Up to three peers per Action of `actions` (results' ActionResult) that has something to
    improve, for `assessment`'s authority (one query, whatever the number of peers)."""
    wanted = [action for action in actions if action.improvements]
    if not wanted:
        return []
    by_action: dict[int, list[LearningPeer]] = {}
    offers = LearningPeerOffer.objects.filter(
        action__number__in=[a.number for a in wanted]
    ).exclude(authority_id=assessment.authority_id)
    for peer in open_peers(offers):
        by_action.setdefault(peer.action, []).append(peer)
    authority = assessment.authority
    return [
        ActionPeers(
            action=action.number,
            title=action.title,
            peers=tuple(
                ranked(by_action.get(action.number, []), authority=authority, own_band=action.band)[
                    :PEERS_PER_ACTION
                ]
            ),
        )
        for action in wanted
    ]


# --- Offering and withdrawing ----------------------------------------------------------------


def authority_officers(authority: UrbanAuthority) -> QuerySet:
    """The users who may be an offer's contact: the authority's active officers."""
    return (
        get_user_model()
        .objects.filter(memberships__authority=authority, is_active=True)
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


@dataclass(frozen=True)
class OfferState:
    """One Action on an authority's own page: its band, its open offer, whether it is shown."""

    action: Action
    band: scoring.Band | None
    cycle: int | None
    offer: LearningPeerOffer | None
    peer: LearningPeer | None

    @property
    def band_label(self) -> str:
        from assessment.wording import band_label

        return band_label(self.band)

    @property
    def band_is_shown(self) -> bool:
        return self.band in SHOWN_BANDS


def offer_states(authority: UrbanAuthority) -> list[OfferState]:
    """Every Action with the authority's latest approved band and its open offer (3 queries)."""
    latest = (
        Assessment.objects.filter(authority=authority, status=Assessment.Status.APPROVED)
        .order_by("-cycle")
        .values("cycle", "approved_scores")
        .first()
    )
    scores = FrozenScores.from_dict(latest["approved_scores"] if latest else None)
    offers = {
        offer.action_id: offer
        for offer in offers_with_bands(LearningPeerOffer.objects.filter(authority=authority))
    }
    states = []
    for action in Action.objects.order_by("number"):
        offer = offers.get(action.pk)
        states.append(
            OfferState(
                action=action,
                band=scores.action(action.number).band
                if action.number in scoring.ACTIONS
                else None,
                cycle=latest["cycle"] if latest else None,
                offer=offer,
                peer=LearningPeer.of(offer) if offer else None,
            )
        )
    return states


@transaction.atomic
def opt_in(
    *, authority: UrbanAuthority, action: Action, practice_note: str, contact, by
) -> LearningPeerOffer:
    """Offer `authority` for `action`, or change the note and contact of its open offer."""
    offer = (
        LearningPeerOffer.objects.select_for_update()
        .open()
        .filter(authority=authority, action=action)
        .first()
    )
    if offer is None:
        return LearningPeerOffer.objects.create(
            authority=authority,
            action=action,
            practice_note=practice_note,
            contact=contact,
            created_by=by,
        )
    offer.practice_note = practice_note
    offer.contact = contact
    offer.save(update_fields=["practice_note", "contact", "updated_at"])
    return offer


def withdraw(*, authority: UrbanAuthority, action: Action, by) -> bool:
    """Withdraw the open offer, if any (True when one was withdrawn)."""
    return bool(
        LearningPeerOffer.objects.open()
        .filter(authority=authority, action=action)
        .update(withdrawn_at=timezone.now(), withdrawn_by=by)
    )


# --- Asking a peer ---------------------------------------------------------------------------


def requests_left(user) -> int:
    since = timezone.now() - PEER_REQUEST_WINDOW
    sent = PeerRequest.objects.filter(requester=user, created_at__gte=since).count()
    return max(0, PEER_REQUEST_LIMIT - sent)


def _check_rate(user) -> None:
    """Refuse once the user sent the limit in the window (call with the user's row locked)."""
    since = timezone.now() - PEER_REQUEST_WINDOW
    sent = list(
        PeerRequest.objects.filter(requester=user, created_at__gte=since)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(sent) >= PEER_REQUEST_LIMIT:
        raise TooManyRequests(sent[len(sent) - PEER_REQUEST_LIMIT] + PEER_REQUEST_WINDOW)


def send_request(
    *, offer_id: int, requester, requester_authority: UrbanAuthority, message: str
) -> PeerRequest:
    """Log the request and e-mail the peer's contact on commit (see the module)."""
    if not requester.email:
        raise NoReplyAddress
    with transaction.atomic():
        # The requester's row, locked: parallel posts of one user are counted one after another.
        get_user_model().objects.select_for_update().filter(pk=requester.pk).first()
        _check_rate(requester)
        peer = shown_peer(offer_id, requester_authority=requester_authority)
        offer = LearningPeerOffer.objects.select_related("contact", "action").get(pk=offer_id)
        logged = PeerRequest.objects.create(
            offer=offer, requester=requester, requester_authority=requester_authority
        )
        contact = offer.contact
        transaction.on_commit(
            lambda: _mail_peer(
                contact=contact,
                peer=peer,
                action=offer.action,
                requester=requester,
                requester_authority=requester_authority,
                message=message,
            )
        )
    return logged


def _mail_peer(
    *, contact, peer: LearningPeer, action: Action, requester, requester_authority, message: str
) -> None:
    with translation.override(recipient_language(contact)):
        values = {
            "name": requester.get_full_name() or requester.username,
            "authority": requester_authority.name,
            "country": country_name(requester_authority.country),
            "peer": peer.authority_name,
            "number": action.number,
            "title": str(action.tr.final_title),
            "message": message,
            "url": absolute(reverse("assessment:learning_peers", args=[peer.authority_id])),
        }
        subject = _("%(authority)s asks you about Action %(number)s") % values
        body = (
            _(
                "%(name)s of %(authority)s (%(country)s) found %(peer)s on the Security in Public "
                'Spaces portal as a peer to learn from in Action %(number)s, "%(title)s", and '
                "writes:\n\n%(message)s\n\n"
                "Reply to this e-mail to answer %(name)s directly: your reply goes to their "
                "address, not to the portal.\n\n"
                "You receive this because %(peer)s is offered as a peer to learn from in this "
                "Action, with you as its contact. To change the contact or withdraw the offer: "
                "%(url)s"
            )
            % values
        )
    send(subject, body, [contact.email], reply_to=[requester.email])


# --- The coordinators' view ------------------------------------------------------------------


@dataclass(frozen=True)
class MonthlyRequests:
    action: int
    month: dt.date
    requests: int


def requests_by_action_and_month() -> list[MonthlyRequests]:
    """How many requests were sent, per Action and calendar month (one query)."""
    rows = (
        PeerRequest.objects.annotate(month=TruncMonth("created_at"))
        .values("offer__action__number", "month")
        .annotate(requests=Count("pk"))
        .order_by("-month", "offer__action__number")
    )
    return [
        MonthlyRequests(
            action=row["offer__action__number"],
            month=row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"],
            requests=row["requests"],
        )
        for row in rows
    ]


def peers_with_requests() -> list[LearningPeer]:
    """Every open offer, shown or not, with the requests it received (one query)."""
    return open_peers(LearningPeerOffer.objects.annotate(requests_received=Count("requests")))


def open_peers_by_action() -> list[tuple[Action, list[LearningPeer]]]:
    """Every Action with its open offers, shown or not, and their requests (two queries)."""
    peers = peers_with_requests()
    return [
        (action, [peer for peer in peers if peer.action == action.number])
        for action in Action.objects.order_by("number")
    ]
