"""The improvement plan of one assessment, and the coordinators' counts of the field's plans.

Reading a plan: the authority's officers and coordinators (others 404, as for answers).
Changing it: the authority's officers only (coordinators 403, others 404), in every status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from assessment.access import get_assessment_for_user
from assessment.benchmark import MIN_PEERS, suppressed_message
from assessment.plan_figures import plan_figures, plan_figures_csv
from assessment.plan_page import plan_page, preview_targets, save_posted_plan
from assessment.views.officer import officer_assessment, post_by_logged_in_user
from partnership.roles import is_coordinator, require_coordinator


def plan_url(pk: int) -> str:
    return reverse("assessment:plan", args=[pk])


def render_plan(request, page, *, status: int = 200):
    return render(
        request,
        "assessment/plan.html",
        {
            "assessment": page.results.assessment,
            "page": page,
            "plan": page.plan,
            "results": page.results,
            "suppressed_message": suppressed_message(),
        },
        status=status,
    )


@login_required
@require_GET
def plan(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk)
    can_edit = not is_coordinator(request.user)
    return render_plan(
        request, plan_page(assessment, can_edit=can_edit, add=request.GET.get("add", ""))
    )


@post_by_logged_in_user(lambda request, pk: redirect_to_login(plan_url(pk)))
def plan_save(request, pk: int):
    """Save the posted rows (POST/redirect/GET); rows refused or in conflict come back as
    typed, with the colleague's change beside them."""
    assessment = officer_assessment(request.user, pk)
    saved = save_posted_plan(assessment=assessment, data=request.POST, by=request.user)
    count = len(saved.result.saved)
    if count:
        messages.success(
            request,
            ngettext("Saved %(count)d target.", "Saved %(count)d targets.", count)
            % {"count": count},
        )
    if not saved.flagged:
        if not count:
            messages.info(request, _("Nothing to save: the plan is as it was."))
        return redirect(plan_url(pk))
    messages.error(
        request,
        _("Some rows were not saved: see the messages beside them. What you typed is kept."),
    )
    return render_plan(request, plan_page(assessment, can_edit=True, flagged=saved.flagged))


@post_by_logged_in_user(lambda request, pk: redirect_to_login(plan_url(pk)))
def plan_preview(request, pk: int):
    """The what-if for the rows as posted, saving nothing: htmx posts the form here as targets
    change and swaps in the table; without htmx (no JS never gets here, but a direct post
    may) the whole page comes back with the preview. Invalid rows are left out of the
    preview; saving shows their messages."""
    assessment = officer_assessment(request.user, pk)
    results = preview_targets(assessment, request.POST)
    if not request.htmx:
        return render_plan(request, plan_page(assessment, can_edit=True, results=results))
    return render(
        request,
        "assessment/_plan_whatif.html",
        {
            "plan": results.plan,
            "results": results,
            "preview": True,
            "suppressed_message": suppressed_message(),
        },
    )


@require_GET
@login_required
def coordinator_plans(request):
    require_coordinator(request.user)
    figures = plan_figures(cycle=_cycle(request))
    return render(
        request,
        "assessment/coordinator/plans.html",
        {"figures": figures, "min_authorities": MIN_PEERS},
    )


@require_GET
@login_required
@cache_control(private=True, no_store=True)
def export_plans(request):
    require_coordinator(request.user)
    return plan_figures_csv(plan_figures(cycle=_cycle(request)))


def _cycle(request) -> int | None:
    value = request.GET.get("cycle", "")
    return int(value) if value.isdigit() and len(value) == 4 else None
