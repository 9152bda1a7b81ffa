"""The values of one answer and one posted item: what the form gives and the save compares."""

import hashlib
import json
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.db.models import TextChoices

from assessment.models import Answer, Item


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
        return values_fingerprint(self)

    @property
    def is_empty(self) -> bool:
        return self == AnswerValues()

    def apply_to(self, answer: Answer) -> None:
        for f in fields(self):
            setattr(answer, f.name, getattr(self, f.name))


def values_fingerprint(values: Any) -> str:
    """A short digest of a dataclass of values (an answer's, a plan target's)."""
    data = {f.name: getattr(values, f.name) for f in fields(values)}
    canonical = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


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
class PostedItem:
    """One item as posted: its new values and what the form was based on.

    (Not "submission": submitting is what an officer does to a whole assessment.)
    """

    item: Item
    values: AnswerValues
    version: int  # the answer's version when the form was rendered; 0 = there was no answer
    loaded: str  # AnswerValues.fingerprint() of the values when the form was rendered
    in_conflict: bool = False  # the form was showing a conflict for this item
    resolve: str = ""  # Choice, when the officer settled the conflict

    @property
    def changed_by_user(self) -> bool:
        return self.values.fingerprint() != self.loaded
