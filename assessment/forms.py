"""The officer's workflow forms: start an assessment, submit it."""

from django import forms
from django.utils.translation import gettext_lazy as _


class StartAssessmentForm(forms.Form):
    authority = forms.IntegerField(widget=forms.HiddenInput)
    copy_previous = forms.BooleanField(
        required=False,
        label=_("Start from last cycle's answers"),
        help_text=_(
            "Copies every answer and evidence note of your previous assessment; "
            "you then review and update them."
        ),
    )


class SubmitForm(forms.Form):
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
