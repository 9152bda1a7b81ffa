"""The coordinators' translations page: how complete each language is, and its review mark."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from partnership.roles import require_coordinator
from portal.language_review import mark_reviewed, reviews
from portal.translation_status import language_status, translated_languages


class LanguageReviewForm(forms.Form):
    reviewed = forms.TypedChoiceField(
        label=_("Review by the partnership"),
        choices=[("yes", _("Reviewed by the partnership")), ("no", _("Not yet reviewed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


def _form(language: str, review, data=None) -> LanguageReviewForm:
    initial = {"reviewed": "yes" if review and review.reviewed else "no"}
    return LanguageReviewForm(data, initial=initial, auto_id=f"review_{language}_%s")


def _page(request, invalid: tuple[str, LanguageReviewForm] | None = None, status: int = 200):
    marks = reviews()
    rows = []
    for code, _name in translated_languages():
        form = invalid[1] if invalid and invalid[0] == code else _form(code, marks.get(code))
        rows.append({"status": language_status(code), "review": marks.get(code), "form": form})
    return render(request, "portal/translations.html", {"rows": rows}, status=status)


@login_required
@require_GET
def translations(request):
    require_coordinator(request.user)
    return _page(request)


@login_required
@require_POST
def review_language(request, language: str):
    require_coordinator(request.user)
    if language not in dict(translated_languages()):
        raise Http404
    form = _form(language, None, request.POST)
    if not form.is_valid():
        return _page(request, invalid=(language, form), status=400)
    mark_reviewed(language=language, reviewed=form.cleaned_data["reviewed"], by=request.user)
    messages.success(request, gettext("The review mark is saved."))
    return redirect("portal:translations")
