"""Streamed CSV exports for coordinators and the public summary of a round."""

import csv
import io

import pytest
from django.urls import reverse

from actions.models import Action
from feedback.models import ActionLeader
from tests.factories import CommentFactory, FeedbackRoundFactory, UserFactory

pytestmark = pytest.mark.django_db


def export(client, **params):
    response = client.get(reverse("feedback:moderation_export"), params)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_export_honours_filters_and_includes_emails_for_coordinators(
    client, coordinator, open_round
):
    other_round = FeedbackRoundFactory(closed=True)
    CommentFactory(
        round=open_round,
        body="=cmd|' /C calc'!A0 <b>x</b>",
        email="a@example.org",
        respondent_type="business",
        published=True,
    )
    CommentFactory(round=open_round, body="Pending one, long enough.")
    CommentFactory(round=other_round, body="In another round here.", published=True)
    CommentFactory(
        round=open_round,
        action=Action.objects.get(number=4),
        body="On Action four here.",
        published=True,
    )
    client.force_login(coordinator)
    rows = export(client, round=open_round.slug, action=3, status="published")
    assert len(rows) == 1
    assert rows[0]["email"] == "a@example.org"
    assert rows[0]["comment"] == "'=cmd|' /C calc'!A0 <b>x</b>"
    assert len(export(client, respondent_type="business")) == 1
    assert len(export(client)) == 4


def test_leaders_export_their_action_without_emails(client, open_round):
    leader = UserFactory(username="leader")
    ActionLeader.objects.create(action=Action.objects.get(number=3), user=leader)
    CommentFactory(round=open_round, email="a@example.org")
    CommentFactory(round=open_round, action=Action.objects.get(number=4))
    client.force_login(leader)
    rows = export(client)
    assert len(rows) == 1 and "email" not in rows[0]


def test_officers_cannot_export(client, officer):
    client.force_login(officer)
    assert client.get(reverse("feedback:moderation_export")).status_code == 403


def test_invalid_export_filters_are_explained(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("feedback:moderation_export"), {"round": "nope"})
    assert response.status_code == 422


@pytest.mark.parametrize("count", [3, 30])
def test_export_queries_do_not_grow(
    client, coordinator, open_round, count, django_assert_max_num_queries
):
    CommentFactory.create_batch(count, round=open_round, published=True)
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        assert len(export(client)) == count


def test_public_summary_counts_per_action_and_type(client, open_round):
    CommentFactory(round=open_round, published=True, respondent_type="business")
    CommentFactory(round=open_round, respondent_type="citizen")
    CommentFactory(round=open_round, rejected=True)
    CommentFactory(round=open_round, action=Action.objects.get(number=5), published=True)
    response = client.get(reverse("feedback:round", args=[open_round.slug]))
    html = response.content.decode()
    assert "3 comments received, 2 of them published" in html
    assert "Rejected comments (spam, abuse) are not counted" in html
    from feedback.summary import round_summary

    summary = round_summary(open_round)
    row3 = next(row for row in summary.rows if row.action.number == 3)
    types = [code for code, _label in summary.types]
    assert row3.total == 2 and row3.published == 1
    assert row3.by_type[types.index("business")] == 1
    assert row3.by_type[types.index("citizen")] == 1
    assert summary.total == 3


def test_rounds_are_listed_publicly(client, open_round):
    FeedbackRoundFactory(title="Past round", closed=True)
    html = client.get(reverse("feedback:rounds")).content.decode()
    assert "Open round" in html and "open now" in html and "Past round" in html
