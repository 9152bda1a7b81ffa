"""The results of one assessment: the page and the same data as JSON."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from assessment import charts, learning_peers
from assessment.access import get_assessment_for_user
from assessment.benchmark import suppressed_message
from assessment.results import results_for, results_json
from assessment.wording import band_ladder


@login_required
@require_GET
def results(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk)
    data = results_for(assessment)
    own_officer = assessment.authority.memberships.filter(user=request.user).exists()
    return render(
        request,
        "assessment/results.html",
        {
            "assessment": assessment,
            "results": data,
            "radar": charts.radar_chart(data),
            "overall_peers": charts.strips_for(data.overall_peers, data.overall),
            "action_rows": [
                (action, charts.strips_for(action.peers, action.score)) for action in data.actions
            ],
            "suppressed_message": suppressed_message(),
            "band_ladder": band_ladder(),
            # Only the authority's own officers are offered peers to ask.
            "learning_peers": learning_peers.proposals_for(
                assessment=assessment, actions=data.actions
            )
            if own_officer
            else None,
        },
    )


@login_required
@require_GET
@cache_control(private=True, no_store=True)
def results_as_json(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk)
    response = JsonResponse(
        results_json(results_for(assessment)),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'inline; filename="assessment-{assessment.pk}-results.json"'
    return response
