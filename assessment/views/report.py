"""The PDF benchmark report of an assessment, for the same people as its results page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from assessment import report
from assessment.access import get_assessment_for_user


@login_required
@require_GET
def report_pdf(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk)
    try:
        pdf = report.pdf_for(assessment)
    except report.ReportUnavailable:
        response = render(
            request, "assessment/report_error.html", {"assessment": assessment}, status=503
        )
        response["Retry-After"] = "60"
        return response
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=pdf.filename
    )
    response["Content-Length"] = str(len(pdf.content))
    response["Cache-Control"] = "private, no-cache"
    response["X-Report-Hash"] = pdf.hash[: report.SHORT_HASH_LENGTH]
    return response
