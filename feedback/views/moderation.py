"""Coordinators' moderation: queue, decisions, answers, outcomes, exports, page votes.

Action leaders (users linked to an Action) see their Actions' comments and may answer them
and write outcomes; publish / reject / hide decisions and e-mail addresses are for
coordinators only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from feedback import moderation
from feedback.access import (
    can_answer,
    comments_visible_to,
    get_action_for_answer,
    get_comment_for_moderation,
    led_action_ids,
    require_moderation_access,
)
from feedback.exports import comments_csv
from feedback.forms import (
    CommentFilterForm,
    ModerationModeForm,
    OutcomeForm,
    RejectForm,
    ResponseForm,
)
from feedback.models import Comment, FeedbackRound, OutcomeSummary
from feedback.summary import usefulness_by_page
from partnership.roles import is_coordinator, require_coordinator

QUEUE_PAGE_SIZE = 50
AUTO_HIDDEN_SHOWN = 50
SIMPLE_DECISIONS = {
    "publish": (moderation.publish, gettext_lazy("The comment is published.")),
    "hide": (moderation.hide, gettext_lazy("The comment is hidden.")),
    "unhide": (moderation.unhide, gettext_lazy("The comment is visible again.")),
    "restore": (
        moderation.restore,
        gettext_lazy("The comment is published again; its reports are dismissed."),
    ),
    "keep": (
        moderation.keep_published,
        gettext_lazy("The reports are dismissed; the comment stays published."),
    ),
    "erase": (
        moderation.erase_personal_data,
        gettext_lazy("The comment's personal data is erased."),
    ),
}


@login_required
@require_GET
def queue(request):
    require_moderation_access(request.user)
    coordinator = is_coordinator(request.user)
    filters = CommentFilterForm(request.GET or None)
    comments = comments_visible_to(request.user)
    if filters.is_bound and not filters.is_valid():
        return render(
            request,
            "feedback/moderation/queue.html",
            {"filters": filters, "comments": None, "coordinator": coordinator},
            status=422,
        )
    if not filters.is_bound:
        filters = CommentFilterForm({"queue": "pending" if coordinator else "all"})
        filters.is_valid()
    comments = filters.filter(comments, default_queue="pending" if coordinator else "all")
    comments = (
        comments.select_related("round", "action", "response")
        .with_open_reports()
        .order_by("created_at", "id")
    )
    page = Paginator(comments, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/moderation/queue.html",
        {
            "filters": filters,
            "comments": page,
            "coordinator": coordinator,
            "query": query.urlencode(),
            "publish_decision": "publish",
            **(_auto_hidden_context() if coordinator else {}),
        },
    )


def _auto_hidden_context() -> dict:
    """Every comment that visitors' reports hid, above whatever queue is shown: each waits for
    a coordinator to restore it or confirm the hiding."""
    auto_hidden = Comment.objects.auto_hidden()
    return {
        "auto_hidden": list(auto_hidden[:AUTO_HIDDEN_SHOWN]),
        "auto_hidden_count": auto_hidden.count(),
    }


def _detail_context(request, comment, **forms) -> dict:
    response = getattr(comment, "response", None)
    reports = list(comment.reports.all())
    return {
        "comment": comment,
        "coordinator": is_coordinator(request.user),
        "can_answer": can_answer(request.user, comment.action),
        "reports": reports,
        "open_report_count": sum(1 for report in reports if report.resolved_at is None),
        "auto_hidden": moderation.is_auto_hidden(comment),
        "events": comment.events.select_related("actor"),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "response_form": forms.get("response_form") or ResponseForm(instance=response),
    }


@login_required
@require_GET
def comment_detail(request, pk: int):
    comment = get_comment_for_moderation(request.user, pk)
    return render(request, "feedback/moderation/comment.html", _detail_context(request, comment))


@login_required
@require_POST
def decide(request, pk: int, decision: str):
    comment = get_comment_for_moderation(request.user, pk)
    require_coordinator(request.user)
    if decision not in SIMPLE_DECISIONS:
        messages.error(request, _("Unknown decision."))
        return redirect("feedback:moderation_comment", pk=comment.pk)
    transition, done = SIMPLE_DECISIONS[decision]
    try:
        transition(comment=comment, by=request.user)
    except moderation.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    next_url = request.POST.get("next", "")
    if next_url.startswith(reverse("feedback:moderation")) and "//" not in next_url:
        return redirect(next_url)
    return redirect("feedback:moderation_comment", pk=comment.pk)


@login_required
@require_POST
def reject(request, pk: int):
    comment = get_comment_for_moderation(request.user, pk)
    require_coordinator(request.user)
    return _apply_comment_form(
        request,
        comment,
        RejectForm(request.POST),
        form_key="reject_form",
        act=lambda data: moderation.reject(comment=comment, by=request.user, reason=data["reason"]),
        done=_("The comment is rejected."),
    )


@login_required
@require_POST
def respond(request, pk: int):
    comment = get_comment_for_moderation(request.user, pk)
    if not can_answer(request.user, comment.action):
        return redirect("feedback:moderation_comment", pk=comment.pk)
    return _apply_comment_form(
        request,
        comment,
        ResponseForm(request.POST),
        form_key="response_form",
        act=lambda data: moderation.respond(
            comment=comment,
            by=request.user,
            body=data["body"],
            as_leader=not is_coordinator(request.user),
        ),
        done=_("The official response is saved."),
    )


def _apply_comment_form(request, comment, form, *, form_key: str, act, done):
    """Validate `form`; if valid, `act(cleaned_data)` and back to the comment; else 422."""
    if not form.is_valid():
        return render(
            request,
            "feedback/moderation/comment.html",
            _detail_context(request, comment, **{form_key: form}),
            status=422,
        )
    try:
        act(form.cleaned_data)
    except moderation.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("feedback:moderation_comment", pk=comment.pk)


@login_required
@require_GET
def rounds(request):
    require_moderation_access(request.user)
    coordinator = is_coordinator(request.user)
    all_rounds = list(FeedbackRound.objects.prefetch_related("actions").order_by("-opens_at"))
    led = led_action_ids(request.user)
    outcomes = {(o.round_id, o.action_id) for o in OutcomeSummary.objects.only("round", "action")}
    rows = [
        {
            "round": r,
            "mode_form": ModerationModeForm(instance=r, auto_id=f"mode_{r.pk}_%s"),
            "actions": [
                (a, (r.pk, a.pk) in outcomes) for a in r.actions.all() if coordinator or a.pk in led
            ],
        }
        for r in all_rounds
    ]
    return render(
        request, "feedback/moderation/rounds.html", {"rows": rows, "coordinator": coordinator}
    )


@login_required
@require_POST
def round_mode(request, slug: str):
    require_coordinator(request.user)
    feedback_round = get_object_or_404(FeedbackRound, slug=slug)
    form = ModerationModeForm(request.POST, instance=FeedbackRound(moderation=""))
    if form.is_valid():
        moderation.set_moderation_mode(
            round=feedback_round, by=request.user, mode=form.cleaned_data["moderation"]
        )
        messages.success(
            request,
            _("Moderation of “%(title)s”: %(mode)s.")
            % {"title": feedback_round.title, "mode": feedback_round.get_moderation_display()},
        )
    else:
        messages.error(request, _("Choose pre-moderation or post-moderation."))
    return redirect("feedback:moderation_rounds")


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request, slug: str, number: int):
    action = get_action_for_answer(request.user, number)
    feedback_round = get_object_or_404(FeedbackRound, slug=slug, actions=action)
    existing = OutcomeSummary.objects.filter(round=feedback_round, action=action).first()
    form = OutcomeForm(instance=existing)
    status = 200
    if request.method == "POST":
        form = OutcomeForm(request.POST, instance=existing)
        if form.is_valid():
            try:
                moderation.save_outcome(
                    round=feedback_round,
                    action=action,
                    by=request.user,
                    body=form.cleaned_data["body"],
                )
            except moderation.TransitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The outcome summary is saved."))
                return redirect("feedback:moderation_rounds")
        status = 422
    return render(
        request,
        "feedback/moderation/outcome.html",
        {
            "form": form,
            "feedback_round": feedback_round,
            "action": action,
        },
        status=status,
    )


@login_required
@require_GET
@cache_control(private=True, no_store=True)
def export(request):
    """Streamed CSV of the filtered comments; the e-mail column only for coordinators."""
    require_moderation_access(request.user)
    filters = CommentFilterForm(request.GET)
    if not filters.is_valid():
        return render(
            request,
            "feedback/moderation/queue.html",
            {"filters": filters, "comments": None, "coordinator": is_coordinator(request.user)},
            status=422,
        )
    comments = filters.filter(comments_visible_to(request.user), default_queue="all")
    return comments_csv(comments, include_email=is_coordinator(request.user))


@login_required
@require_GET
def page_feedback(request):
    """Summary of the "Was this page useful?" answers, with the latest comments."""
    require_coordinator(request.user)
    from feedback.models import PageFeedback

    latest = Paginator(PageFeedback.objects.exclude(comment=""), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "feedback/moderation/page_feedback.html",
        {"pages": usefulness_by_page(), "latest": latest},
    )
