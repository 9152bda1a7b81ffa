"""What visitors do without an account: comment, report, vote on a page, read summaries."""

from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions.models import Action
from feedback.antispam import SPENT_MESSAGE, FormTokenSpent, count_post, reporter_hash
from feedback.forms import CommentForm, ReportForm, UsefulForm
from feedback.models import Comment, FeedbackRound
from feedback.panel import round_notice_context
from feedback.rounds import open_round_for
from feedback.submissions import (
    DuplicateSubmission,
    file_report,
    record_page_feedback,
    submit_comment,
)
from feedback.summary import round_summary

THANKS_SALT = "feedback.thanks"
THANKS_MAX_AGE = 7 * 24 * 60 * 60
# The receipt lets the reporter who hid a comment (the third one) see their thank-you page.
RECEIPT_SALT = "feedback.report-receipt"
RECEIPT_MAX_AGE = 60 * 60


def _page_or_partial(request, page: str, partial: str, context: dict, status: int = 200):
    return render(request, partial if request.htmx else page, context, status=status)


def rate_limited(request, decision, *, text: str = ""):
    """429 with when to retry; what the visitor typed is shown back so it is not lost."""
    context = {
        "retry_at": decision.retry_at,
        "retry_minutes": max(1, round(decision.retry_after_seconds / 60)),
        "typed_text": text,
        "unavailable": decision.unavailable,
    }
    response = _page_or_partial(
        request,
        "feedback/rate_limited.html",
        "feedback/_rate_limited.html",
        context,
        status=503 if decision.unavailable else 429,
    )
    response["Retry-After"] = str(decision.retry_after_seconds)
    return response


@require_http_methods(["GET", "POST"])
def comment(request, number: int):
    """The comment form of an Action (also embedded in the Action page, which posts here)."""
    action = get_object_or_404(Action, number=number)
    feedback_round = open_round_for(action, timezone.now())
    context = {"action": action, **round_notice_context(action)}
    if feedback_round is None:
        context["typed_text"] = request.POST.get("body", "")  # shown back, never stored
        status = 403 if request.method == "POST" else 200
        return _page_or_partial(
            request,
            "feedback/comment_form.html",
            "feedback/_round_notice.html",
            context,
            status=status,
        )
    if request.method == "GET":
        context["form"] = CommentForm(round=feedback_round, action=action)
        return render(request, "feedback/comment_form.html", context)

    decision = count_post(request, scope="comment")
    if not decision.allowed:
        return rate_limited(request, decision, text=request.POST.get("body", ""))
    form = CommentForm(request.POST, round=feedback_round, action=action)
    if form.is_valid():
        data = form.cleaned_data
        try:
            stored = submit_comment(
                round=feedback_round,
                action=action,
                body=data["body"],
                display_name=data["display_name"],
                email=data["email"],
                respondent_type=data["respondent_type"],
                country=data["country"],
                language=data["language"],
                form_token=form.posted_token,
            )
        except DuplicateSubmission:
            form.add_error(
                "body",
                _(
                    "This comment has already been received for this Action; "
                    "there is no need to send it again."
                ),
            )
        except FormTokenSpent:
            form.add_error(None, SPENT_MESSAGE)
        else:
            if request.htmx:
                return render(
                    request, "feedback/_confirmation.html", {"comment": stored, "action": action}
                )
            token = signing.dumps(stored.pk, salt=THANKS_SALT)
            return redirect("feedback:thanks", token=token)
    context["form"] = form
    return _page_or_partial(
        request, "feedback/comment_form.html", "feedback/_comment_form.html", context, status=422
    )


@require_GET
def thanks(request, token: str):
    try:
        pk = signing.loads(token, salt=THANKS_SALT, max_age=THANKS_MAX_AGE)
    except signing.BadSignature as error:
        raise Http404 from error
    stored = get_object_or_404(Comment.objects.select_related("action", "round"), pk=pk)
    return render(
        request, "feedback/confirmation.html", {"comment": stored, "action": stored.action}
    )


