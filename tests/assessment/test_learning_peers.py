"""Peers to learn from: offering, withdrawing, who is proposed, asking a peer, coordinators."""

import csv
import io
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from actions.models import Action
from assessment.learning_peer_models import LearningPeerOffer, PeerRequest
from assessment.learning_peers import PEER_REQUEST_LIMIT, PEERS_PER_ACTION
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    approved_peer,
    fill,
)

pytestmark = pytest.mark.usefixtures("content")

ADVANCED, ESTABLISHED, DEVELOPING = 90.0, 60.0, 30.0
MESSAGE = "How did you set up the shared measurement with the social services?"


@pytest.fixture
def draft(authority):
    """Mechelen's draft at level 1 everywhere: every Action has something to improve."""
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=1)
    return assessment


def peer_city(name: str, *, score: float = ADVANCED, country="FR", population=120_000, **kw):
    """An authority approved at `score` in every Action, with an officer (its contact)."""
    assessment = approved_peer(score=score, name=name, country=country, population=population, **kw)
    contact = MembershipFactory(
        authority=assessment.authority,
        user__username=f"{name.lower()}-contact",
        user__first_name="Pat",
        user__last_name=name,
    ).user
    return assessment.authority, contact


def offer(authority, contact, action: int = 5, note: str = "") -> LearningPeerOffer:
    return LearningPeerOffer.objects.create(
        authority=authority,
        action=Action.objects.get(number=action),
        contact=contact,
        practice_note=note,
        created_by=contact,
    )


