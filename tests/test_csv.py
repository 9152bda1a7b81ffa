"""Every CSV export of the site gives back each value exactly as it was typed.

The only change ever made to a value is the documented formula guard (`portal.csv`): a leading
apostrophe on text that starts with = + - @, their fullwidth forms, a tab or a carriage return.
Hostile strings come from the fuzz corpus, plus generated text.
"""

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessment.models import Answer, Item
from portal.csv import csv_chunks
from tests.factories import AssessmentFactory, CommentFactory, UrbanAuthorityFactory
from tests.test_fuzz import FUZZ, NASTY

GUARDED_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠", "\t", "\r")
HOSTILE = [
    *NASTY,
    "&",
    "Tom & Jerry",
    "&amp;",
    "<b>bold</b>",
    '"quoted"',
    "'apostrophe",
    "a,b;c",
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    "\t=1",
    "\r=1",
    "line\nbreak",
    "line\r\nbreak",
    " =1+1",
    '=HYPERLINK("http://evil.example","x")',
    "\ufeffbom",
    "\xff\xfe\xc3(",
    "ÿþÃ(",
]
STORABLE = [value for value in HOSTILE if "\x00" not in value]  # PostgreSQL refuses NUL in text


def as_typed(value: str) -> str:
    """What a cell must hold for `value`: the value, guarded if a spreadsheet would run it."""
    return "'" + value if value.startswith(GUARDED_STARTS) else value


def read(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_the_guard_covers_ascii_and_fullwidth_formula_starts_and_tab_and_cr():
    rows = read("".join(csv_chunks(["h"], [[v] for v in GUARDED_STARTS])))
    assert [row[0] for row in rows[1:]] == ["'" + v for v in GUARDED_STARTS]


def test_every_hostile_string_comes_back_as_typed_from_the_writer():
    rows = read("".join(csv_chunks(["value"], [[value] for value in HOSTILE])))
    assert [row[0] for row in rows[1:]] == [as_typed(value) for value in HOSTILE]


@FUZZ
@given(
    values=st.lists(
        st.text(alphabet=st.characters(blacklist_categories=["Cs"])), min_size=1, max_size=5
    )
)
def test_generated_text_comes_back_as_typed_from_the_writer(values):
    rows = read("".join(csv_chunks(["a"] * len(values), [values])))
    assert rows[1] == [as_typed(value) for value in values]


@pytest.mark.django_db
def test_the_moderation_export_gives_back_hostile_comments_and_names_as_typed(
    client, coordinator, content
):
    from tests.factories import FeedbackRoundFactory

    feedback_round = FeedbackRoundFactory()
    for n, value in enumerate(STORABLE):
        CommentFactory(
            round=feedback_round, body=value, display_name=value[:80], content_hash=f"hostile-{n}"
        )
    client.force_login(coordinator)
    response = client.get(reverse("feedback:moderation_export"))
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = read(text)
    header, rows = rows[0], rows[1:]
    comments = [row[header.index("comment")] for row in rows]
    names = [row[header.index("display_name")] for row in rows]
    assert comments == [as_typed(value) for value in STORABLE]
    assert names == [as_typed(value[:80]) for value in STORABLE]


@pytest.mark.django_db
def test_the_answers_export_gives_back_hostile_evidence_notes_as_typed(
    client, coordinator, content
):
    assessment = AssessmentFactory(authority=UrbanAuthorityFactory(name="＝Town & Co"))
    items = list(Item.objects.order_by("position")[: len(STORABLE)])
    values = STORABLE[: len(items)]
    for item, value in zip(items, values, strict=True):
        Answer.objects.create(
            assessment=assessment,
            item=item,
            not_applicable=True,
            na_reason="n/a",
            evidence_note=value,
        )
    client.force_login(coordinator)
    response = client.get(reverse("assessment:export_answers"))
    rows = read(b"".join(response.streaming_content).decode("utf-8"))
    header, rows = rows[0], rows[1:]
    assert {row[header.index("Authority")] for row in rows} == {"'＝Town & Co"}
    assert [row[header.index("Evidence note")] for row in rows] == [as_typed(v) for v in values]


@pytest.mark.django_db
def test_the_plans_export_gives_back_hostile_questions_and_titles_as_typed(
    client, coordinator, content
):
    from actions.models import Action
    from tests.factories import plan_target

    items = list(Item.objects.order_by("position")[: len(STORABLE)])
    values = STORABLE[: len(items)]
    for item, value in zip(items, values, strict=True):
        Item.objects.filter(pk=item.pk).update(question=value)
    Action.objects.filter(number=1).update(short_title="=HYPERLINK(1)")
    for _ in range(5):
        assessment = AssessmentFactory(authority=UrbanAuthorityFactory())
        for item in items:
            plan_target(assessment, item.code, level=4)
    client.force_login(coordinator)
    response = client.get(reverse("assessment:export_plans"))
    rows = read(b"".join(response.streaming_content).decode("utf-8"))
    rows = rows[1:]  # the header aside
    by_code = {row[2]: row[3] for row in rows if row[2]}
    assert [by_code[item.code] for item in items] == [as_typed(v) for v in values]
    assert [row[3] for row in rows if row[1] == "1" and not row[2]] == ["'=HYPERLINK(1)"]
    assert {row[4] for row in rows if row[2]} == {"5"}
