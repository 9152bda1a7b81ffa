"""Bad input, never a 500: generated posts to every form and JSON endpoint.

Hypothesis posts over-long text, Unicode edge cases (RTL, emoji, combining marks, NUL), HTML
and script, SQL metacharacters, invalid choices, missing and repeated fields, numbers out of
range, NaN and Infinity, and other authorities' ids. For every post: the response is not a
5xx, and a refused request (a 4xx) leaves the saved data exactly as it was. Some endpoints
have a sharper rule (an invalid answer never replaces the saved one; a redirect never leaves
the site). After the examples, the pages showing what was saved still render.

The objects come from the page catalogue's world (tests/pages.py); each test runs in a
savepoint, so what its examples save is undone afterwards.
"""

import os
import re
from urllib.parse import urlsplit

import pytest
from axes.utils import reset as reset_axes
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessment.models import Answer, AnswerType, Assessment, Item
from feedback.antispam import issue_form_token
from feedback.models import Comment
from tests.factories import TEST_PASSWORD
from tests.pages import saved_state

pytestmark = pytest.mark.django_db

# CI runs a bounded number of examples (the file takes under a minute); for a deeper search,
# FUZZ_EXAMPLES=500 .venv/bin/python -m pytest tests/test_fuzz.py
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FEW = settings(FUZZ, max_examples=max(1, EXAMPLES // 2))

# --- Generated input -------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t\r\n\r\n",
    "\ufeff",
    "\u200b",
    "\u202eevil\u202c",
    "مرحبا بالعالم",
    "שָׁלוֹם",
    "👩🏽‍🚒🇪🇺💥",
    "e\u0301\u0301\u0301\u0301",
    "Z\u0364\u0354\u0367\u0311\u0313a\u0308\u0356\u032d\u0308\u0307l\u036e\u0312\u036bgo",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "' OR '1'='1' --",
    "'; DROP TABLE assessment_answer; --",
    '"; SELECT * FROM auth_user',
    "%00",
    "%",
    "_",
    "\\",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "${jndi:ldap://x}",
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example",
    "../../etc/passwd",
    "x" * 5001,
    "é" * 10_001,
    "😀" * 2600,
    "word " * 1200,
]
NUMBERS = [
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "-0",
    "0",
    "1",
    "4",
    "5",
    "-1",
    "1e309",
    "-1e309",
    "1e-400",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9" * 30,
    "1.005",
    "12,5",
    "1 000",
    "1\u00a0000",
    "0x10",
    "١٢",
    "１２",
    "3.0",
    "+3",
    " 3 ",
]
text = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))
number = st.one_of(
    st.sampled_from(NUMBERS),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
anything = st.one_of(text, number)

MISSING = object()


def field(valid: st.SearchStrategy) -> st.SearchStrategy:
    """A form field: a valid value, garbage, missing, or repeated (a list posts it twice)."""
    one = st.one_of(valid, valid, anything)
    return st.one_of(one, one, one, st.just(MISSING), st.lists(one, min_size=2, max_size=3))


def form(**fields: st.SearchStrategy) -> st.SearchStrategy:
    """A POST body: the named fields (see `field`) plus, sometimes, unknown ones."""
    known = st.fixed_dictionaries({name: field(valid) for name, valid in fields.items()})
    extra = st.dictionaries(
        st.sampled_from(
            ["id", "pk", "status", "authority", "is_staff", "csrfmiddlewaretoken", "\x00"]
        ),
        anything,
        max_size=2,
    )
    return st.builds(
        lambda k, e: {**e, **{n: v for n, v in k.items() if v is not MISSING}}, known, extra
    )


def last(value) -> str:
    """What Django reads from a field posted once or several times (the last value)."""
    return value[-1] if isinstance(value, list) else value


# --- What must not change --------------------------------------------------------------------

snapshot = saved_state


def check(response, before: dict, where: str) -> None:
    """Never a 5xx; a refusal (4xx) changes nothing."""
    event(f"status {response.status_code}")  # shown by --hypothesis-show-statistics
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if response.status_code >= 400:
        assert snapshot() == before, f"{where}: refused with {response.status_code} but changed"


def still_renders(client, *paths: str) -> None:
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, f"{path}: {response.status_code} after the examples"


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    """The feedback forms' timing and rate limits would refuse most examples."""
    settings.FEEDBACK_MIN_SECONDS = 0
    settings.FEEDBACK_RATE_LIMIT = 1_000_000
    settings.AXES_FAILURE_LIMIT = 1_000_000


def client_as(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- The officers' questionnaire -------------------------------------------------------------

WHOLE_NUMBER = re.compile(r"\s*[+-]?\d+(\.0*)?\s*")
CHOICES = {
    AnswerType.MATURITY: ("level", {"", "0", "1", "2", "3", "4"}),
    AnswerType.YES_NO: ("yes", {"", "yes", "no"}),
}


def item_fields(item: Item, answer: Answer | None) -> st.SearchStrategy:
    from assessment.answers.values import AnswerValues

    stored = AnswerValues.of(answer)
    version = str(answer.version if answer else 0)
    value = {
        AnswerType.MATURITY: ("level", st.sampled_from(["0", "1", "2", "3", "4", ""])),
        AnswerType.YES_NO: ("yes", st.sampled_from(["yes", "no", ""])),
        AnswerType.NUMBER: ("number", st.sampled_from(["0", "12.5", "40", "100", ""])),
    }[item.answer_type]
    return form(
        **{
            "version": st.just(version),
            "loaded": st.just(stored.fingerprint()),
            "conflict": st.sampled_from(["False", "True"]),
            "flagged": st.sampled_from(["False", "True"]),
            "resolve": st.sampled_from(["", "mine", "theirs"]),
            value[0]: value[1],
            "not_applicable": st.sampled_from(["on", ""]),
            "na_reason": st.sampled_from(["Too small a town.", ""]),
            "evidence_note": st.sampled_from(["Council decision 2024/17.", ""]),
            "evidence_url": st.sampled_from(["https://example.org/report.pdf", "example.org", ""]),
        }
    )


def clearly_invalid(item: Item, posted: dict) -> bool:
    """An answer the form must refuse: a choice not offered, or a version that is no number."""
    version = posted.get("version", MISSING)
    if version is MISSING or not WHOLE_NUMBER.fullmatch(last(version)):
        return True
    if item.answer_type in CHOICES:
        name, allowed = CHOICES[item.answer_type]
        if name in posted and last(posted[name]) not in allowed:
            return True
    return False


@st.composite
def questionnaire_posts(draw, assessment: Assessment):
    """(Action, {item: posted fields}) for 1-3 items of one section (or of an unknown Action)."""
    action = draw(st.sampled_from([1, 2, 3, 4, 5, 6, 99]))
    items = list(
        Item.objects.filter(
            questionnaire=assessment.questionnaire, section__action__number=min(action, 6)
        ).order_by("position")
    )
    answers = {a.item_id: a for a in Answer.objects.filter(assessment=assessment)}
    chosen = draw(
        st.lists(st.sampled_from(items), min_size=1, max_size=3, unique_by=lambda i: i.pk)
    )
    return action, {item: draw(item_fields(item, answers.get(item.pk))) for item in chosen}


def post_answers(client, assessment: Assessment, action: int, per_item: dict, *, htmx: bool):
    from assessment.wording import item_prefix

    body = {
        f"{item_prefix(item)}-{name}": value
        for item, fields in per_item.items()
        for name, value in fields.items()
    }
    event(f"Action {action}, htmx {htmx}")
    return body, client.post(
        reverse("assessment:save", args=[assessment.pk, action]),
        body,
        **({"HTTP_HX_REQUEST": "true"} if htmx else {}),
    )


@pytest.mark.parametrize("target", ["draft", "returned"])
@FUZZ
@given(data=st.data())
def test_questionnaire_save_never_fails_and_keeps_saved_answers(world, target, data):
    assessment = getattr(world, target)
    action, per_item = data.draw(questionnaire_posts(assessment))
    before = snapshot()
    stored = {a.item_id: a for a in Answer.objects.filter(assessment=assessment)}
    body, response = post_answers(
        client_as(world.officer), assessment, action, per_item, htmx=data.draw(st.booleans())
    )
    check(response, before, f"save {target} Action {action} {body!r}")
    after = {a.item_id: a for a in Answer.objects.filter(assessment=assessment)}
    for item, fields in per_item.items():
        if clearly_invalid(item, fields) or action == 99:
            old, new = stored.get(item.pk), after.get(item.pk)
            assert (old and old.version) == (new and new.version), (
                f"{item.code}: an invalid answer {fields!r} replaced the saved one"
            )


@pytest.mark.parametrize("target", ["submitted", "approved", "other_draft"])
@FEW
@given(data=st.data())
def test_questionnaire_save_changes_nothing_once_submitted_or_elsewhere(world, target, data):
    assessment = getattr(world, target)
    action, per_item = data.draw(questionnaire_posts(assessment))
    before = snapshot()
    body, response = post_answers(
        client_as(world.officer), assessment, action, per_item, htmx=data.draw(st.booleans())
    )
    check(response, before, f"save {target} Action {action} {body!r}")
    assert snapshot() == before, f"{target} changed by {body!r}"


def test_questionnaire_pages_render_whatever_was_saved(world):
    """Run after the fuzzing above in the same world: save odd but valid text, then read."""
    from assessment.wording import item_prefix
    from tests.factories import answer_form_data

    client = client_as(world.officer)
    for item in Item.objects.filter(
        questionnaire=world.draft.questionnaire, section__action__number=1
    ):
        nasty = "".join(NASTY[:24])
        body = answer_form_data(
            world.draft,
            item,
            evidence_note=nasty.replace("\x00", ""),
            evidence_url="https://example.org/?q=<script>'\"",
        )
        response = client.post(reverse("assessment:save", args=[world.draft.pk, 1]), body)
        assert response.status_code == 302, item_prefix(item)
    pages = [
        reverse("assessment:section", args=[world.draft.pk, 1]),
        reverse("assessment:overview", args=[world.draft.pk]),
        reverse("assessment:results", args=[world.draft.pk]),
        reverse("assessment:results_json", args=[world.draft.pk]),
    ]
    still_renders(client, *pages)
    still_renders(client_as(world.coordinator), *pages)
    html = client.get(pages[0]).content.decode()
    assert "<script>alert(1)</script>" not in html


@FUZZ
@given(
    target=st.sampled_from(["draft", "returned", "submitted", "approved", "other_draft"]),
    body=form(revision=st.sampled_from(["1", "2", "3", "4"])),
)
def test_submit_never_fails(world, target, body):
    client = client_as(world.officer)
    assessment = getattr(world, target)
    before = snapshot()
    response = client.post(reverse("assessment:submit", args=[assessment.pk]), body)
    check(response, before, f"submit {target} {body!r}")
    if target in ("submitted", "approved", "other_draft"):
        assert snapshot() == before


@FUZZ
@given(
    authority=st.one_of(st.sampled_from(["own", "other"]), anything),
    body=form(copy_previous=st.sampled_from(["on", ""])),
)
def test_start_never_fails_nor_starts_for_another_authority(world, authority, body):
    client = client_as(world.officer)
    body["authority"] = {
        "own": str(world.authority.pk),
        "other": str(world.other_authority.pk),
    }.get(authority, authority)
    before = snapshot()
    others = Assessment.objects.filter(authority=world.other_authority).count()
    response = client.post(reverse("assessment:start"), body)
    check(response, before, f"start {body!r}")
    assert Assessment.objects.filter(authority=world.other_authority).count() == others


# --- Coordinators' review --------------------------------------------------------------------

REVIEWED = st.sampled_from(["submitted", "approved", "returned", "draft"])


@FUZZ
@given(
    target=REVIEWED,
    decision=st.sampled_from(["review_return", "review_approve"]),
    body=form(
        comment=st.sampled_from(["Please add evidence for A1.2.", ""]),
        revision=st.sampled_from(["1", "2", "3"]),
    ),
    htmx=st.booleans(),
)
def test_review_decisions_never_fail(world, target, decision, body, htmx):
    client = client_as(world.coordinator)
    assessment = getattr(world, target)
    before = snapshot()
    status = Assessment.objects.get(pk=assessment.pk).status
    response = client.post(
        reverse(f"assessment:{decision}", args=[assessment.pk]),
        body,
        **({"HTTP_HX_REQUEST": "true"} if htmx else {}),
    )
    check(response, before, f"{decision} {target} {body!r}")
    comment = last(body.get("comment", ""))
    if decision == "review_return" and "\x00" not in comment and not comment.strip():
        assert Assessment.objects.get(pk=assessment.pk).status == status, (
            "returned without a comment"
        )


@FUZZ
@given(
    target=REVIEWED,
    item=st.one_of(st.sampled_from(["first", "999999999", "0"]), anything),
    body=form(text=st.sampled_from(["The link is broken.", ""])),
    htmx=st.booleans(),
)
def test_review_comments_never_fail(world, target, item, body, htmx):
    client = client_as(world.coordinator)
    assessment = getattr(world, target)
    if item == "first":
        item = str(Item.objects.filter(questionnaire=assessment.questionnaire).first().pk)
    body["item"] = item
    before = snapshot()
    response = client.post(
        reverse("assessment:review_comment", args=[assessment.pk]),
        body,
        **({"HTTP_HX_REQUEST": "true"} if htmx else {}),
    )
    check(response, before, f"review comment {target} {body!r}")


# --- Public feedback -------------------------------------------------------------------------


def token(purpose: str) -> st.SearchStrategy:
    return st.one_of(
        st.builds(lambda: issue_form_token(purpose=purpose)),
        st.sampled_from(["", "forged", issue_form_token(purpose="other")]),
    )


@FUZZ
@given(
    number=st.sampled_from([3, 3, 3, 1, 99]),
    htmx=st.booleans(),
    body=form(
        body=st.sampled_from(
            ["The evaluation should publish error rates for every group.", "Too short"]
        ),
        display_name=st.sampled_from(["Luc", ""]),
        email=st.sampled_from(["luc@example.org", "", "not-an-address"]),
        respondent_type=st.sampled_from(["citizen", "public_authority", "other"]),
        country=st.sampled_from(["FR", "BE", "other", ""]),
        consent=st.sampled_from(["on", ""]),
        homepage=st.sampled_from(["", ""]),
        form_token=token("comment"),
    ),
)
def test_comment_form_never_fails(number, htmx, body):
    client = Client()
    before = snapshot()
    response = client.post(
        reverse("feedback:comment", args=[number]),
        body,
        **({"HTTP_HX_REQUEST": "true"} if htmx else {}),
    )
    check(response, before, f"comment on Action {number} {body!r}")
    if response.status_code == 422 or number == 99:
        assert Comment.objects.count() == len(before["feedback.Comment"])


@FUZZ
@given(
    target=st.sampled_from(["comment", "pending", "missing"]),
    body=form(
        reason=st.sampled_from(["spam", "offensive", "off_topic", "other"]),
        homepage=st.just(""),
        form_token=token("report"),
    ),
)
def test_report_form_never_fails(world, target, body):
    pk = {"comment": world.comment.pk, "pending": world.pending.pk, "missing": 999_999}[target]
    before = snapshot()
    response = Client().post(reverse("feedback:report", args=[pk]), body)
    check(response, before, f"report {target} {body!r}")


@FUZZ
@given(
    htmx=st.booleans(),
    body=form(
        page=st.sampled_from(["/actions/", "/", "/actions/3/", "/assessment/", "/no-such-page/"]),
        useful=st.sampled_from(["yes", "no"]),
        comment=st.sampled_from(["", "Clear, thank you."]),
        homepage=st.just(""),
        form_token=token("useful"),
    ),
)
def test_useful_widget_never_fails(world, htmx, body):
    before = snapshot()
    response = Client().post(
        reverse("feedback:useful"), body, **({"HTTP_HX_REQUEST": "true"} if htmx else {})
    )
    check(response, before, f"useful {body!r}")
    if response.status_code == 302:
        assert_stays_on_site(response)


# --- Moderation ------------------------------------------------------------------------------


@FEW
@given(
    target=st.sampled_from(["comment", "pending"]),
    endpoint=st.sampled_from(["moderation_reject", "moderation_respond"]),
    body=form(
        reason=st.sampled_from(["Advertising.", ""]),
        body=st.sampled_from(["Thank you, the Action now covers this.", ""]),
        next=st.sampled_from(["/feedback/moderation/", "//evil.example/"]),
    ),
)
def test_moderation_forms_never_fail(world, target, endpoint, body):
    client = client_as(world.coordinator)
    comment = getattr(world, target)
    before = snapshot()
    response = client.post(reverse(f"feedback:{endpoint}", args=[comment.pk]), body)
    check(response, before, f"{endpoint} {target} {body!r}")


@FEW
@given(
    decision=st.one_of(
        st.sampled_from(["publish", "hide", "unhide", "keep", "erase"]),
        st.from_regex(r"[-a-zA-Z0-9_]{1,30}", fullmatch=True),
    ),
    body=form(
        next=st.sampled_from(
            [
                "/feedback/moderation/?queue=all",
                "//evil.example/",
                "/feedback/moderation//evil.example",
            ]
        )
    ),
)
def test_moderation_decisions_never_fail(world, decision, body):
    client = client_as(world.coordinator)
    before = snapshot()
    response = client.post(
        reverse("feedback:moderation_decide", args=[world.pending.pk, decision]), body
    )
    check(response, before, f"decide {decision} {body!r}")
    if response.status_code == 302:
        assert_stays_on_site(response)


@FEW
@given(
    slug=st.sampled_from(["open-round", "closed-round", "missing"]),
    number=st.sampled_from([3, 1, 99]),
    body=form(body=st.sampled_from(["The comments led to a new training module.", ""])),
)
def test_outcome_form_never_fails(world, slug, number, body):
    client = client_as(world.coordinator)
    before = snapshot()
    response = client.post(reverse("feedback:moderation_outcome", args=[slug, number]), body)
    check(response, before, f"outcome {slug} {number} {body!r}")


# --- Filters and other query strings (GET forms) ---------------------------------------------

FIELD_FILTERS = {
    "status": st.sampled_from(["", "draft", "submitted", "approved"]),
    "cycle": st.sampled_from(["", "2024", "2026", "1999"]),
    "country": st.sampled_from(["", "BE", "LV", "XX"]),
    "band": st.sampled_from(["", "small", "large"]),
    "partner": st.sampled_from(["", "yes", "no"]),
    "sort": st.sampled_from(["", "authority", "score", "-score"]),
    "page": st.sampled_from(["1", "2", "last", "0", "-1"]),
}
COMMENT_FILTERS = {
    "queue": st.sampled_from(["pending", "reported", "all", ""]),
    "round": st.sampled_from(["open-round", "closed-round", ""]),
    "action": st.sampled_from(["3", "1", "99", ""]),
    "status": st.sampled_from(["pending", "published", "hidden", ""]),
    "respondent_type": st.sampled_from(["citizen", "other", ""]),
    "page": st.sampled_from(["1", "2", "last"]),
}
PAGE_ONLY = {"page": st.sampled_from(["1", "2", "last"])}
QUERIES = [
    ("assessment:coordinator_dashboard", "coordinator", FIELD_FILTERS),
    ("assessment:coordinator_heatmap", "coordinator", FIELD_FILTERS),
    ("assessment:export_scores", "coordinator", FIELD_FILTERS),
    ("assessment:export_answers", "coordinator", FIELD_FILTERS),
    ("feedback:moderation", "coordinator", COMMENT_FILTERS),
    ("feedback:moderation_export", "coordinator", COMMENT_FILTERS),
    ("feedback:moderation_pages", "coordinator", PAGE_ONLY),
    ("feedback:rounds", "anonymous", PAGE_ONLY),
    (
        "feedback:useful_thanks",
        "anonymous",
        {"next": st.sampled_from(["/actions/", "//x.example"])},
    ),
    ("login", "anonymous", {"next": st.sampled_from(["/assessment/", "https://x.example/"])}),
    ("assessment:dashboard", "officer", PAGE_ONLY),
]


@pytest.mark.parametrize(("name", "role", "fields"), QUERIES, ids=[q[0] for q in QUERIES])
@settings(FUZZ, max_examples=max(1, EXAMPLES // 3))
@given(data=st.data())
def test_query_strings_never_fail(world, name, role, fields, data):
    query = data.draw(form(**fields))
    client = client_as(world.user(role))
    response = client.get(reverse(name), query)
    event(f"{name}: {response.status_code}")
    assert response.status_code < 500, f"{name}?{query!r}: {response.status_code}"
    if response.streaming:
        # The CSV is written while it streams. Consuming it through the test client's wrapper
        # closes it without firing request_finished, which would close the test's connection.
        b"".join(response.streaming_content)


# --- Accounts and language -------------------------------------------------------------------


@FUZZ
@given(
    body=form(
        username=st.sampled_from(["officer", "coordinator", "OFFICER", ""]),
        password=st.sampled_from([TEST_PASSWORD, "wrong", ""]),
        next=st.sampled_from(
            ["/assessment/", "//evil.example/", "https://evil.example/", "/\\evil.example"]
        ),
    )
)
def test_login_never_fails_nor_leaves_the_site(world, body):
    reset_axes()
    cache.clear()
    before = snapshot()
    client = Client()
    response = client.post(reverse("login"), body)
    check(response, before, f"login {body!r}")
    if response.status_code == 302:
        assert_stays_on_site(response)
    valid = (
        last(body.get("username", "")) in ("officer", "coordinator")
        and last(body.get("password", "")) == TEST_PASSWORD
    )
    if not valid:
        assert "_auth_user_id" not in client.session, f"logged in with {body!r}"


@FUZZ
@given(
    body=form(
        language=st.sampled_from(["fr", "en"]),
        next=st.sampled_from(
            ["/actions/", "/", "//evil.example/", "https://evil.example/", "/\\evil.example"]
        ),
    ),
    referer=st.sampled_from(["", "https://evil.example/", "http://testserver/actions/"]),
)
def test_language_switch_never_fails_nor_leaves_the_site(body, referer):
    response = Client().post(
        reverse("set_language"), body, **({"HTTP_REFERER": referer} if referer else {})
    )
    assert response.status_code < 500
    if response.status_code == 302:
        assert_stays_on_site(response)


def assert_stays_on_site(response) -> None:
    location = response["Location"]
    parts = urlsplit(location)
    assert parts.netloc in ("", "testserver"), f"redirects off the site: {location!r}"
    assert not location.startswith(("//", "/\\")), f"redirects off the site: {location!r}"
