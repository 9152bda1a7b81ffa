"""Peers to learn from: an authority's own offers, asking a peer, the coordinators' view.

Offering and withdrawing: the authority's own officers only (everyone else 404). Asking: an
officer of the assessment's authority, only a peer shown now (the rules are in
`assessment/learning_peers.py`). The coordinators' page and CSV files: coordinators only (403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions.models import Action
from assessment import learning_peers
from assessment.access import get_editable_assessment, get_own_authority
from assessment.forms import LearningPeerOfferForm, PeerRequestForm
from assessment.wording import band_label
from partnership.models import PopulationBand
from partnership.roles import require_coordinator
from portal.csv import csv_response


def _offer_form(authority, state, data=None) -> LearningPeerOfferForm:
    number = state.action.number
    initial = (
        {"contact": state.offer.contact_id, "practice_note": state.offer.practice_note}
        if (state.offer)
        else {}
    )
    return LearningPeerOfferForm(
        data,
        officers=learning_peers.authority_officers(authority),
        initial=initial,
        auto_id=f"peer_{number}_%s",
    )


def _render_offers(request, authority, *, bound=None, status: int = 200):
    """The authority's page: every Action with its band, its offer and its form."""
    rows = []
    for state in learning_peers.offer_states(authority):
        form = bound[1] if bound and bound[0] == state.action.number else None
        if form is None:
            form = _offer_form(authority, state)
            if not state.offer:
                form.initial["contact"] = request.user.pk
        rows.append((state, form))
    return render(
        request,
        "assessment/learning_peers.html",
        {"authority": authority, "rows": rows},
        status=status,
    )


@login_required
@require_GET
def offers(request, authority: int):
    return _render_offers(request, get_own_authority(request.user, authority))


@login_required
@require_POST
def offer(request, authority: int, action: int):
    own = get_own_authority(request.user, authority)
    chosen = get_object_or_404(Action, number=action)
    state = next(s for s in learning_peers.offer_states(own) if s.action.pk == chosen.pk)
    form = _offer_form(own, state, request.POST)
    if not form.is_valid():
        return _render_offers(request, own, bound=(chosen.number, form))
    learning_peers.opt_in(
        authority=own,
        action=chosen,
        practice_note=form.cleaned_data["practice_note"].strip(),
        contact=form.cleaned_data["contact"],
        by=request.user,
    )
    messages.success(
        request,
        _("Saved: %(authority)s is offered as a peer to learn from in Action %(number)s.")
        % {"authority": own.name, "number": chosen.number},
    )
    return redirect(reverse("assessment:learning_peers", args=[own.pk]) + f"#action-{action}")


@login_required
@require_POST
def withdraw(request, authority: int, action: int):
    own = get_own_authority(request.user, authority)
    chosen = get_object_or_404(Action, number=action)
    if learning_peers.withdraw(authority=own, action=chosen, by=request.user):
        messages.success(
            request,
            _("Withdrawn: %(authority)s is no longer shown as a peer in Action %(number)s.")
            % {"authority": own.name, "number": chosen.number},
        )
    else:
        messages.info(
            request,
            _("%(authority)s was not offered in Action %(number)s.")
            % {
                "authority": own.name,
                "number": chosen.number,
            },
        )
    return redirect(reverse("assessment:learning_peers", args=[own.pk]) + f"#action-{action}")


def _render_ask(request, assessment, peer, form, *, status: int = 200, problem: str = ""):
    return render(
        request,
        "assessment/ask_peer.html",
        {
            "assessment": assessment,
            "peer": peer,
            "form": form,
            "problem": problem,
            "requests_left": learning_peers.requests_left(request.user),
            "limit": learning_peers.PEER_REQUEST_LIMIT,
        },
        status=status,
    )


UNAVAILABLE_STATUS = 410


@login_required
@require_http_methods(["GET", "POST"])
def ask(request, pk: int, offer: int):
    assessment = get_editable_assessment(request.user, pk)
    unavailable = _(
        "This peer is no longer offered for this Action (the offer was withdrawn or its "
        "latest approved score is below Established). Your message was not sent."
    )
    try:
        peer = learning_peers.shown_peer(offer, requester_authority=assessment.authority)
    except learning_peers.PeerUnavailable:
        form = PeerRequestForm(request.POST or None)
        return _render_ask(
            request, assessment, None, form, status=UNAVAILABLE_STATUS, problem=unavailable
        )
    if request.method == "GET":
        return _render_ask(request, assessment, peer, PeerRequestForm())
    form = PeerRequestForm(request.POST)
    if not form.is_valid():
        return _render_ask(request, assessment, peer, form)
    try:
        learning_peers.send_request(
            offer_id=peer.offer_id,
            requester=request.user,
            requester_authority=assessment.authority,
            message=form.cleaned_data["message"].strip(),
        )
    except learning_peers.PeerUnavailable:
        return _render_ask(
            request, assessment, None, form, status=UNAVAILABLE_STATUS, problem=unavailable
        )
    except learning_peers.TooManyRequests as refused:
        when = formats.date_format(timezone.localtime(refused.retry_at), "DATETIME_FORMAT")
        problem = _(
            "You have sent %(limit)s messages to peers in the last 24 hours, the most the "
            "portal allows. You can send this one after %(when)s; it is kept below."
        ) % {"limit": learning_peers.PEER_REQUEST_LIMIT, "when": when}
        return _render_ask(request, assessment, peer, form, status=429, problem=problem)
    except learning_peers.NoReplyAddress:
        problem = _(
            "Your account has no e-mail address, so the peer could not reply to you. Ask a "
            "coordinator to add one; your message is kept below."
        )
        return _render_ask(request, assessment, peer, form, problem=problem)
    messages.success(
        request,
        _(
            "Your message was sent to the contact of %(peer)s. Their reply will come to your "
            "e-mail address."
        )
        % {"peer": peer.authority_name},
    )
    return redirect(reverse("assessment:results", args=[assessment.pk]) + "#learn-from-peers")


# --- Coordinators ----------------------------------------------------------------------------


@login_required
@require_GET
def coordinator_peers(request):
    require_coordinator(request.user)
    return render(
        request,
        "assessment/coordinator/learning_peers.html",
        {
            "by_action": learning_peers.open_peers_by_action(),
            "monthly": learning_peers.requests_by_action_and_month(),
        },
    )


@login_required
@require_GET
@cache_control(private=True, no_store=True)
def export_peers(request):
    require_coordinator(request.user)
    rows = (
        [
            peer.action,
            peer.authority_name,
            peer.country,
            str(PopulationBand(peer.population_band).label),
            band_label(peer.band) if peer.band else "",
            peer.cycle,
            peer.shown,
            peer.contact_name,
            peer.practice_note,
            peer.requests_received,
        ]
        for peer in learning_peers.peers_with_requests()
    )
    return csv_response(
        filename="learning-peers.csv",
        header=[
            _("Action"),
            _("Authority"),
            _("Country"),
            _("Population band"),
            _("Latest approved band"),
            _("Cycle of that band"),
            _("Shown to officers"),
            _("Contact"),
            _("Practice note"),
            _("Requests received"),
        ],
        rows=rows,
    )


@login_required
@require_GET
@cache_control(private=True, no_store=True)
def export_peer_requests(request):
    require_coordinator(request.user)
    return csv_response(
        filename="peer-requests.csv",
        header=[_("Action"), _("Month"), _("Requests sent")],
        rows=(
            [row.action, row.month.strftime("%Y-%m"), row.requests]
            for row in learning_peers.requests_by_action_and_month()
        ),
    )
