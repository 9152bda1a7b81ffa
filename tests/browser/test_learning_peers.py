"""Peers to learn from: another city's officer offers it, Mechelen's officer asks it, the offer is
withdrawn, with JavaScript and without."""

import os

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import AssessmentFactory, MembershipFactory, approved_peer, fill

SHOTS = os.environ.get("PEER_SCREENSHOTS", "")
MESSAGE = "How do you measure perceived safety per neighbourhood before a programme starts?"


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def cast(content, officer, authority):
    draft = AssessmentFactory(authority=authority)
    fill(draft, level=1)
    ghent = approved_peer(score=90.0, name="Ghent", country="BE", population=265_000).authority
    ghent_officer = MembershipFactory(
        authority=ghent,
        user__username="ghent-officer",
        user__first_name="Griet",
        user__last_name="Claes",
    ).user
    return draft, ghent, ghent_officer


def offer_ghent(page, ghent) -> None:
    log_in(page, "ghent-officer")
    page.goto("/assessment/")
    page.get_by_role("link", name="Offer Ghent as a peer to learn from").click()
    section = page.locator("#action-5")
    section.get_by_label("What worked for us (optional)").fill(
        "A baseline of perceived safety per neighbourhood, measured again after a year."
    )
    section.get_by_role("button", name="Offer us as a peer in Action 5").click()
    expect(page.get_by_text("Saved: Ghent is offered as a peer")).to_be_visible()
    expect(page.locator("#action-5")).to_contain_text("Offered, and shown")
    shot(page, "offers")


def ask_ghent(page, draft) -> None:
    log_in(page, "officer")
    page.goto(f"/assessment/{draft.pk}/results/")
    peers = page.locator("#learn-from-peers")
    expect(peers).to_contain_text("Ghent")
    expect(peers).to_contain_text("A baseline of perceived safety per neighbourhood")
    shot(page, "results")
    peers.get_by_role("link", name="Ask this peer (Ghent, Action 5)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask Ghent about Action 5")
    page.get_by_label("Your message").fill("Too short")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_text("Write at least 20 characters")).to_be_visible()
    expect(page.get_by_label("Your message")).to_have_value("Too short")
    page.get_by_label("Your message").fill(MESSAGE)
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_text("Your message was sent to the contact of Ghent.")).to_be_visible()
    shot(page, "sent")


@pytest.mark.django_db(transaction=True)
def test_an_officer_asks_a_peer_that_another_city_offered_then_it_is_withdrawn(
    browser, live_server, page, cast
):
    draft, ghent, ghent_officer = cast
    peer_page = browser.new_page(base_url=live_server.url)
    offer_ghent(peer_page, ghent)
    assert_accessible(peer_page)

    ask_ghent(page, draft)
    assert_accessible(page)
    [sent] = mail.outbox
    assert sent.to == [ghent_officer.email]
    assert sent.reply_to == ["officer@example.org"]
    assert MESSAGE in sent.body
    assert "ghent-officer@example.org" not in page.content()

    peer_page.goto(f"/assessment/authority/{ghent.pk}/learning-peers/")
    peer_page.get_by_role("button", name="Withdraw the offer for Action 5").click()
    expect(peer_page.get_by_text("Withdrawn: Ghent is no longer shown")).to_be_visible()
    peer_page.close()

    page.goto(f"/assessment/{draft.pk}/results/")
    expect(page.locator("#learn-from-peers")).not_to_contain_text("Ghent")
    shot(page, "withdrawn")


@pytest.mark.django_db(transaction=True)
def test_the_peer_flow_works_without_javascript(browser, live_server, no_js_page, cast):
    draft, ghent, ghent_officer = cast
    peer_context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    offer_ghent(peer_context.new_page(), ghent)
    peer_context.close()

    ask_ghent(no_js_page, draft)
    [sent] = mail.outbox
    assert sent.to == [ghent_officer.email]
    assert sent.reply_to == ["officer@example.org"]
