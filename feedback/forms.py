"""Forms of the public side (comment, report, page vote) and of moderation."""

from functools import cached_property

from django import forms
from django.core import signing
from django.urls import Resolver404, resolve
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from feedback.antispam import (
    FORM_SALT,
    HONEYPOT_FIELD,
    form_token_is_spent,
    form_token_problem,
    issue_form_token,
    text_hash,
)
from feedback.conf import setting
from feedback.models import (
    OTHER_COUNTRY,
    Comment,
    FeedbackRound,
    OfficialResponse,
    OutcomeSummary,
    Report,
    RespondentType,
)
from partnership.countries import country_choices
from partnership.forms import LanguageSelect, language_choices
from portal.content_translations import LanguageMarkedSelect, prefixed

COMMENT_MIN, COMMENT_MAX = 10, 5000
# Pages that carry the "Was this page useful?" widget, by URL name.
USEFUL_PAGES = {
    "portal:home",
    "actions:list",
    "actions:detail",
    "partnership:about",
    "partnership:privacy",
    "partnership:accessibility",
}


def add_bootstrap_classes(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, forms.HiddenInput):
            continue
        else:
            css = "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class SpamProtectedForm(forms.Form):
    """A public form with a honeypot and a signed "shown at" timestamp.

    `form_token` is not a declared field: templates render `form.token`, which keeps the
    posted token when it is still valid and unspent, so the wait counts from when the form was
    first shown; a spent or broken token is replaced by a fresh one.
    """

    purpose = ""
    honeypot_message = _(
        "This form could not be accepted because a hidden field was filled in. "
        "If your browser fills forms automatically, please turn that off for "
        "this page and send again."
    )

    def __init__(self, *args, **kwargs):
        # Distinct ids per form: an Action page carries the comment and the page-vote forms.
        kwargs.setdefault("auto_id", f"{self.purpose}_%s")
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        add_bootstrap_classes(self)

    @property
    def honeypot(self):
        return self[HONEYPOT_FIELD]

    @cached_property
    def token(self) -> str:
        posted = self.data.get("form_token", "") if self.is_bound else ""
        if posted:
            try:
                data = signing.loads(
                    posted, salt=FORM_SALT, max_age=setting("FEEDBACK_FORM_MAX_AGE_SECONDS")
                )
            except signing.BadSignature:
                data = {}
            if data.get("p") == self.purpose and not form_token_is_spent(posted):
                return posted
        return issue_form_token(purpose=self.purpose)

    @property
    def posted_token(self) -> str:
        return self.data.get("form_token", "")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            raise forms.ValidationError(self.honeypot_message, code="honeypot")
        problem = form_token_problem(self.data.get("form_token", ""), purpose=self.purpose)
        if problem:
            raise forms.ValidationError(problem, code="timing")
        return cleaned


def feedback_country_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a country")), *country_choices(), OTHER_COUNTRY]


