"""The partnership's public pages: who the partners are, their meetings, and page texts."""

from django.db.models import Prefetch
from django.shortcuts import render

from partnership.models import ContentBlock, Meeting, MeetingSession, PartnerOrganisation


def partnership_page(request):
    sessions = MeetingSession.objects.prefetch_related("actions").order_by("date", "position")
    meetings = Meeting.objects.prefetch_related(Prefetch("sessions", queryset=sessions))
    members = PartnerOrganisation.objects.select_related("authority")
    return render(
        request,
        "partnership/about.html",
        {
            "intro": ContentBlock.objects.filter(key="partnership-intro").first(),
            "priorities": ContentBlock.objects.filter(key="priority-areas").first(),
            "coordinators": [m for m in members if m.role == PartnerOrganisation.Role.COORDINATOR],
            "member_groups": group_members(members),
            "meetings": meetings,
        },
    )


def group_members(members) -> list[tuple[str, list[PartnerOrganisation]]]:
    groups = []
    for kind, label in PartnerOrganisation.Kind.choices:
        in_kind = [m for m in members if m.kind == kind]
        if in_kind:
            groups.append((label, in_kind))
    return groups


def content_page(request, key: str):
    block = ContentBlock.objects.filter(key=key).first()
    return render(request, "partnership/content_page.html", {"page": block})


def privacy(request):
    return content_page(request, "privacy-notice")


def accessibility(request):
    return content_page(request, "accessibility-statement")
