"""Coordinator pages: the field overview, the heatmap, the exports and the review of one assessment.

Every view calls an access function first: officers get 403 on the field pages and 404 on
an assessment's review pages (as for any other city's data); anonymous users the login page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from assessment import exports, overview, workflow
from assessment.access import get_assessment_for_review
from assessment.review import (
    COMMENTABLE,
    ApproveForm,
    ItemCommentForm,
    ReturnForm,
    ReviewError,
    add_item_comment,
    comments_for_item,
    item_for_comment,
    review_for,
)
from assessment.wording import band_ladder, item_anchor
from partnership.roles import require_coordinator

# Both decision forms are on the review page: distinct ids keep each label on its own field.
RETURN_IDS = "return_%s"
APPROVE_IDS = "approve_%s"


def query_without(request, *names: str) -> str:
    """The request's query string without `names` (e.g. the page, for links to other pages)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@require_GET
@login_required
def dashboard(request):
    require_coordinator(request.user)
    form = overview.filter_form(request.GET)
    filters = form.filters()
    return render(
        request,
        "assessment/coordinator/dashboard.html",
        {
            "form": form,
            "dashboard": overview.dashboard_page(filters=filters, page=request.GET.get("page")),
            "counts": overview.status_counts(filters=filters),
            "query": query_without(request, "page"),
            "status_query": query_without(request, "page", "status"),
            "filters": filters,
        },
    )


@require_GET
@login_required
def heatmap(request):
    require_coordinator(request.user)
    form, filters, cycles = overview.heatmap_filters(request.GET)
    return render(
        request,
        "assessment/coordinator/heatmap.html",
        {
            "form": form,
            "heatmap": overview.heatmap(filters=filters, page=request.GET.get("page")),
            "statistics": overview.action_statistics(filters=filters, cycles=cycles),
            "band_ladder": band_ladder(),
            "query": query_without(request, "page"),
            "filters": filters,
        },
    )


@require_GET
@login_required
@cache_control(private=True, no_store=True)
def export_scores(request):
    require_coordinator(request.user)
    return exports.scores_csv(filters=overview.filter_form(request.GET).filters())


@require_GET
@login_required
@cache_control(private=True, no_store=True)
def export_answers(request):
    require_coordinator(request.user)
    return exports.answers_csv(filters=overview.filter_form(request.GET).filters())


def render_review(
    request,
    assessment,
    *,
    return_form=None,
    approve_form=None,
    comment_error_item=None,
    comment_error="",
    comment_text="",
):
    """The review page; invalid forms re-render it with their errors (status 200)."""
    revision = {"revision": assessment.revision}
    return_form = return_form or ReturnForm(initial=revision, auto_id=RETURN_IDS)
    approve_form = approve_form or ApproveForm(initial=revision, auto_id=APPROVE_IDS)
    return render(
        request,
        "assessment/coordinator/review.html",
        {
            "assessment": assessment,
            "review": review_for(assessment=assessment),
            "return_form": return_form,
            "approve_form": approve_form,
            # A refused decision on a page that no longer shows the forms is reported on top.
            "decision_forms": [return_form, approve_form],
            "comment_error_item": comment_error_item,
            "comment_error": comment_error,
            "comment_text": comment_text,
        },
    )


@require_GET
@login_required
def review(request, pk: int):
    assessment = get_assessment_for_review(request.user, pk)
    return render_review(request, assessment)


def review_url(assessment, anchor: str = "") -> str:
    return reverse("assessment:review", args=[assessment.pk]) + (f"#{anchor}" if anchor else "")


def apply_transition(
    request, pk: int, *, form_class, auto_id: str, form_key: str, transition, success: str
):
    """Validate a review form and run `transition`; a refusal re-renders the page with it."""
    assessment = get_assessment_for_review(request.user, pk)
    form = form_class(request.POST, auto_id=auto_id)
    if form.is_valid():
        try:
            transition(
                assessment=assessment,
                by=request.user,
                comment=form.cleaned_data["comment"],
                expected_revision=form.cleaned_data["revision"],
            )
        except workflow.TransitionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, success)
            return redirect(review_url(assessment))
    return render_review(request, assessment, **{form_key: form})


@require_POST
@login_required
def review_return(request, pk: int):
    return apply_transition(
        request,
        pk,
        form_class=ReturnForm,
        auto_id=RETURN_IDS,
        form_key="return_form",
        transition=workflow.return_for_changes,
        success=_("Returned to the officers with your comment; they have been notified by e-mail."),
    )


@require_POST
@login_required
def review_approve(request, pk: int):
    return apply_transition(
        request,
        pk,
        form_class=ApproveForm,
        auto_id=APPROVE_IDS,
        form_key="approve_form",
        transition=workflow.approve,
        success=_(
            "Approved. Its scores are frozen and now count in the benchmarks; the "
            "officers have been notified by e-mail."
        ),
    )


@require_POST
@login_required
def review_comment(request, pk: int):
    """Add a comment to one item; htmx gets the item's comment block back, others a redirect."""
    assessment = get_assessment_for_review(request.user, pk)
    try:
        item = item_for_comment(assessment=assessment, item_id=request.POST.get("item"))
    except ReviewError as error:
        # No item to show the message next to: the page carries it.
        messages.error(request, error.message)
        if request.htmx:
            response = render(request, "includes/_messages.html")
            response["HX-Retarget"] = "#main"
            response["HX-Reswap"] = "afterbegin"
            return response
        return redirect(review_url(assessment))
    form = ItemCommentForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            add_item_comment(
                assessment=assessment, item=item, by=request.user, text=form.cleaned_data["text"]
            )
        except ReviewError as exc:
            error = exc.message
    else:
        error = " ".join(form.errors.get("text", [])) or _("Write a comment before adding it.")
    text = request.POST.get("text", "") if error else ""
    if request.htmx:
        assessment.refresh_from_db()
        return render(
            request,
            "assessment/coordinator/_item_comments.html",
            {
                "assessment": assessment,
                "item": item,
                "can_comment": assessment.status in COMMENTABLE,
                "comments": comments_for_item(assessment=assessment, item=item),
                "comment_error": error,
                "comment_text": text,
            },
        )
    if error:
        assessment.refresh_from_db()
        return render_review(
            request, assessment, comment_error_item=item.pk, comment_error=error, comment_text=text
        )
    messages.success(request, _("Comment added to %(code)s.") % {"code": item.code})
    return redirect(review_url(assessment, item_anchor(item)))
