"""Saving answers: many at once, in one transaction, never silently over a colleague's save.

Every answer carries a `version`. A form sends back the version its values were based on and
a fingerprint of those values, so the server can tell three cases apart:

- the officer did not touch the item: nothing is written, whatever a colleague did meanwhile;
- the officer changed it and nobody else saved it since: it is saved (version + 1);
- the officer changed it and a colleague saved it since: it is a *conflict*, nothing is written,
  and the page shows both values until the officer keeps theirs ("mine") or the colleague's.

The answers kept for a user whose session expired while typing also live here (`stash_*`).
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, TextChoices
from django.utils import timezone

from assessment.models import Answer, Assessment, Item

EDITABLE_STATUSES = (Assessment.Status.DRAFT, Assessment.Status.RETURNED)


@dataclass(frozen=True)
class AnswerValues:
    """What an officer can set on one answer; equal values mean nothing to save."""

    level: int | None = None
    yes: bool | None = None
    number: Decimal | None = None
    not_applicable: bool = False
    na_reason: str = ""
    evidence_note: str = ""
    evidence_url: str = ""

    @classmethod
    def of(cls, answer: Answer | None) -> "AnswerValues":
        if answer is None:
            return cls()
        return cls(
            level=answer.level,
            yes=answer.yes,
            number=normalise_number(answer.number),
            not_applicable=answer.not_applicable,
            na_reason=normalise_text(answer.na_reason),
            evidence_note=normalise_text(answer.evidence_note),
            evidence_url=answer.evidence_url or "",
        )

    def fingerprint(self) -> str:
        """A short digest of the values; the form sends it back to show what the user changed."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        canonical = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    @property
    def is_empty(self) -> bool:
        return self == AnswerValues()

    def apply_to(self, answer: Answer) -> None:
        for f in fields(self):
            setattr(answer, f.name, getattr(self, f.name))


