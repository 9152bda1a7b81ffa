"""The officers' questionnaire: dashboard, start a cycle, section pages, saving, submitting.

Reading: officers of the authority and coordinators (others get 404). Changing answers,
starting and submitting: the authority's officers only (coordinators 403, others 404).
Anonymous users are sent to the login page; a save posted after the session expired is kept
in the session and applied once they are back (see `save` and `section`).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessment import workflow
from assessment.access import get_assessment_for_user, get_editable_assessment
from assessment.answers.progress import Progress, progress_for
from assessment.answers.saving import NotEditable, Outcome, PostedAnswers, save_posted_answers
from assessment.answers.section_page import saved_items, section_page
from assessment.answers.stash import pop_stash, stash_answers
from assessment.cycles import NoQuestionnaire, current_cycle, dashboard_for, start_assessment
from assessment.forms import StartAssessmentForm, SubmitForm
from assessment.models import Assessment, Item, ItemComment
from assessment.wording import code_prefix
from partnership.models import UrbanAuthority
from partnership.roles import is_coordinator

READ_ONLY = gettext_lazy(
    "This assessment has been submitted, so its answers can no longer be changed."
)


def officer_assessment(user, pk: int) -> Assessment:
    """For changes: the authority's officers only (403 for coordinators, 404 for others)."""
    if is_coordinator(user):
        raise PermissionDenied
    return get_editable_assessment(user, pk)


def can_edit(user, assessment: Assessment) -> bool:
    """Officers (never coordinators) edit drafts and returned assessments they can see."""
    return assessment.is_editable and not is_coordinator(user)


def section_url(assessment_pk: int, action: int) -> str:
    return reverse("assessment:section", args=[assessment_pk, action])


def post_by_logged_in_user(on_anonymous):
    """Login-and-method check: anonymous users get `on_anonymous(request, ...)`, GET a 405."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return on_anonymous(request, *args, **kwargs)
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        return checked

    return decorator


def htmx_redirect(url: str) -> HttpResponse:
    response = HttpResponse(status=200)
    response["HX-Redirect"] = url
    return response


# --- Dashboard and starting a cycle ----------------------------------------------------------


@login_required
def dashboard(request):
    if is_coordinator(request.user):
        return redirect("assessment:coordinator_dashboard")
    return render(
        request,
        "assessment/dashboard.html",
        {
            "rows": dashboard_for(user=request.user),
            "cycle": current_cycle(),
        },
    )


@post_by_logged_in_user(lambda request: redirect_to_login(reverse("assessment:dashboard")))
def start(request):
    """Start the current cycle's assessment, or show the one that already exists."""
    if is_coordinator(request.user):
        raise PermissionDenied
    form = StartAssessmentForm(request.POST)
    if not form.is_valid():
        raise Http404
    authority = get_object_or_404(
        UrbanAuthority.objects.filter(memberships__user=request.user),
        pk=form.cleaned_data["authority"],
    )
    try:
        result = start_assessment(
            authority=authority, by=request.user, copy_previous=form.cleaned_data["copy_previous"]
        )
    except NoQuestionnaire:
        messages.error(request, _("No questionnaire is published yet; ask the coordinators."))
        return redirect("assessment:dashboard")
    assessment = result.assessment
    names = {"authority": authority.name, "cycle": assessment.cycle}
    if not result.created:
        messages.info(
            request,
            _("The %(cycle)s assessment of %(authority)s already exists: here it is.") % names,
        )
    elif result.copied:
        messages.success(
            request,
            ngettext(
                "The %(cycle)s assessment has started with %(count)d answer copied from the "
                "previous cycle: review it and update what has changed.",
                "The %(cycle)s assessment has started with %(count)d answers copied from the "
                "previous cycle: review them and update what has changed.",
                result.copied,
            )
            % {**names, "count": result.copied},
        )
    else:
        messages.success(
            request, _("The %(cycle)s assessment of %(authority)s has started.") % names
        )
    return redirect(assessment)


# --- Overview and submission -----------------------------------------------------------------


@login_required
def overview(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk)
    return render_overview(request, assessment)


def render_overview(request, assessment: Assessment, *, missing: Progress | None = None):
    progress = progress_for(assessment)
    comment_counts = dict(
        ItemComment.objects.filter(assessment=assessment)
        .values("item__section_id")
        .annotate(n=Count("pk"))
        .values_list("item__section_id", "n")
    )
    missing_sections = [
        (sp, [(code, code_prefix(code)) for code in sp.missing_codes])
        for sp in (missing.incomplete_sections if missing else [])
    ]
    return render(
        request,
        "assessment/overview.html",
        {
            "assessment": assessment,
            "progress": progress,
            "sections": [(sp, comment_counts.get(sp.section.pk, 0)) for sp in progress.sections],
            "editable": can_edit(request.user, assessment),
            "is_coordinator": is_coordinator(request.user),
            "events": assessment.events.select_related("actor"),
            "submit_form": SubmitForm(initial={"revision": assessment.revision}),
            "missing_sections": missing_sections,
        },
    )


@post_by_logged_in_user(
    lambda request, pk: redirect_to_login(reverse("assessment:overview", args=[pk]))
)
def submit(request, pk: int):
    """Submit for review: once, even on a double click or two colleagues at the same moment."""
    assessment = officer_assessment(request.user, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("The page was out of date: check the assessment and submit again.")
        )
        return redirect(assessment)
    try:
        workflow.submit(
            assessment=assessment, by=request.user, expected_revision=form.cleaned_data["revision"]
        )
    except workflow.TransitionError as error:
        if error.reasons:
            messages.error(request, error.message)
            return render_overview(request, assessment, missing=progress_for(assessment))
        messages.warning(request, error.message)
        return redirect(assessment)
    messages.success(
        request,
        _(
            "Submitted for review. The coordinators have been told; the "
            "answers are now read-only unless they return it to you."
        ),
    )
    return redirect(assessment)


