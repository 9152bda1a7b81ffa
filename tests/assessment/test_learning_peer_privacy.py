"""An authority that did not offer itself as a peer (or withdrew) is named on no page.

Every page of the catalogue (tests/pages.py), as every role, is searched for the name of an
authority approved Advanced that never opted in and of one that withdrew its offer; only the
coordinators' field pages, which list every authority anyway, may name them. The peers'
contact e-mail addresses appear on no page at all.
"""

import pytest
from django.utils import timezone

from actions.models import Action
from assessment.models import LearningPeerOffer
from tests.factories import MembershipFactory, approved_peer
from tests.pages import PAGES, ROLES

pytestmark = pytest.mark.django_db

NOT_OFFERED = "Utrecht-never-offered"
WITHDRAWN = "Tampere-withdrawn"
# Coordinators' pages that list every authority whatever its offers (the field overview).
FIELD_PAGES = {
    "assessment:coordinator_dashboard",
    "assessment:coordinator_heatmap",
    "assessment:export_scores",
    "assessment:export_answers",
}


@pytest.fixture
def unoffered(world):
    cycle = world.draft.cycle - 1
    approved_peer(score=95.0, cycle=cycle, name=NOT_OFFERED, country="BE", population=90_000)
    withdrawn = approved_peer(
        score=95.0, cycle=cycle, name=WITHDRAWN, country="BE", population=90_000
    ).authority
    contact = MembershipFactory(authority=withdrawn, user__username="tampere-contact").user
    for number in (1, 2, 3, 4, 5, 6):
        LearningPeerOffer.objects.create(
            authority=withdrawn,
            action=Action.objects.get(number=number),
            contact=contact,
            practice_note="A note that must vanish with the offer.",
            withdrawn_at=timezone.now(),
        )


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("role", ROLES)
def test_no_page_names_an_authority_that_did_not_offer_itself(client, world, unoffered, role):
    if (user := world.user(role)) is not None:
        client.force_login(user)
    contact_email = world.peer_offer.contact.email
    named, addresses = [], []
    for page in PAGES:
        if page.kind == "pdf":
            continue  # no request renders a PDF; the report does not list peers
        path = page.path(world)
        text = body(client.get(path, follow=page.follow))
        legitimate = role == "coordinator" and page.name in FIELD_PAGES
        for name in (NOT_OFFERED, WITHDRAWN, "A note that must vanish"):
            if name in text and not legitimate:
                named.append(f"{path}: {name}")
        if contact_email in text:
            addresses.append(path)
    assert named == []
    assert addresses == []


def test_the_search_would_find_a_peer_that_is_offered(client, world):
    """The same search finds the name of the offered peer where it is shown."""
    client.force_login(world.officer)
    path = next(p for p in PAGES if p.name == "assessment:results" and p.label == "draft")
    assert world.peer_offer.authority.name in body(client.get(path.path(world)))