@require_http_methods(["GET", "POST"])
def report(request, pk: int):
    """Report a published comment (spam, offensive, off-topic)."""
    reported = get_object_or_404(
        Comment.objects.select_related("action", "round"), pk=pk, status=Comment.Status.PUBLISHED
    )
    form = ReportForm()
    status = 200
    if request.method == "POST":
        decision = count_post(request, scope="report")
        if not decision.allowed:
            return rate_limited(request, decision)
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                file_report(
                    comment=reported,
                    reason=form.cleaned_data["reason"],
                    reporter=reporter_hash(request),
                    form_token=form.posted_token,
                )
            except DuplicateSubmission:
                form.add_error(
                    None,
                    _("You have already reported this comment. The coordinators will look at it."),
                )
            except FormTokenSpent:
                form.add_error(None, SPENT_MESSAGE)
            else:
                receipt = signing.dumps(reported.pk, salt=RECEIPT_SALT)
                done = reverse("feedback:report_done", args=[reported.pk])
                return redirect(f"{done}?{urlencode({'receipt': receipt})}")
        status = 422
    return render(
        request, "feedback/report_form.html", {"comment": reported, "form": form}, status=status
    )


def _holds_receipt(request, pk: int) -> bool:
    try:
        return (
            signing.loads(
                request.GET.get("receipt", ""), salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE
            )
            == pk
        )
    except signing.BadSignature:
        return False


@require_GET
def report_done(request, pk: int):
    """404 for a comment that is not public, unless this visitor has just reported it (their
    report may be the one that hid it): the page must not confirm that a comment exists."""
    comments = Comment.objects.select_related("action")
    if not _holds_receipt(request, pk):
        comments = comments.filter(status=Comment.Status.PUBLISHED)
    reported = get_object_or_404(comments, pk=pk)
    return render(request, "feedback/report_done.html", {"action": reported.action})


@require_POST
def useful(request):
    """The "Was this page useful?" widget posts here (htmx swaps the widget, else a page)."""
    decision = count_post(request, scope="useful")
    if not decision.allowed:
        return rate_limited(request, decision, text=request.POST.get("comment", ""))
    form = UsefulForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_page_feedback(
                path=data["page"],
                useful=data["useful"],
                comment=data["comment"].strip(),
                form_token=form.posted_token,
            )
        except DuplicateSubmission:
            form.add_error("comment", _("This comment has already been received; thank you."))
        except FormTokenSpent:
            form.add_error(None, SPENT_MESSAGE)
        else:
            if request.htmx:
                return render(request, "feedback/_useful_thanks.html", {"next": data["page"]})
            query = urlencode({"next": data["page"]})
            return redirect(f"{reverse('feedback:useful_thanks')}?{query}")
    return _page_or_partial(
        request,
        "feedback/useful_form.html",
        "feedback/_useful_form.html",
        {"useful_form": form},
        status=422,
    )


@require_GET
def useful_thanks(request):
    target = request.GET.get("next", "")
    if not (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        target = "/"
    return render(request, "feedback/useful_thanks.html", {"next": target})


@require_GET
def round_list(request):
    rounds = FeedbackRound.objects.prefetch_related("actions").order_by("-opens_at")
    page = Paginator(rounds, 20).get_page(request.GET.get("page"))
    return render(request, "feedback/round_list.html", {"rounds": page, "now": timezone.now()})


@require_GET
def round_detail(request, slug: str):
    """Public summary of a round: counts per Action and respondent type, and the outcomes."""
    feedback_round = get_object_or_404(FeedbackRound, slug=slug)
    return render(
        request,
        "feedback/round_summary.html",
        {
            "summary": round_summary(feedback_round),
            "feedback_round": feedback_round,
            "now": timezone.now(),
        },
    )