def results_html(client, user, assessment) -> str:
    client.force_login(user)
    response = client.get(reverse("assessment:results", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def peers_of_action(html: str, number: int) -> list[str]:
    """The names proposed for Action `number`, in order."""
    section = re.search(r'<section id="learn-from-peers".*?</section>', html, re.S)
    assert section, "no peers section"
    parts = re.split(r'<h3 class="h5 mt-3" id="learn-action-(\d)">', section.group(0))
    by_action = dict(zip(parts[1::2], parts[2::2], strict=True))
    return re.findall(r"<strong>([^<]+)</strong>", by_action[str(number)])


def ask_url(assessment, offer_id: int) -> str:
    return reverse("assessment:ask_peer", args=[assessment.pk, offer_id])


def offers_url(authority) -> str:
    return reverse("assessment:learning_peers", args=[authority.pk])


# --- Offering and withdrawing ----------------------------------------------------------------


def test_officer_opts_in_with_a_note_and_a_contact(client, authority, officer, colleague):
    client.force_login(officer)
    response = client.post(
        reverse("assessment:learning_peer_offer", args=[authority.pk, 5]),
        {"practice_note": "Exploratory walks <b>with</b> residents", "contact": colleague.pk},
    )
    assert response.status_code == 302
    saved = LearningPeerOffer.objects.get()
    assert (saved.authority, saved.action.number, saved.contact) == (authority, 5, colleague)
    assert saved.practice_note == "Exploratory walks <b>with</b> residents"
    page = client.get(offers_url(authority)).content.decode()
    assert "Exploratory walks &lt;b&gt;with&lt;/b&gt; residents" in page  # shown as written


def test_a_second_opt_in_changes_the_open_offer_instead_of_adding_one(
    client, authority, officer, colleague
):
    client.force_login(officer)
    url = reverse("assessment:learning_peer_offer", args=[authority.pk, 5])
    client.post(url, {"practice_note": "First", "contact": officer.pk})
    client.post(url, {"practice_note": "Second", "contact": colleague.pk})
    assert list(LearningPeerOffer.objects.values_list("practice_note", "contact")) == [
        ("Second", colleague.pk)
    ]


def test_a_too_long_note_is_refused_with_a_clear_message_and_kept(client, authority, officer):
    client.force_login(officer)
    note = "x" * 601
    response = client.post(
        reverse("assessment:learning_peer_offer", args=[authority.pk, 5]),
        {"practice_note": note, "contact": officer.pk},
    )
    assert response.status_code == 200
    assert "Keep the practice note to 600 characters (it has 601)." in response.content.decode()
    assert note in response.content.decode()
    assert not LearningPeerOffer.objects.exists()


def test_the_contact_must_be_an_officer_of_the_authority(
    client, authority, officer, other_city_officer
):
    client.force_login(officer)
    response = client.post(
        reverse("assessment:learning_peer_offer", args=[authority.pk, 5]),
        {"practice_note": "", "contact": other_city_officer.pk},
    )
    assert response.status_code == 200
    assert "Choose one of your authority&#x27;s officers as the contact." in (
        response.content.decode()
    )
    assert not LearningPeerOffer.objects.exists()


def test_another_citys_officer_cannot_opt_in_or_withdraw_for_it(
    client, authority, officer, other_city_officer, coordinator
):
    existing = offer(authority, officer)
    for user in (other_city_officer, coordinator):
        client.force_login(user)
        assert client.get(offers_url(authority)).status_code == 404
        assert (
            client.post(
                reverse("assessment:learning_peer_offer", args=[authority.pk, 3]),
                {"contact": user.pk},
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("assessment:learning_peer_withdraw", args=[authority.pk, 5])
            ).status_code
            == 404
        )
    existing.refresh_from_db()
    assert existing.withdrawn_at is None
    assert LearningPeerOffer.objects.count() == 1


def test_withdrawal_removes_the_peer_from_the_results_at_once(client, officer, draft):
    ghent, contact = peer_city("Ghent")
    offer(ghent, contact, 5, note="Collective impact with the social services")
    assert peers_of_action(results_html(client, officer, draft), 5) == ["Ghent"]

    peer_side = Client()
    peer_side.force_login(contact)
    response = peer_side.post(reverse("assessment:learning_peer_withdraw", args=[ghent.pk, 5]))
    assert response.status_code == 302

    html = results_html(client, officer, draft)
    assert peers_of_action(html, 5) == []
    assert "Ghent" not in html
    assert "Collective impact" not in html


# --- Who is shown ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "shown"), [(ADVANCED, True), (ESTABLISHED, True), (DEVELOPING, False)]
)
def test_a_peer_is_shown_only_at_established_or_advanced(client, officer, draft, score, shown):
    ghent, contact = peer_city("Ghent", score=score)
    offer(ghent, contact, 5)
    assert peers_of_action(results_html(client, officer, draft), 5) == (["Ghent"] if shown else [])


def test_a_later_approved_lower_band_hides_the_peer(client, officer, draft):
    ghent, contact = peer_city("Ghent", score=ADVANCED, cycle=2025)
    offer(ghent, contact, 5)
    assert peers_of_action(results_html(client, officer, draft), 5) == ["Ghent"]

    approved_peer(score=DEVELOPING, cycle=2026, name="Ghent")  # the same authority, later

    assert peers_of_action(results_html(client, officer, draft), 5) == []


def test_a_later_cycle_not_yet_approved_keeps_the_peer(client, officer, draft):
    ghent, contact = peer_city("Ghent", score=ADVANCED, cycle=2025)
    offer(ghent, contact, 5)
    AssessmentFactory(authority=ghent, cycle=2026)  # a draft: not a score of record
    assert peers_of_action(results_html(client, officer, draft), 5) == ["Ghent"]


def test_peers_prefer_the_same_population_band_then_the_same_country(client, officer, draft):
    # Mechelen: Belgium, 87,000 (50,000 to 250,000).
    cities = [
        ("Lyon", "FR", 522_000),  # other band, other country
        ("Ghent", "BE", 265_000),  # other band, same country
        ("Annecy", "FR", 131_000),  # same band, other country
        ("Liege", "BE", 195_000),  # same band, same country
    ]
    for name, country, population in cities:
        authority, contact = peer_city(name, country=country, population=population)
        offer(authority, contact, 5)
    assert peers_of_action(results_html(client, officer, draft), 5) == ["Liege", "Annecy", "Ghent"]


def test_at_most_three_peers_per_action_and_never_ones_own_authority(
    client, authority, officer, draft
):
    for n in range(PEERS_PER_ACTION + 2):
        city, contact = peer_city(f"Town{n}")
        offer(city, contact, 5)
    approved_peer(score=ADVANCED, name="Mechelen", cycle=2025)
    offer(authority, officer, 5)  # Mechelen itself, Advanced last cycle
    names = peers_of_action(results_html(client, officer, draft), 5)
    assert len(names) == PEERS_PER_ACTION
    assert "Mechelen" not in names


def test_peers_are_offered_only_to_the_authoritys_own_officers(client, officer, draft, coordinator):
    ghent, contact = peer_city("Ghent")
    offer(ghent, contact, 5)
    assert 'id="learn-from-peers"' not in results_html(client, coordinator, draft)


def test_a_peer_shows_its_band_never_its_score_and_no_email_address(client, officer, draft):
    ghent, contact = peer_city("Ghent", score=ADVANCED)
    created = offer(ghent, contact, 5, note="Baseline and follow-up indicators")
    html = results_html(client, officer, draft)
    section = re.search(r'<section id="learn-from-peers".*?</section>', html, re.S).group(0)
    assert "Advanced" in section
    assert "90" not in section
    assert "Baseline and follow-up indicators" in section
    assert contact.email not in html
    ask_page = client.get(ask_url(draft, created.pk)).content.decode()
    assert contact.email not in ask_page
    assert "@" not in ask_page.split("<main", 1)[1]


# --- Asking a peer ---------------------------------------------------------------------------


def test_asking_a_peer_emails_its_contact_with_a_reply_to_of_the_requester(
    client, officer, draft, django_capture_on_commit_callbacks
):
    ghent, contact = peer_city("Ghent")
    created = offer(ghent, contact, 5)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ask_url(draft, created.pk), {"message": MESSAGE})
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("assessment:results", args=[draft.pk]) + "#learn-from-peers"
    )
    [sent] = mail.outbox
    assert sent.to == [contact.email]
    assert sent.reply_to == [officer.email]
    assert "Mechelen" in sent.subject
    assert MESSAGE in sent.body
    assert officer.get_full_name() in sent.body
    assert "Mechelen (Belgium)" in sent.body
    assert "Action 5" in sent.body
    assert reverse("assessment:learning_peers", args=[ghent.pk]) in sent.body
    logged = PeerRequest.objects.get()
    assert (logged.offer, logged.requester, logged.requester_authority) == (
        created,
        officer,
        draft.authority,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Your message was sent to the contact of Ghent." in page
    assert contact.email not in page


def test_the_email_is_written_in_the_recipients_language(
    client, officer, draft, django_capture_on_commit_callbacks
):
    from partnership.models import UserPreference

    ghent, contact = peer_city("Ghent")
    UserPreference.objects.create(user=contact, language="fr")
    created = offer(ghent, contact, 5)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ask_url(draft, created.pk), {"message": MESSAGE})
    [sent] = mail.outbox
    from django.utils import translation

    with translation.override("fr"):
        expected = translation.gettext("%(authority)s asks you about Action %(number)s") % {
            "authority": "Mechelen",
            "number": 5,
        }
    assert sent.subject == expected


