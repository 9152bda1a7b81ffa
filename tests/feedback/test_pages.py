"""Every feedback page: 200, exactly one <h1>, a label for every visible field."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from feedback.models import ActionLeader
from tests.factories import CommentFactory, FeedbackRoundFactory, UserFactory

pytestmark = pytest.mark.django_db


class FieldAudit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.labels: set[str] = set()
        self.fields: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h1":
            self.h1 += 1
        elif tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.fields.append(attrs.get("id") or f"<{tag} name={attrs.get('name')}>")


def audit(html: str) -> FieldAudit:
    parser = FieldAudit()
    parser.feed(html)
    return parser


@pytest.fixture
def pages(open_round, coordinator):
    closed = FeedbackRoundFactory(title="Closed round", closed=True)
    comment = CommentFactory(round=open_round, published=True)
    return {
        "public": [
            reverse("feedback:rounds"),
            reverse("feedback:round", args=[closed.slug]),
            reverse("feedback:comment", args=[3]),
            reverse("feedback:report", args=[comment.pk]),
            reverse("feedback:report_done", args=[comment.pk]),
            reverse("feedback:useful_thanks"),
            "/actions/3/",
        ],
        "coordinator": [
            reverse("feedback:moderation"),
            reverse("feedback:moderation") + "?queue=all",
            reverse("feedback:moderation_comment", args=[comment.pk]),
            reverse("feedback:moderation_rounds"),
            reverse("feedback:moderation_pages"),
            reverse("feedback:moderation_outcome", args=[closed.slug, 3]),
            reverse("feedback:moderation_outcome", args=[open_round.slug, 3]),
        ],
    }


def check(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    found = audit(response.content.decode())
    assert found.h1 == 1, f"{url}: {found.h1} <h1>"
    unlabelled = [f for f in found.fields if f not in found.labels]
    assert not unlabelled, f"{url}: fields without a label {unlabelled}"


def test_public_feedback_pages(client, pages):
    for url in pages["public"]:
        check(client, url)


def test_coordinator_moderation_pages(client, pages, coordinator):
    client.force_login(coordinator)
    for url in pages["coordinator"]:
        check(client, url)


def test_action_leader_pages(client, pages, open_round):
    leader = UserFactory(username="leader")
    ActionLeader.objects.create(action=open_round.actions.get(number=3), user=leader)
    client.force_login(leader)
    for url in pages["coordinator"]:
        if "pages" in url:
            assert client.get(url).status_code == 403
        else:
            check(client, url)


def test_ids_are_unique_on_the_action_page(client, open_round):
    html = client.get("/actions/3/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
