"""The partnership's public pages (who the partners are, their meetings, page texts) and the
account's language."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.i18n import LANGUAGE_QUERY_PARAMETER, set_language

from partnership import preferences
from partnership.forms import LanguagePreferenceForm, language_name
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


@login_required
def language_preference(request):
    """ "Your language": the saved preference, which the interface and every e-mail follow."""
    if request.method == "POST":
        form = LanguagePreferenceForm(request.POST)
        if form.is_valid():
            language = form.cleaned_data["language"]
            preferences.save_language(user=request.user, language=language)
            preferences.remember_in_session(request, language)
            response = redirect("partnership:language")
            if language:
                translation.activate(language)
                messages.success(
                    request,
                    _("The portal and your e-mails are now in %(language)s.")
                    % {"language": language_name(language)},
                )
            else:
                # The browser's language takes over: the switcher's old choice is forgotten.
                response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
                messages.success(request, _("The portal now follows your browser's language."))
            return response
    else:
        form = LanguagePreferenceForm(
            initial={"language": preferences.saved_language(request.user) or ""}
        )
    return render(request, "partnership/language.html", {"form": form})


def switch_language(request):
    """The language menu of every page (Django's `set_language`: the cookie, and back to
    `next` only if it is on this site), which also saves the choice of a logged-in person."""
    response = set_language(request)
    if request.method != "POST":
        return response
    language = preferences.shipped_or_none(request.POST.get(LANGUAGE_QUERY_PARAMETER))
    if language is None:
        messages.error(request, _("That language is not offered here."))
    elif request.user.is_authenticated:
        preferences.save_language(user=request.user, language=language)
        preferences.remember_in_session(request, language)
    return response