def test_no_email_goes_out_before_the_request_is_committed(
    client, officer, draft, django_capture_on_commit_callbacks
):
    ghent, contact = peer_city("Ghent")
    created = offer(ghent, contact, 5)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(ask_url(draft, created.pk), {"message": MESSAGE})
    assert mail.outbox == []
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("", "Write a message to the peer."),
        ("Hello", "Write at least 20 characters"),
        ("x" * 2001, "Keep the message to 2000 characters (it has 2001)."),
    ],
)
def test_a_bad_message_is_refused_with_a_clear_message(
    client, officer, draft, message, error, django_capture_on_commit_callbacks
):
    ghent, contact = peer_city("Ghent")
    created = offer(ghent, contact, 5)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ask_url(draft, created.pk), {"message": message})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert mail.outbox == []
    assert not PeerRequest.objects.exists()


@pytest.mark.parametrize("why", ["withdrawn", "lower band", "own authority"])
def test_a_peer_not_shown_now_cannot_be_asked(
    client, authority, officer, draft, why, django_capture_on_commit_callbacks
):
    if why == "own authority":
        approved_peer(score=ADVANCED, name="Mechelen", cycle=2025)
        created = offer(authority, officer, 5)
    else:
        ghent, contact = peer_city("Ghent", cycle=2025)
        created = offer(ghent, contact, 5)
        if why == "withdrawn":
            LearningPeerOffer.objects.update(withdrawn_at="2026-01-01T00:00:00Z")
        else:
            approved_peer(score=DEVELOPING, cycle=2026, name="Ghent")
    client.force_login(officer)
    assert client.get(ask_url(draft, created.pk)).status_code == 410
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ask_url(draft, created.pk), {"message": MESSAGE})
    body = response.content.decode()
    assert response.status_code == 410
    assert "This peer is no longer offered for this Action" in body
    assert "Your message was not sent." in body
    assert MESSAGE in body  # kept, to copy
    assert "Ghent" not in body
    assert mail.outbox == []
    assert not PeerRequest.objects.exists()


