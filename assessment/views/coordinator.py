from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessment.access import get_assessment_for_user, require_coordinator
from assessment.models import Assessment


@login_required
def dashboard(request):
    require_coordinator(request.user)
    assessments = Assessment.objects.select_related("authority")
    return render(request, "assessment/dashboard.html", {"assessments": assessments})


@login_required
def review(request, pk: int):
    require_coordinator(request.user)
    assessment = get_assessment_for_user(request.user, pk)
    return render(request, "assessment/overview.html", {"assessment": assessment})
