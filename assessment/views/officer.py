from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessment.access import get_assessment_for_user
from assessment.models import Assessment


@login_required
def dashboard(request):
    assessments = Assessment.objects.visible_to(request.user).select_related("authority")
    return render(request, "assessment/dashboard.html", {"assessments": assessments})


@login_required
def overview(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk)
    return render(request, "assessment/overview.html", {"assessment": assessment})


@login_required
def results(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk)
    return render(request, "assessment/overview.html", {"assessment": assessment})
