"""The rule that decides, per posted item, whether to save, skip or report a conflict."""

from decimal import Decimal

import pytest

from assessment.answers.saving import Outcome, decide
from assessment.answers.values import AnswerValues, Choice, PostedItem
from assessment.models import Answer, Item

LOADED = AnswerValues(level=1)
THEIRS = AnswerValues(level=3)


def submission(
    values: AnswerValues, *, version=1, loaded=LOADED, in_conflict=False, resolve=""
) -> PostedItem:
    return PostedItem(
        item=Item(code="A1.2"),
        values=values,
        version=version,
        loaded=loaded.fingerprint(),
        in_conflict=in_conflict,
        resolve=resolve,
    )


@pytest.mark.parametrize(
    ("posted", "current", "current_version", "expected"),
    [
        # Nobody else saved since the page was loaded.
        (submission(AnswerValues(level=2)), LOADED, 1, Outcome.SAVED),
        (submission(LOADED), LOADED, 1, Outcome.UNCHANGED),
        # A colleague saved since.
        (submission(AnswerValues(level=2)), THEIRS, 2, Outcome.CONFLICT),
        (submission(LOADED), THEIRS, 2, Outcome.UNTOUCHED),  # I did not touch it: theirs stays
        (submission(THEIRS), THEIRS, 2, Outcome.UNCHANGED),  # we made the same change
        # Settling a conflict (the form is now based on their version 2).
        (
            submission(
                AnswerValues(level=2),
                version=2,
                loaded=THEIRS,
                in_conflict=True,
                resolve=Choice.MINE,
            ),
            THEIRS,
            2,
            Outcome.SAVED,
        ),
        (
            submission(
                AnswerValues(level=2),
                version=2,
                loaded=THEIRS,
                in_conflict=True,
                resolve=Choice.THEIRS,
            ),
            THEIRS,
            2,
            Outcome.KEPT_THEIRS,
        ),
        (
            submission(AnswerValues(level=2), version=2, loaded=THEIRS, in_conflict=True),
            THEIRS,
            2,
            Outcome.CONFLICT,
        ),  # no choice made yet
        (
            submission(
                AnswerValues(level=2),
                version=2,
                loaded=THEIRS,
                in_conflict=True,
                resolve=Choice.MINE,
            ),
            AnswerValues(level=4),
            3,
            Outcome.CONFLICT,
        ),  # a third save
        # The first answer to an item.
        (
            submission(AnswerValues(level=0), version=0, loaded=AnswerValues()),
            AnswerValues(),
            0,
            Outcome.SAVED,
        ),
        (
            submission(AnswerValues(level=0), version=0, loaded=AnswerValues()),
            THEIRS,
            1,
            Outcome.CONFLICT,
        ),
    ],
)
def test_decide(posted, current, current_version, expected):
    assert decide(posted, current=current, current_version=current_version) == expected


def test_my_own_newer_save_is_no_conflict_but_a_colleague_s_is():
    posted = submission(AnswerValues(level=2))
    assert (
        decide(posted, current=THEIRS, current_version=2, saved_by_same_user=True) == Outcome.SAVED
    )
    assert (
        decide(posted, current=THEIRS, current_version=2, saved_by_same_user=False)
        == Outcome.CONFLICT
    )


def test_the_fingerprint_ignores_how_a_number_or_a_line_break_was_stored():
    def stored(**fields) -> str:
        return AnswerValues.of(Answer(**fields)).fingerprint()

    assert stored(number=Decimal("2.5")) == stored(number=Decimal("2.50"))
    assert stored(evidence_note="a\r\nb") == stored(evidence_note="a\nb")
    assert stored(number=Decimal("2.5")) != stored(number=Decimal("2.4"))