def test_the_ask_form_is_only_for_the_officers_of_the_assessments_authority(
    client, draft, other_city_officer, coordinator
):
    ghent, contact = peer_city("Ghent")
    created = offer(ghent, contact, 5)
    for user in (other_city_officer, coordinator):
        client.force_login(user)
        assert client.get(ask_url(draft, created.pk)).status_code == 404
        assert client.post(ask_url(draft, created.pk), {"message": MESSAGE}).status_code == 404
    client.logout()
    assert client.post(ask_url(draft, created.pk), {"message": MESSAGE}).status_code == 302
    assert not PeerRequest.objects.exists()


def test_a_requester_without_an_email_address_is_told_and_nothing_is_sent(
    client, officer, draft, django_capture_on_commit_callbacks
):
    officer.email = ""
    officer.save()
    ghent, contact = peer_city("Ghent")
    created = offer(ghent, contact, 5)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ask_url(draft, created.pk), {"message": MESSAGE})
    assert response.status_code == 200
    assert "Your account has no e-mail address" in response.content.decode()
    assert mail.outbox == []


# --- The rate limit --------------------------------------------------------------------------


def send_all(client, draft, offer_id: int, times: int, **headers) -> list[int]:
    return [
        client.post(ask_url(draft, offer_id), {"message": MESSAGE}, **headers).status_code
        for _ in range(times)
    ]


def test_requests_are_limited_per_user_and_another_user_is_not_affected(
    client, officer, colleague, draft, django_capture_on_commit_callbacks
):
    ghent, contact = peer_city("Ghent")
    created = offer(ghent, contact, 5)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = send_all(client, draft, created.pk, PEER_REQUEST_LIMIT + 1)
    assert statuses == [302] * PEER_REQUEST_LIMIT + [429]
    refused = client.post(ask_url(draft, created.pk), {"message": MESSAGE})
    assert "the most the portal allows" in refused.content.decode()
    assert MESSAGE in refused.content.decode()  # kept
    assert len(mail.outbox) == PEER_REQUEST_LIMIT

    client.force_login(colleague)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_all(client, draft, created.pk, 1) == [302]
    assert PeerRequest.objects.filter(requester=colleague).count() == 1


def test_the_limit_cannot_be_got_around_by_another_session_address_or_peer(
    client, officer, draft, django_capture_on_commit_callbacks, settings
):
    settings.TRUSTED_PROXIES = 1
    ghent, contact = peer_city("Ghent")
    liege, liege_contact = peer_city("Liege")
    to_ghent, to_liege = offer(ghent, contact, 5), offer(liege, liege_contact, 5)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_all(client, draft, to_ghent.pk, PEER_REQUEST_LIMIT) == [302] * 5
        second_session = Client()
        second_session.force_login(officer)
        assert send_all(second_session, draft, to_ghent.pk, 1) == [429]
        assert send_all(second_session, draft, to_liege.pk, 1) == [429]
        assert send_all(
            client,
            draft,
            to_liege.pk,
            1,
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            REMOTE_ADDR="198.51.100.7",
        ) == [429]
    assert len(mail.outbox) == PEER_REQUEST_LIMIT
    assert PeerRequest.objects.count() == PEER_REQUEST_LIMIT


