"""What a coordinator needs to review one assessment, and the comments they leave on items.

`review_for` gathers the answers by section with their comments, the event history and the
changes since the last return in a fixed number of queries. The status changes themselves
(return, approve) are in `assessment.workflow`.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import (
    Answer,
    Assessment,
    AssessmentEvent,
    Item,
    ItemComment,
    Section,
)
from assessment.overview import Cell, cells_for
from assessment.scores import FrozenScores, scores_of_record
from assessment.wording import item_anchor, level_descriptor, review_value
from assessment.workflow import answer_fields
from partnership.roles import is_coordinator

Status = Assessment.Status
COMMENT_MAX_LENGTH = 2000
RETURN_COMMENT_MAX_LENGTH = 5000
# Coordinators comment on items while the officers can still act on the comments.
COMMENTABLE = (Status.SUBMITTED, Status.RETURNED)


class ReviewError(Exception):
    """The review action is not possible; the message says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RevisionField(forms.IntegerField):
    """The revision of the assessment the page was built from (a stale page is refused)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(
            min_value=1,
            error_messages={
                "required": gettext_lazy("This page is incomplete; reload it and try again."),
                "invalid": gettext_lazy("This page is incomplete; reload it and try again."),
                "min_value": gettext_lazy("This page is incomplete; reload it and try again."),
            },
            **kwargs,
        )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What needs to change"),
        help_text=gettext_lazy("Sent to the officers by e-mail and shown on their pages."),
        max_length=RETURN_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        error_messages={
            "required": gettext_lazy("Say what needs to change: returning requires a comment.")
        },
    )
    revision = RevisionField()


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Note for the record (optional)"),
        required=False,
        max_length=RETURN_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    revision = RevisionField()


class ItemCommentForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=gettext_lazy("Comment on this question"),
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Write a comment before adding it.")},
    )


# --- Changes since the return -----------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ItemChange:
    item: Item
    changes: list[FieldChange]

    @property
    def anchor(self) -> str:
        return item_anchor(self.item)


def item_changes(item: Item, before: dict | None, after: dict | None) -> list[FieldChange]:
    """The fields of one answer that differ between two `answer_fields` dicts."""
    before, after = before or {}, after or {}
    pairs = [
        (_("Answer"), review_value(item, before), review_value(item, after)),
        (_("Evidence note"), before.get("evidence_note") or "", after.get("evidence_note") or ""),
        (_("Evidence link"), before.get("evidence_url") or "", after.get("evidence_url") or ""),
    ]
    return [FieldChange(label, old or "—", new or "—") for label, old, new in pairs if old != new]


def changes_since(
    snapshot: dict, items: list[Item], answers: dict[int, Answer]
) -> list[ItemChange]:
    """Answers that differ from `snapshot` (item code -> answer_fields), in questionnaire order."""
    result = []
    for item in items:
        answer = answers.get(item.pk)
        changes = item_changes(
            item, snapshot.get(item.code), answer_fields(answer) if answer else None
        )
        if changes:
            result.append(ItemChange(item, changes))
    return result


def last_return(events: list[AssessmentEvent]) -> AssessmentEvent | None:
    returns = [e for e in events if e.to_status == Status.RETURNED and e.kind == e.Kind.STATUS]
    return returns[-1] if returns else None


def changes_since_return(*, assessment: Assessment) -> list[ItemChange] | None:
    """What the officers changed since the last return; None if it was never returned."""
    return review_for(assessment=assessment).changes


# --- The review page ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    item: Item
    answer: Answer | None
    value: str
    descriptor: str
    comments: list[ItemComment]
    changed: bool

    @property
    def anchor(self) -> str:
        return item_anchor(self.item)


@dataclass(frozen=True)
class ReviewSection:
    section: Section
    items: list[ReviewItem]


@dataclass(frozen=True)
class Review:
    assessment: Assessment
    sections: list[ReviewSection]
    events: list[AssessmentEvent]
    last_return: AssessmentEvent | None
    changes: list[ItemChange] | None

    @property
    def can_decide(self) -> bool:
        return self.assessment.status == Status.SUBMITTED

    @property
    def can_comment(self) -> bool:
        return self.assessment.status in COMMENTABLE

    @property
    def scores(self) -> FrozenScores | None:
        return scores_of_record(self.assessment)

    @property
    def score_cells(self) -> tuple[Cell, list[Cell]]:
        return cells_for(self.scores)


def events_for(*, assessment: Assessment) -> list[AssessmentEvent]:
    """The full history, oldest first, with who acted (one query)."""
    return list(AssessmentEvent.objects.filter(assessment=assessment).select_related("actor"))


def review_for(*, assessment: Assessment) -> Review:
    """Everything the review page shows (five queries whatever the size)."""
    sections = list(
        Section.objects.filter(questionnaire_id=assessment.questionnaire_id)
        .select_related("action")
        .prefetch_related(
            Prefetch(
                "items", queryset=Item.objects.select_related("questionnaire").order_by("position")
            )
        )
    )
    answers = {a.item_id: a for a in Answer.objects.filter(assessment=assessment)}
    by_item = ItemComment.objects.grouped_by_item(assessment)
    events = events_for(assessment=assessment)
    returned = last_return(events)
    items = [item for section in sections for item in section.items.all()]
    changes = (
        changes_since(returned.answers_snapshot or {}, items, answers)
        if returned is not None
        else None
    )
    changed_ids = {change.item.pk for change in changes or []}
    review_sections = [
        ReviewSection(
            section,
            [
                ReviewItem(
                    item=item,
                    answer=answers.get(item.pk),
                    value=review_value(
                        item, answer_fields(answers[item.pk]) if item.pk in answers else None
                    ),
                    descriptor=level_descriptor(item, answers.get(item.pk)),
                    comments=by_item.get(item.pk, []),
                    changed=item.pk in changed_ids,
                )
                for item in section.items.all()
            ],
        )
        for section in sections
    ]
    return Review(
        assessment=assessment,
        sections=review_sections,
        events=events,
        last_return=returned,
        changes=changes,
    )


# --- Item comments -----------------------------------------------------------------------


def comments_for_item(*, assessment: Assessment, item: Item) -> list[ItemComment]:
    return list(
        ItemComment.objects.filter(assessment=assessment, item=item).select_related("author")
    )


def item_for_comment(*, assessment: Assessment, item_id) -> Item:
    """The item (`item_id` as posted) of this assessment's questionnaire, or ReviewError."""
    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        pk = None
    item = (
        Item.objects.filter(pk=pk, questionnaire_id=assessment.questionnaire_id).first()
        if pk is not None
        else None
    )
    if item is None:
        raise ReviewError(_("This question is not part of the assessment."))
    return item


def add_item_comment(*, assessment: Assessment, item: Item, by, text: str) -> ItemComment:
    """A coordinator's comment on one item, while the officers can still act on it."""
    if by is None or not is_coordinator(by):
        raise ReviewError(_("Only partnership coordinators can comment on items."))
    if item.questionnaire_id != assessment.questionnaire_id:
        raise ReviewError(_("This question is not part of the assessment."))
    text = (text or "").strip()
    if not text:
        raise ReviewError(_("Write a comment before adding it."))
    if len(text) > COMMENT_MAX_LENGTH:
        raise ReviewError(
            _("Keep the comment under %(max)d characters.") % {"max": COMMENT_MAX_LENGTH}
        )
    status = Assessment.objects.filter(pk=assessment.pk).values_list("status", flat=True).first()
    if status not in COMMENTABLE:
        raise ReviewError(
            _(
                "Comments can be added only while an assessment is submitted or "
                "returned for changes; nothing was saved."
            )
        )
    return ItemComment.objects.create(assessment=assessment, item=item, author=by, text=text)
