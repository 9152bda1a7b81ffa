"""The officer's forms: start an assessment, submit it, offer a peer, ask a peer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.learning_peer_models import PRACTICE_NOTE_MAX_LENGTH
from assessment.learning_peers import MESSAGE_MAX_LENGTH, MESSAGE_MIN_LENGTH


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


class LearningPeerOfferForm(forms.Form):
    """Offer one's authority as a peer for one Action: a practice note and a contact."""

    practice_note = forms.CharField(
        label=_("What worked for us (optional)"),
        required=False,
        max_length=PRACTICE_NOTE_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 3, "maxlength": PRACTICE_NOTE_MAX_LENGTH, "class": "form-control"}
        ),
        error_messages={
            "max_length": _(
                "Keep the practice note to %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )
    contact: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=None,
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select w-auto"}),
        help_text=_(
            "One of your authority's officers: requests are e-mailed to them; their address "
            "is never shown."
        ),
        error_messages={
            "invalid_choice": _("Choose one of your authority's officers as the contact."),
            "required": _("Choose one of your authority's officers as the contact."),
        },
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = officers
        self.fields["practice_note"].help_text = str(
            _("Shown as written to other authorities' officers, at most %(limit)s characters.")
        ) % {"limit": PRACTICE_NOTE_MAX_LENGTH}
        self.fields["contact"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )


class PeerRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        min_length=MESSAGE_MIN_LENGTH,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 6, "maxlength": MESSAGE_MAX_LENGTH, "class": "form-control"}
        ),
        help_text=_(
            "Say what you would like to learn. The peer's contact receives it by e-mail with "
            "your name and authority, and replies to your e-mail address."
        ),
        error_messages={
            "required": _("Write a message to the peer."),
            "min_length": _(
                "Write at least %(limit_value)d characters, so the peer knows what you ask "
                "(it has %(show_value)d)."
            ),
            "max_length": _(
                "Keep the message to %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