class CommentForm(SpamProtectedForm):
    purpose = "comment"

    body = forms.CharField(
        label=_("Your comment"),
        min_length=COMMENT_MIN,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Between 10 and 5,000 characters. It is shown as plain text."),
        error_messages={
            "required": _("Write your comment (at least 10 characters)."),
            "min_length": _(
                "Your comment is too short: write at least %(limit_value)d "
                "characters (it has %(show_value)d)."
            ),
            "max_length": _(
                "Your comment is too long: at most %(limit_value)d characters "
                "(it has %(show_value)d). Please shorten it."
            ),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of your comment"),
        required=False,
        choices=language_choices,
        widget=LanguageSelect,
        help_text=_("Your comment is shown as you wrote it, marked with this language."),
        error_messages={"invalid_choice": _("Choose one of the listed languages.")},
    )
    display_name = forms.CharField(
        label=_("Name to show with your comment (optional)"),
        required=False,
        max_length=80,
        help_text=_("Leave empty to appear as “Anonymous”."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        help_text=_(
            "Never shown. Used only to write to you about the moderation of your "
            "comment, and erased automatically after the round."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter a valid e-mail address, or leave it empty.")},
    )
    respondent_type = forms.ChoiceField(
        label=_("You are answering as"),
        choices=RespondentType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who you are answering as."),
            "invalid_choice": _("Choose one of the listed respondent types."),
        },
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=feedback_country_choices,
        error_messages={
            "required": _("Choose your country (or “Another country”)."),
            "invalid_choice": _("Choose a country from the list."),
        },
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my comment is processed as it describes."
        ),
        error_messages={"required": _("To send a comment, you must agree to the privacy notice.")},
    )

    def __init__(self, *args, round: FeedbackRound, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.round, self.action = round, action
        self.fields["language"].initial = get_language()

    def clean_language(self) -> str:
        """The page's language when none is posted (an older form, a script)."""
        return self.cleaned_data["language"] or get_language()

    def clean_body(self):
        body = self.cleaned_data["body"]
        duplicate = Comment.objects.filter(
            round=self.round, action=self.action, content_hash=text_hash(body)
        )
        if duplicate.exists():
            raise forms.ValidationError(
                _(
                    "This comment has already been received for this Action; there is no need "
                    "to send it again."
                ),
                code="duplicate",
            )
        return body


class ReportForm(SpamProtectedForm):
    purpose = "report"

    reason = forms.ChoiceField(
        label=_("Why should the coordinators look at this comment?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a reason."),
            "invalid_choice": _("Choose one of the listed reasons."),
        },
    )


class UsefulForm(SpamProtectedForm):
    purpose = "useful"

    page = forms.CharField(max_length=200, widget=forms.HiddenInput)
    useful = forms.TypedChoiceField(
        label=_("Was this page useful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose yes or no."),
            "invalid_choice": _("Choose yes or no."),
        },
    )
    comment = forms.CharField(
        label=_("What could be better? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Please do not include personal details. At most 1,000 characters."),
    )

    def clean_page(self):
        path = self.cleaned_data["page"]
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is None or match.view_name not in USEFUL_PAGES:
            raise forms.ValidationError(_("This page does not take feedback."), code="page")
        return path

    def clean(self):
        cleaned = super().clean()
        from feedback.models import PageFeedback

        comment, path = cleaned.get("comment"), cleaned.get("page")
        if (
            comment
            and path
            and PageFeedback.objects.filter(path=path, comment_hash=text_hash(comment)).exists()
        ):
            self.add_error(
                "comment",
                forms.ValidationError(
                    _("This comment has already been received; thank you."), code="duplicate"
                ),
            )
        return cleaned


# --- Moderation -----------------------------------------------------------------------------


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)


class RejectForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the moderation log; not shown publicly."),
        error_messages={"required": _("Give a reason for rejecting this comment.")},
    )


class ResponseForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = OfficialResponse
        fields = ["body"]
        labels = {"body": _("Official response")}
        help_texts = {"body": _("Shown under the comment once it is published.")}
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"body": {"required": _("Write the response.")}}


class OutcomeForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = OutcomeSummary
        fields = ["body"]
        labels = {"body": _("What we changed after your feedback")}
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        error_messages = {"body": {"required": _("Write the outcome summary.")}}


class ModerationModeForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = FeedbackRound
        fields = ["moderation"]
        labels = {"moderation": _("Moderation")}


class CommentFilterForm(BootstrapMixin, forms.Form):
    """Filters of the moderation list and of the CSV export (GET parameters)."""

    QUEUES = [
        ("pending", _("Awaiting moderation")),
        ("reported", _("Reported")),
        ("all", _("All comments")),
    ]

    queue = forms.ChoiceField(label=_("Show"), choices=QUEUES, required=False)
    round = forms.ModelChoiceField(
        label=_("Round"),
        queryset=FeedbackRound.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All rounds"),
    )
    action = forms.ModelChoiceField(
        label=_("Action"),
        queryset=Action.objects.all(),
        to_field_name="number",
        required=False,
        empty_label=_("All Actions"),
        widget=LanguageMarkedSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Comment.Status.choices]
    )
    respondent_type = forms.ChoiceField(
        label=_("Respondent type"),
        required=False,
        choices=[("", _("Any type")), *RespondentType.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].label_from_instance = lambda action: prefixed(
            f"{action.number}. ", action.tr.final_title
        )

    def filter(self, queryset, *, default_queue: str = "pending"):
        """Apply the valid filters to a Comment queryset (call after is_valid())."""
        from django.db.models import Exists, OuterRef

        data = self.cleaned_data
        queue = data.get("queue") or default_queue
        if queue == "pending":
            queryset = queryset.filter(status=Comment.Status.PENDING)
        elif queue == "reported":
            open_reports = Report.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True)
            queryset = queryset.filter(Exists(open_reports))
        if data.get("round"):
            queryset = queryset.filter(round=data["round"])
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("respondent_type"):
            queryset = queryset.filter(respondent_type=data["respondent_type"])
        return queryset
