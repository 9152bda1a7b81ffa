"""The PDF benchmark report of an assessment, for the same people as its results page.

A request never renders a PDF: it serves the stored bytes of a ready report, or a page that
says the report is being prepared by a task worker (see `assessment.report_store`).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from assessment import report, report_store
from assessment.access import get_assessment_for_user

# The "being prepared" page asks again this often (meta refresh without JS, htmx with it).
REFRESH_SECONDS = 3


@login_required
@require_GET
def report_pdf(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk)
    previous = request.GET.get("previous") == "1"
    download = previous or (not request.htmx and request.GET.get("wait") != "1")
    state = report_store.state_for(assessment, language=get_language(), with_pdf=download)
    if previous:
        if state.report_id is None:
            raise Http404
        return pdf_response(report_store.stored_pdf(state))
    if state.is_ready and download:
        return pdf_response(report_store.stored_pdf(state))
    context = {"assessment": assessment, "state": state, "refresh_seconds": REFRESH_SECONDS}
    if state.has_failed:
        return render(request, "assessment/report_error.html", context, status=503)
    if request.htmx:
        return render(request, "assessment/_report_status.html", context)
    return render(
        request, "assessment/report_preparing.html", context, status=200 if state.is_ready else 202
    )


def pdf_response(stored) -> HttpResponse:
    content = bytes(stored.pdf)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=stored.filename
    )
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-cache"
    response["X-Report-Hash"] = stored.content_hash[: report.SHORT_HASH_LENGTH]
    return response