def normalise_text(value: str | None) -> str:
    """Browsers post CRLF line endings; store and compare LF only."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def normalise_number(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


class Choice(TextChoices):
    """How the officer settled a conflict."""

    MINE = "mine", "mine"
    THEIRS = "theirs", "theirs"


@dataclass(frozen=True)
class Submission:
    """One item as posted: its new values and what the form was based on."""

    item: Item
    values: AnswerValues
    version: int  # the answer's version when the form was rendered; 0 = there was no answer
    loaded: str  # AnswerValues.fingerprint() of the values when the form was rendered
    in_conflict: bool = False  # the form was showing a conflict for this item
    resolve: str = ""  # Choice, when the officer settled the conflict

    @property
    def changed_by_user(self) -> bool:
        return self.values.fingerprint() != self.loaded


class Outcome(TextChoices):
    SAVED = "saved", "saved"
    UNCHANGED = "unchanged", "unchanged"  # already equal to the stored answer
    UNTOUCHED = "untouched", "untouched"  # the user did not change it; a colleague may have
    KEPT_THEIRS = "kept_theirs", "kept theirs"
    CONFLICT = "conflict", "conflict"


def decide(submission: Submission, *, current: AnswerValues, current_version: int,
           saved_by_same_user: bool = False) -> Outcome:
    """What to do with one posted item, given the stored answer (pure; see the module doc).

    A newer version saved by the same user (another tab, an autosave still on its way when
    the page was left) is not a conflict: only a colleague's save is protected.
    """
    if submission.values == current:
        return Outcome.UNCHANGED
    if submission.resolve == Choice.THEIRS:
        return Outcome.KEPT_THEIRS
    if submission.in_conflict and submission.resolve != Choice.MINE:
        return Outcome.CONFLICT
    if not submission.changed_by_user and submission.resolve != Choice.MINE:
        return Outcome.UNTOUCHED
    if submission.version != current_version and not saved_by_same_user:
        return Outcome.CONFLICT
    return Outcome.SAVED


@dataclass(frozen=True)
class ItemResult:
    submission: Submission
    outcome: Outcome
    answer: Answer | None  # the stored answer after the save (the colleague's on a conflict)

    @property
    def item(self) -> Item:
        return self.submission.item


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


def save_answers(*, assessment: Assessment, by, submissions: Iterable[Submission]) -> SaveResult:
    """Apply the submissions in one transaction, with a fixed number of queries.

    Raises NotEditable when the assessment is no longer a draft or returned.
    """
    submissions = list(submissions)
    try:
        return _save_once(assessment, by, submissions)
    except IntegrityError:
        # Two first saves of the same item raced (PostgreSQL): the retry sees the other row
        # and reports a conflict or an equal value.
        return _save_once(assessment, by, submissions)


def _save_once(assessment: Assessment, by, submissions: list[Submission]) -> SaveResult:
    now = timezone.now()
    with transaction.atomic():
        # The conditional UPDATE checks the status and locks the row until the answers are
        # written: a concurrent submission, or another save of this assessment, waits.
        editable = Assessment.objects.filter(pk=assessment.pk, status__in=EDITABLE_STATUSES)
        if not editable.update(updated_at=F("updated_at")):
            raise NotEditable
        if not submissions:
            return SaveResult(saved_at=None)
        stored = {
            a.item_id: a
            for a in Answer.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .filter(assessment=assessment, item_id__in=[s.item.pk for s in submissions])
        }
        result = SaveResult()
        to_create, to_update = [], []
        for submission in submissions:
            answer = stored.get(submission.item.pk)
            outcome = decide(
                submission,
                current=AnswerValues.of(answer),
                current_version=answer.version if answer else 0,
                saved_by_same_user=bool(answer and by and answer.updated_by_id == by.pk),
            )
            if outcome == Outcome.SAVED:
                if answer is None:
                    answer = Answer(assessment=assessment, item=submission.item, version=1)
                    to_create.append(answer)
                else:
                    answer.version += 1
                    to_update.append(answer)
                submission.values.apply_to(answer)
                answer.updated_by = by
                answer.updated_at = now
            result.results.append(ItemResult(submission, outcome, answer))
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


# --- Answers kept across a session expiry --------------------------------------------------

STASH_KEY = "pending_answers"
STASH_MAX_CHARS = 200_000


@dataclass(frozen=True)
class Stash:
    assessment_id: int
    action: int
    data: dict[str, str]


def stash_answers(session, *, assessment_id: int, action: int, data: dict[str, str]) -> bool:
    """Keep posted answer fields in the (anonymous) session until the user logs in again.

    Only fields that look like answer fields are kept, and only up to a size limit, so an
    anonymous visitor cannot fill the session store. Returns whether anything was kept.
    """
    kept = {k: v for k, v in data.items() if looks_like_answer_field(k) and isinstance(v, str)}
    pending = dict(session.get(STASH_KEY) or {})
    earlier = pending.get(str(assessment_id))
    if earlier and earlier.get("action") == action:
        # Several autosaves of the same page may arrive after expiry: keep them all.
        kept = {**earlier.get("data", {}), **kept}
    if not kept or sum(len(k) + len(v) for k, v in kept.items()) > STASH_MAX_CHARS:
        return False
    pending[str(assessment_id)] = {"action": action, "data": kept}
    session[STASH_KEY] = pending
    return True


def pop_stash(session, *, assessment_id: int) -> Stash | None:
    pending = dict(session.get(STASH_KEY) or {})
    entry = pending.pop(str(assessment_id), None)
    if entry is None:
        return None
    if pending:
        session[STASH_KEY] = pending
    else:
        session.pop(STASH_KEY, None)
    try:
        return Stash(assessment_id, int(entry["action"]), dict(entry["data"]))
    except (KeyError, TypeError, ValueError):
        return None


ANSWER_FIELD_SUFFIXES = (
    "level", "yes", "number", "not_applicable", "na_reason", "evidence_note", "evidence_url",
    "version", "loaded", "conflict", "resolve", "flagged",
)


def looks_like_answer_field(name: str) -> bool:
    prefix, _, suffix = name.rpartition("-")
    return bool(prefix) and len(prefix) <= 20 and suffix in ANSWER_FIELD_SUFFIXES