# --- Section pages and saving ----------------------------------------------------------------


@login_required
def section(request, pk: int, action: int):
    assessment = get_assessment_for_user(request.user, pk)
    if is_coordinator(request.user):
        return render_section(request, assessment, action)
    stash = pop_stash(request.session, assessment_id=assessment.pk)
    if stash is None:
        return render_section(request, assessment, action)
    if stash.action != action:
        # Apply it on the page it was typed on.
        stash_answers(
            request.session, assessment_id=assessment.pk, action=stash.action, data=stash.data
        )
        return redirect(section_url(assessment.pk, stash.action))
    return apply_stash(request, assessment, action, stash.data)


def apply_stash(request, assessment: Assessment, action: int, data: dict[str, str]):
    """Save what was posted while the session had expired, now that the officer is back."""
    items = section_items(assessment, action)
    try:
        posted = save_posted_answers(assessment=assessment, items=items, data=data, by=request.user)
    except NotEditable:
        messages.error(
            request,
            _(
                "Your session had expired, and meanwhile the assessment was "
                "submitted, so the answers you had typed could not be saved."
            ),
        )
        return render_section(request, assessment, action)
    if posted.flagged:
        messages.warning(
            request,
            _(
                "Your session had expired. The answers you had typed were "
                "kept: check the questions marked below, the others are "
                "saved."
            ),
        )
        return render_section(request, assessment, action, posted=posted)
    count = len(posted.result.saved)
    messages.success(
        request,
        ngettext(
            "Your session had expired; the answer you had typed is now saved.",
            "Your session had expired; the %(count)d answers you had typed are now saved.",
            count,
        )
        % {"count": count},
    )
    return render_section(request, assessment, action)


def section_items(assessment: Assessment, action: int) -> list[Item]:
    items = list(
        Item.objects.filter(
            questionnaire_id=assessment.questionnaire_id, section__action__number=action
        )
        .select_related("questionnaire")
        .order_by("position")
    )
    if not items:
        raise Http404
    return items


def stash_and_log_in(request, pk: int, action: int):
    """The session expired: keep the posted answers and send the officer to log in."""
    next_url = section_url(pk, action)
    if request.method == "POST" and stash_answers(
        request.session, assessment_id=pk, action=action, data=request.POST.dict()
    ):
        messages.warning(
            request,
            _(
                "Your session had expired, so your latest answers are not "
                "saved yet. Log in again and they will be saved."
            ),
        )
    login_url = redirect_to_login(next_url).url
    return htmx_redirect(login_url) if request.htmx else redirect(login_url)


@post_by_logged_in_user(stash_and_log_in)
def save(request, pk: int, action: int):
    """Save the posted answers of one section (the whole form, or one item from htmx)."""
    assessment = officer_assessment(request.user, pk)
    items = section_items(assessment, action)
    try:
        posted = save_posted_answers(
            assessment=assessment, items=items, data=request.POST, by=request.user
        )
    except NotEditable:
        messages.error(request, READ_ONLY)
        url = section_url(assessment.pk, action)
        return htmx_redirect(url) if request.htmx else redirect(url)
    if request.htmx:
        return render_saved_items(request, assessment, action, posted)
    if posted.flagged:
        return render_section(request, assessment, action, posted=posted)
    saved_at = posted.result.saved_at
    if saved_at:
        messages.success(
            request,
            _("Your answers were saved at %(time)s.")
            % {"time": time_format(timezone.localtime(saved_at), "H:i")},
        )
    else:
        messages.info(request, _("There was nothing new to save."))
    kept = [r.item.code for r in posted.result.results if r.outcome == Outcome.KEPT_THEIRS]
    if kept:
        messages.info(
            request,
            _("Your colleague's answer was kept for %(codes)s.") % {"codes": ", ".join(kept)},
        )
    return redirect(section_url(assessment.pk, action))


def render_section(
    request, assessment: Assessment, action: int, *, posted: PostedAnswers | None = None
):
    editable = can_edit(request.user, assessment)
    page = section_page(assessment=assessment, action=action, editable=editable, posted=posted)
    if page is None:
        raise Http404
    return render(
        request,
        "assessment/section.html",
        {
            "assessment": assessment,
            "progress": page.progress,
            "current": page.current,
            "section": page.current.section,
            "cards": page.cards,
            "editable": editable,
            "save_url": reverse("assessment:save", args=[assessment.pk, action]),
            "flagged": page.flagged,
            "saved_at": posted.result.saved_at if posted else None,
            "previous_section": page.previous_section,
            "next_section": page.next_section,
        },
    )


def render_saved_items(request, assessment: Assessment, action: int, posted: PostedAnswers):
    """The htmx answer to an autosave: out-of-band updates of the items, progress and status."""
    saved = saved_items(assessment=assessment, action=action, posted=posted)
    return render(
        request,
        "assessment/_saved_items.html",
        {
            "assessment": assessment,
            "progress": saved.progress,
            "current": saved.current,
            "whole": saved.whole,
            "light": saved.light,
            "flagged": saved.flagged,
            "saved_at": posted.result.saved_at,
            "save_url": reverse("assessment:save", args=[assessment.pk, action]),
            "editable": True,
        },
    )
