"""A visitor comments on an Action without an account; every bad input is refused clearly."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from feedback.antispam import issue_form_token
from feedback.models import Comment
from tests.factories import CommentFactory, FeedbackRoundFactory
from tests.feedback.conftest import comment_data

pytestmark = pytest.mark.django_db
URL = reverse("feedback:comment", args=[3])


def post(client, **overrides):
    return client.post(URL, comment_data(**overrides))


def test_a_comment_awaits_moderation_and_the_confirmation_says_so(client, open_round):
    response = post(client)
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and comment.published_at is None
    assert comment.round == open_round and comment.action.number == 3
    assert comment.consent_at is not None
    page = client.get(response.url)
    html = page.content.decode()
    assert "awaiting moderation" in html
    assert "error rates for every group" in html


def test_post_moderation_publishes_at_once(client, content):
    FeedbackRoundFactory(post_moderation=True)
    response = post(client)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PUBLISHED and comment.published_at
    assert "your comment is published" in client.get(response.url).content.decode()
    assert "error rates for every group" in client.get("/actions/3/").content.decode()


def test_htmx_post_returns_the_confirmation_partial(client, open_round):
    response = client.post(URL, comment_data(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "awaiting moderation" in html and "<html" not in html
    assert Comment.objects.count() == 1


def test_htmx_invalid_post_returns_the_form_partial_with_errors(client, open_round):
    response = client.post(URL, comment_data(body="short"), HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html and "too short" in html
    assert Comment.objects.count() == 0


def test_the_comment_page_shows_the_form_on_get(client, open_round):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="body"' in response.content.decode()


def test_anonymous_when_no_display_name(client, content):
    FeedbackRoundFactory(post_moderation=True)
    post(client, display_name="")
    assert "Anonymous" in client.get("/actions/3/").content.decode()


def test_html_typed_by_a_citizen_is_shown_as_text(client, content):
    FeedbackRoundFactory(post_moderation=True)
    post(
        client,
        body="<script>alert('x')</script> and <b>bold</b> words here",
        display_name="<img src=x onerror=alert(1)>",
    )
    html = client.get("/actions/3/").content.decode()
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# --- Bad input: each gets its message, and nothing is stored ---------------------------------


def assert_refused(response, message: str, status: int = 422):
    assert response.status_code == status
    assert message in response.content.decode()
    assert Comment.objects.count() == 0


def test_post_before_the_round_opens_is_refused_with_the_opening_date(client, content):
    FeedbackRoundFactory(title="Spring round", upcoming=True)
    assert_refused(post(client), "opens on", status=403)
    assert "Spring round" in client.post(URL, comment_data()).content.decode()


@time_machine.travel(dt.datetime(2021, 1, 15, 12, 0, tzinfo=dt.UTC), tick=False)
def test_post_after_the_2020_round_is_refused_with_its_closing_date(client, content):
    from feedback.demo import ensure_2020_round

    ensure_2020_round()
    response = post(client)
    assert_refused(response, "closed on 9 September 2020", status=403)
    assert "Nothing was saved" in response.content.decode()
    assert "error rates for every group" in response.content.decode()


def test_post_outside_any_round_via_htmx_gets_the_notice_partial(client, content):
    FeedbackRoundFactory(closed=True)
    response = client.post(URL, comment_data(), HTTP_HX_REQUEST="true")
    assert_refused(response, "closed on", status=403)
    assert "<html" not in response.content.decode()


def test_honeypot_filled_is_refused(client, open_round):
    assert_refused(post(client, homepage="http://spam.example"), "hidden field was filled in")


def test_too_fast_is_refused(client, open_round, settings):
    settings.FEEDBACK_MIN_SECONDS = 5
    assert_refused(post(client), "sent too quickly")


def test_after_the_minimum_time_the_same_form_is_accepted(client, open_round, settings):
    settings.FEEDBACK_MIN_SECONDS = 5
    with time_machine.travel(dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC), tick=False) as clock:
        FeedbackRoundFactory(slug="later")  # open around the travelled-to date
        token = issue_form_token(purpose="comment")
        clock.shift(6)
        response = post(client, form_token=token)
    assert response.status_code == 302


def test_an_expired_form_is_refused_and_the_text_kept(client, open_round):
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=2)):
        token = issue_form_token(purpose="comment")
    response = post(client, form_token=token)
    assert_refused(response, "This form has expired")
    assert "error rates for every group" in response.content.decode()


@pytest.mark.parametrize("token", ["", "forged", "eyJwIjoiY29tbWVudCJ9:abc:def"])
def test_a_missing_or_forged_token_is_refused(client, open_round, token):
    assert_refused(post(client, form_token=token), "could not be verified")


def test_a_token_of_another_form_is_refused(client, open_round):
    assert_refused(
        post(client, form_token=issue_form_token(purpose="useful")), "could not be verified"
    )


def test_too_long_is_refused_and_the_text_kept(client, open_round):
    body = "word " * 1001
    response = post(client, body=body)
    assert_refused(response, "too long: at most 5000 characters")
    assert "word word word" in response.content.decode()


def test_too_short_is_refused(client, open_round):
    assert_refused(post(client, body="Too short"), "too short: write at least 10 characters")


def test_empty_comment_is_refused(client, open_round):
    assert_refused(post(client, body="   "), "Write your comment")


def test_missing_consent_is_refused(client, open_round):
    assert_refused(post(client, consent=None), "you must agree to the privacy notice")


def test_invalid_respondent_type_is_refused(client, open_round):
    assert_refused(
        post(client, respondent_type="robot"), "Choose one of the listed respondent types"
    )


def test_missing_respondent_type_is_refused(client, open_round):
    assert_refused(post(client, respondent_type=None), "Choose who you are answering as")


def test_invalid_country_is_refused(client, open_round):
    assert_refused(post(client, country="XX"), "Choose a country from the list")


def test_invalid_email_is_refused(client, open_round):
    assert_refused(post(client, email="not-an-address"), "Enter a valid e-mail address")


def test_a_country_outside_the_list_can_be_chosen(client, open_round):
    assert post(client, country="ZZ").status_code == 302
    assert Comment.objects.get().country_name == "Another country"


def test_the_same_comment_twice_is_refused(client, open_round):
    assert post(client).status_code == 302
    response = post(
        client, body="  THE evaluation should publish error rates for every group of people.  "
    )
    assert response.status_code == 422
    assert "already been received" in response.content.decode()
    assert Comment.objects.count() == 1


def test_the_same_text_on_another_action_is_accepted(client, open_round):
    assert post(client).status_code == 302
    response = client.post(reverse("feedback:comment", args=[4]), comment_data())
    assert response.status_code == 302
    assert Comment.objects.count() == 2


def test_rate_limit_gives_a_429_with_when_to_retry_and_keeps_the_text(client, open_round, settings):
    settings.FEEDBACK_RATE_LIMIT = 2
    settings.FEEDBACK_RATE_WINDOW_SECONDS = 600
    assert post(client, body="First comment, long enough.").status_code == 302
    assert post(client, body="Second comment, long enough.").status_code == 302
    response = post(client, body="Third comment, long enough.")
    assert response.status_code == 429
    assert 550 <= int(response["Retry-After"]) <= 601
    html = response.content.decode()
    assert "Please try again after" in html and "Nothing was saved" in html
    assert "Third comment, long enough." in html
    assert Comment.objects.count() == 2


def test_rate_limit_is_per_address(client, open_round, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    assert post(client, body="First comment, long enough.").status_code == 302
    assert post(client, body="Second comment, long enough.").status_code == 429
    response = client.post(
        URL, comment_data(body="Third comment, long enough."), REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code == 302


def test_rate_limit_ends_after_the_window(client, open_round, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    settings.FEEDBACK_RATE_WINDOW_SECONDS = 60
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as clock:
        assert post(client, body="First comment, long enough.").status_code == 302
        assert post(client, body="Second comment, long enough.").status_code == 429
        clock.shift(61)
        assert post(client, body="Second comment, long enough.").status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_address_is_limited(client, open_round, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    settings.TRUSTED_PROXIES = 1
    first = client.post(
        URL, comment_data(body="First comment, long enough."), HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    second = client.post(
        URL, comment_data(body="Second comment, long enough."), HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    third = client.post(
        URL, comment_data(body="Third comment, long enough."), HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert (first.status_code, second.status_code, third.status_code) == (302, 302, 429)


def test_unknown_action_is_404(client, open_round):
    assert client.post(reverse("feedback:comment", args=[9]), comment_data()).status_code == 404


def test_confirmation_link_cannot_be_guessed(client, open_round):
    comment = CommentFactory(round=open_round)
    assert client.get(reverse("feedback:thanks", args=[str(comment.pk)])).status_code == 404


def test_htmx_rate_limit_returns_the_message_partial(client, open_round, settings):
    settings.FEEDBACK_RATE_LIMIT = 0
    response = client.post(URL, comment_data(), HTTP_HX_REQUEST="true")
    assert_refused(response, "Please try again after", status=429)
    assert "<html" not in response.content.decode()


def test_an_invalid_comment_without_javascript_shows_the_form_with_its_errors(client, open_round):
    response = post(client, body="short")
    html = response.content.decode()
    assert response.status_code == 422 and "<html" in html
    assert "There is no public feedback round" not in html
    assert "No feedback round is open" not in html
    assert "“Open round” is open for comments until" in html
    assert "too short: write at least 10 characters" in html
    assert 'name="body"' in html and "short</textarea>" in html


def test_addresses_of_one_ipv6_network_share_the_rate_limit(client, open_round, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    first = client.post(
        URL, comment_data(body="First comment, long enough."), REMOTE_ADDR="2001:db8:1:2::10"
    )
    second = client.post(
        URL, comment_data(body="Second comment, long enough."), REMOTE_ADDR="2001:db8:1:2::99"
    )
    other_network = client.post(
        URL, comment_data(body="Third comment, long enough."), REMOTE_ADDR="2001:db8:1:3::10"
    )
    assert (first.status_code, second.status_code, other_network.status_code) == (302, 429, 302)


def test_posts_sent_in_parallel_cannot_beat_the_rate_limit(rf, open_round, settings):
    """Eight posts counted at once from one address: exactly the limit gets through."""
    from concurrent.futures import ThreadPoolExecutor

    from feedback.antispam import count_post

    settings.FEEDBACK_RATE_LIMIT = 3
    requests = [rf.post(URL, REMOTE_ADDR="198.51.100.9") for _ in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        decisions = list(pool.map(lambda r: count_post(r, scope="comment"), requests))
    assert sum(d.allowed for d in decisions) == 3