def test_the_limit_counts_only_the_last_24_hours(
    client, officer, draft, django_capture_on_commit_callbacks, time_machine
):
    ghent, contact = peer_city("Ghent")
    created = offer(ghent, contact, 5)
    client.force_login(officer)
    time_machine.move_to("2026-03-01 09:00Z", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_all(client, draft, created.pk, PEER_REQUEST_LIMIT + 1)[-1] == 429
        time_machine.move_to("2026-03-02 09:01Z", tick=False)
        client.force_login(officer)
        assert send_all(client, draft, created.pk, 1) == [302]


# --- Coordinators ----------------------------------------------------------------------------


def test_coordinators_see_the_peers_per_action_and_the_requests_per_month(
    client, coordinator, officer, draft, django_capture_on_commit_callbacks
):
    ghent, contact = peer_city("Ghent")
    lyon, lyon_contact = peer_city("Lyon", score=DEVELOPING)
    to_ghent = offer(ghent, contact, 5)
    offer(lyon, lyon_contact, 3)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        send_all(client, draft, to_ghent.pk, 2)
    client.force_login(coordinator)
    html = client.get(reverse("assessment:coordinator_learning_peers")).content.decode()
    assert "Ghent" in html
    assert "Lyon" in html  # opted in, not shown now: coordinators see it with "no"
    assert re.search(r"<td>5</td><td>2</td>", html)


def test_the_peers_csv_is_as_typed(client, coordinator):
    ghent, contact = peer_city("Ghent")
    offer(ghent, contact, 5, note='=HYPERLINK("x") & "quotes", <b>tags</b>, accents: Liège')
    client.force_login(coordinator)
    response = client.get(reverse("assessment:export_learning_peers"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Action", "Authority", "Country"]
    [row] = rows[1:]
    assert row[:3] == ["5", "Ghent", "FR"]
    assert row[4] == "Advanced"
    assert row[6] == "yes"
    assert row[8] == '\'=HYPERLINK("x") & "quotes", <b>tags</b>, accents: Liège'
    assert row[9] == "0"


def test_the_requests_csv_counts_per_action_and_month(
    client, coordinator, officer, draft, django_capture_on_commit_callbacks, time_machine
):
    ghent, contact = peer_city("Ghent")
    created = offer(ghent, contact, 5)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        time_machine.move_to("2026-02-10 10:00Z", tick=False)
        send_all(client, draft, created.pk, 2)
        time_machine.move_to("2026-03-20 10:00Z", tick=False)
        client.force_login(officer)
        send_all(client, draft, created.pk, 1)
    client.force_login(coordinator)
    text = b"".join(
        client.get(reverse("assessment:export_peer_requests")).streaming_content
    ).decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [
        ["Action", "Month", "Requests sent"],
        ["5", "2026-03", "1"],
        ["5", "2026-02", "2"],
    ]


def test_officers_cannot_see_the_coordinators_pages(client, officer):
    client.force_login(officer)
    for name in (
        "assessment:coordinator_learning_peers",
        "assessment:export_learning_peers",
        "assessment:export_peer_requests",
    ):
        assert client.get(reverse(name)).status_code == 403


# --- Query counts ----------------------------------------------------------------------------


def make_peers(count: int) -> None:
    for n in range(count):
        city, contact = peer_city(f"Q{count}-{n}", population=60_000 + n)
        for action in (2, 5):
            offer(city, contact, action, note=f"Note {n}")


@pytest.mark.parametrize("count", [2, 12])
def test_results_page_queries_do_not_grow_with_the_peers(
    client, officer, draft, count, django_assert_max_num_queries
):
    make_peers(count)
    client.force_login(officer)
    # 16, and one for the improvement-plan targets (this cycle's and the previous one's).
    with django_assert_max_num_queries(17):
        response = client.get(reverse("assessment:results", args=[draft.pk]))
    assert len(peers_of_action(response.content.decode(), 5)) == min(count, PEERS_PER_ACTION)


@pytest.mark.parametrize("count", [2, 12])
def test_coordinator_page_queries_do_not_grow_with_the_peers(
    client, coordinator, count, django_assert_max_num_queries
):
    make_peers(count)
    client.force_login(coordinator)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("assessment:coordinator_learning_peers"))
    assert response.content.decode().count(f'<th scope="row">Q{count}-') == 2 * count
