"""Saving answers: many at once, in one transaction, never silently over a colleague's save.

Every answer carries a `version`. A form sends back the version its values were based on and
a fingerprint of those values, so the server can tell three cases apart:

- the officer did not touch the item: nothing is written, whatever a colleague did meanwhile;
- the officer changed it and nobody else saved it since: it is saved (version + 1);
- the officer changed it and a colleague saved it since: it is a *conflict*, nothing is written,
  and the page shows both values until the officer keeps theirs ("mine") or the colleague's.

The kept answers of an expired session are in `assessment.answers.stash`. The same rule
(`decide`) guards the targets of an improvement plan (`assessment.plans`).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Protocol

from django.db import IntegrityError, transaction
from django.db.models import F, TextChoices
from django.utils import timezone

from assessment.answers.forms import AnswerForm
from assessment.answers.values import AnswerValues, Choice, PostedItem
from assessment.models import EDITABLE_STATUSES, Answer, Assessment, Item
from assessment.wording import item_prefix


class Outcome(TextChoices):
    SAVED = "saved", "saved"
    UNCHANGED = "unchanged", "unchanged"  # already equal to the stored answer
    UNTOUCHED = "untouched", "untouched"  # the user did not change it; a colleague may have
    KEPT_THEIRS = "kept_theirs", "kept theirs"
    CONFLICT = "conflict", "conflict"


class Posted(Protocol):
    """What `decide` reads of a posted row: an answer's `PostedItem`, a plan's `PostedTarget`."""

    @property
    def values(self) -> object: ...
    @property
    def version(self) -> int: ...
    @property
    def in_conflict(self) -> bool: ...
    @property
    def resolve(self) -> str: ...
    @property
    def changed_by_user(self) -> bool: ...


def decide(
    posted_item: Posted,
    *,
    current: object,
    current_version: int,
    saved_by_same_user: bool = False,
) -> Outcome:
    """What to do with one posted item, given the stored answer (pure; see the module doc).

    A newer version saved by the same user (another tab, an autosave still on its way when
    the page was left) is not a conflict: only a colleague's save is protected.
    """
    if posted_item.values == current:
        return Outcome.UNCHANGED
    if posted_item.resolve == Choice.THEIRS:
        return Outcome.KEPT_THEIRS
    if posted_item.in_conflict and posted_item.resolve != Choice.MINE:
        return Outcome.CONFLICT
    if not posted_item.changed_by_user and posted_item.resolve != Choice.MINE:
        return Outcome.UNTOUCHED
    if posted_item.version != current_version and not saved_by_same_user:
        return Outcome.CONFLICT
    return Outcome.SAVED


@dataclass(frozen=True)
class ItemResult:
    posted_item: PostedItem
    outcome: Outcome
    answer: Answer | None  # the stored answer after the save (the colleague's on a conflict)

    @property
    def item(self) -> Item:
        return self.posted_item.item


@dataclass
class SaveResult:
    results: list[ItemResult] = field(default_factory=list)
    saved_at: datetime | None = None

    @property
    def conflicts(self) -> list[ItemResult]:
        return [r for r in self.results if r.outcome == Outcome.CONFLICT]

    @property
    def saved(self) -> list[ItemResult]:
        return [r for r in self.results if r.outcome == Outcome.SAVED]

    def by_item_id(self) -> dict[int, ItemResult]:
        return {r.item.pk: r for r in self.results}


class NotEditable(Exception):
    """The assessment was submitted (or approved) meanwhile: answers are read-only."""


def save_answers(*, assessment: Assessment, by, posted: Iterable[PostedItem]) -> SaveResult:
    """Apply the posted items in one transaction, with a fixed number of queries.

    Raises NotEditable when the assessment is no longer a draft or returned.
    """
    posted = list(posted)
    try:
        return _save_once(assessment, by, posted)
    except IntegrityError:
        # Two first saves of the same item raced (PostgreSQL): the retry sees the other row
        # and reports a conflict or an equal value.
        return _save_once(assessment, by, posted)


def _save_once(assessment: Assessment, by, posted: list[PostedItem]) -> SaveResult:
    now = timezone.now()
    with transaction.atomic():
        # The conditional UPDATE checks the status and locks the row until the answers are
        # written: a concurrent submission, or another save of this assessment, waits.
        editable = Assessment.objects.filter(pk=assessment.pk, status__in=EDITABLE_STATUSES)
        if not editable.update(updated_at=F("updated_at")):
            raise NotEditable
        if not posted:
            return SaveResult(saved_at=None)
        stored = {
            a.item_id: a
            for a in Answer.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .filter(assessment=assessment, item_id__in=[s.item.pk for s in posted])
        }
        result = SaveResult()
        to_create, to_update = [], []
        for posted_item in posted:
            answer = stored.get(posted_item.item.pk)
            outcome = decide(
                posted_item,
                current=AnswerValues.of(answer),
                current_version=answer.version if answer else 0,
                saved_by_same_user=bool(answer and by and answer.updated_by_id == by.pk),
            )
            if outcome == Outcome.SAVED:
                if answer is None:
                    answer = Answer(assessment=assessment, item=posted_item.item, version=1)
                    to_create.append(answer)
                else:
                    answer.version += 1
                    to_update.append(answer)
                posted_item.values.apply_to(answer)
                answer.updated_by = by
                answer.updated_at = now
            result.results.append(ItemResult(posted_item, outcome, answer))
        if to_create:
            Answer.objects.bulk_create(to_create)
        if to_update:
            Answer.objects.bulk_update(
                to_update,
                [*(f.name for f in fields(AnswerValues)), "version", "updated_by", "updated_at"],
            )
        if result.saved:
            result.saved_at = now
            editable.update(updated_at=now)
        return result


# --- Saving what was posted ----------------------------------------------------------------


@dataclass
class PostedAnswers:
    """The forms of every posted item (rebound on a conflict) and what the save did."""

    forms: dict[int, AnswerForm]
    result: SaveResult

    @property
    def flagged(self) -> dict[int, AnswerForm]:
        """The items to show again with the user's input: invalid, or in conflict."""
        return {pk: form for pk, form in self.forms.items() if form.is_flagged()}


def save_posted_answers(*, assessment: Assessment, items: list[Item], data, by) -> PostedAnswers:
    """Validate every posted item of `items`; save the valid ones; keep the rest for display.

    An item counts as posted when its `<prefix>-version` field is present, so the whole
    section form and an htmx post of a single item go through the same path.
    """
    forms_by_item = {
        item.pk: AnswerForm(data, item=item)
        for item in items
        if f"{item_prefix(item)}-version" in data
    }
    valid = [form for form in forms_by_item.values() if form.is_valid()]
    result = save_answers(
        assessment=assessment, by=by, posted=[form.posted_item() for form in valid]
    )
    for item_result in result.results:
        form = forms_by_item[item_result.item.pk]
        if item_result.outcome == Outcome.CONFLICT:
            form = form.rebound_for_conflict(item_result.answer)
            form.is_valid()
            forms_by_item[item_result.item.pk] = form
        else:
            form.conflict_state = False
    return PostedAnswers(forms_by_item, result)
