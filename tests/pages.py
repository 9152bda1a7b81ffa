"""One catalogue of every page and every POST endpoint of the site, per role.

A page listed here gets every check: the status each role gets and, for HTML pages, one <h1>,
a <title>, a label for every field, unique ids, no broken internal links and the same in French
(tests/test_pages.py); the security headers and no inline script (tests/test_security_headers.py);
axe-core in Chromium (tests/browser/test_accessibility.py). A POST endpoint listed here gets the
role-by-URL matrix (tests/test_access_matrix.py), the CSRF check (tests/test_csrf.py), an axe-core
run of its error messages, and its form is fuzzed (tests/test_fuzz.py).
`test_every_url_is_in_the_catalogue` fails when a URL pattern is in neither list nor in EXEMPT.

The objects the paths point to come from `build_world()`: Mechelen (the officer's authority)
with a draft, a returned, a submitted and an approved assessment (one per cycle), Riga (the
other city's officer) with a draft, an open feedback round with a published comment, a closed
round, a password-reset link for the officer, and peers to learn from: Ghent (approved
Advanced, with its own officer as contact) offered in Action 5, Mechelen offered in Action 1.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import TEST_PASSWORD

ROLES = ("anonymous", "officer", "other_city_officer", "coordinator")
LOGIN_URL = "/accounts/login/"


# --- Expected outcomes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location starts with `to` (a path, or a URL name reversed without args)."""

    to: str

    @property
    def path(self) -> str:
        return self.to if self.to.startswith("/") else reverse(self.to)

    def __str__(self) -> str:
        return f"302->{self.to}"


LOGIN = Redirect(LOGIN_URL)
Expected = int | Redirect


def public(status: int = 200) -> dict[str, Expected]:
    return dict.fromkeys(ROLES, status)


def members(
    officer: Expected = 200, coordinator: Expected = 200, other: Expected = 404
) -> dict[str, Expected]:
    """An object of Mechelen: its officers and coordinators read, Riga's officer gets 404."""
    return {
        "anonymous": LOGIN,
        "officer": officer,
        "other_city_officer": other,
        "coordinator": coordinator,
    }


def logged_in(status: Expected = 200) -> dict[str, Expected]:
    return {
        "anonymous": LOGIN,
        "officer": status,
        "other_city_officer": status,
        "coordinator": status,
    }


def coordinators_only(status: Expected = 200) -> dict[str, Expected]:
    return {"anonymous": LOGIN, "officer": 403, "other_city_officer": 403, "coordinator": status}


def own_authority(status: Expected = 200) -> dict[str, Expected]:
    """Mechelen's own pages (its offers, asking a peer): its officers only; everyone else 404."""
    return {"anonymous": LOGIN, "officer": status, "other_city_officer": 404, "coordinator": 404}


def review_only(status: Expected = 200) -> dict[str, Expected]:
    """An assessment's review pages: officers, of any city, get 404 as for other cities' data."""
    return {"anonymous": LOGIN, "officer": 404, "other_city_officer": 404, "coordinator": status}


# --- The world -------------------------------------------------------------------------------


@dataclass
class World:
    officer: Any
    other_city_officer: Any
    coordinator: Any
    authority: Any
    other_authority: Any
    draft: Any
    returned: Any
    submitted: Any
    approved: Any
    other_draft: Any
    open_round: Any
    closed_round: Any
    comment: Any  # published, on Action 3 of the open round
    pending: Any  # waiting for moderation
    reset_uid: str = ""
    auto_hidden: Any = None  # hidden by visitors' reports, waiting for a coordinator
    peer_offer: Any = None  # Ghent, approved Advanced, offered as a peer in Action 5
    own_offer: Any = None  # Mechelen offered in Action 1 (to withdraw)

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)

    @property
    def thanks_token(self) -> str:
        from feedback.views.public import THANKS_SALT

        return signing.dumps(self.pending.pk, salt=THANKS_SALT)


def load_content() -> None:
    """What the `content` fixture loads: the Actions, the partnership, the questionnaire."""
    from actions.content import load_actions
    from assessment.questionnaire.loader import load_questionnaire
    from partnership.content import load_partnership

    load_actions()
    load_partnership()
    load_questionnaire()


def build_world() -> World:
    """Every object the catalogue's paths need (load the `content` fixture first)."""
    from actions.models import Action
    from assessment.cycles import current_cycle
    from assessment.models import LearningPeerOffer
    from tests.factories import (
        AssessmentFactory,
        CommentFactory,
        CoordinatorFactory,
        FeedbackRoundFactory,
        MembershipFactory,
        UrbanAuthorityFactory,
        approved_peer,
    )

    authority = UrbanAuthorityFactory(name="Mechelen", country="BE", population=87_000)
    other_authority = UrbanAuthorityFactory(name="Riga", country="LV", population=605_000)
    officer = MembershipFactory(authority=authority, user__username="officer").user
    other_city_officer = MembershipFactory(
        authority=other_authority, user__username="riga-officer"
    ).user
    coordinator = CoordinatorFactory(username="coordinator")
    cycle = current_cycle()
    open_round = FeedbackRoundFactory(title="Open round", slug="open-round")
    closed_round = FeedbackRoundFactory(title="Closed round", slug="closed-round", closed=True)
    # Approved in the grace months of its cycle, so that the open data publishes it.
    with time_machine.travel(dt.datetime(cycle - 2, 1, 15, 12, tzinfo=dt.UTC), tick=False):
        approved = AssessmentFactory(authority=authority, cycle=cycle - 3, approved=True)
    ghent = approved_peer(
        score=90.0, cycle=cycle - 1, name="Ghent", country="BE", population=265_000
    ).authority
    ghent_officer = MembershipFactory(authority=ghent, user__username="ghent-officer").user
    return World(
        peer_offer=LearningPeerOffer.objects.create(
            authority=ghent,
            action=Action.objects.get(number=5),
            contact=ghent_officer,
            practice_note="Baseline and follow-up indicators for every cohesion programme.",
        ),
        own_offer=LearningPeerOffer.objects.create(
            authority=authority, action=Action.objects.get(number=1), contact=officer
        ),
        officer=officer,
        other_city_officer=other_city_officer,
        coordinator=coordinator,
        authority=authority,
        other_authority=other_authority,
        draft=AssessmentFactory(authority=authority, cycle=cycle),
        returned=AssessmentFactory(authority=authority, cycle=cycle - 1, returned=True),
        submitted=AssessmentFactory(authority=authority, cycle=cycle - 2, submitted=True),
        approved=approved,
        other_draft=AssessmentFactory(authority=other_authority, cycle=cycle, complete=True),
        open_round=open_round,
        closed_round=closed_round,
        comment=CommentFactory(round=open_round, published=True),
        pending=CommentFactory(round=open_round, body="A pending comment, not yet moderated."),
        reset_uid=urlsafe_base64_encode(force_bytes(officer.pk)),
        auto_hidden=CommentFactory(
            round=open_round, auto_hidden=True, body="A comment hidden after three reports."
        ),
    )


# --- GET pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A GET of `name` at `path(world)`; `expect` maps every role to its outcome.

    `follow`: follow redirects and expect the final status (password reset links redirect to a
    token-free URL first). `kind`: "html", "json", "jsonld", "csv" or "pdf". `contains`: text a 200
    response must contain (when another page could answer with 200 too).
    """

    name: str
    path: Callable[[World], str]
    expect: dict[str, Expected]
    label: str = ""
    kind: str = "html"
    follow: bool = False
    contains: str = ""  # a 200 response must contain it

    @property
    def id(self) -> str:
        return f"{self.name}[{self.label}]" if self.label else self.name


def url(name: str, *args: Callable[[World], Any] | Any) -> Callable[[World], str]:
    """A path builder: reverse(name) with args computed from the world (callables) or fixed."""

    def build(world: World) -> str:
        return reverse(name, args=[a(world) if callable(a) else a for a in args])

    return build


def pk(attribute: str) -> Callable[[World], int]:
    return lambda world: getattr(world, attribute).pk


def reset_path(world: World) -> str:
    """A valid reset link now: the token changes when the officer logs in (last_login)."""
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(pk=world.officer.pk)
    token = default_token_generator.make_token(officer)
    return reverse("password_reset_confirm", args=[world.reset_uid, token])


def bad_reset_path(world: World) -> str:
    return reverse("password_reset_confirm", args=[world.reset_uid, "0-expired"])


PAGES: list[Page] = [
    # Public site
    Page("portal:home", url("portal:home"), public()),
    Page(
        "portal:home_for_user",
        url("portal:home_for_user"),
        {
            "anonymous": LOGIN,
            "officer": Redirect("assessment:dashboard"),
            "other_city_officer": Redirect("assessment:dashboard"),
            "coordinator": Redirect("assessment:coordinator_dashboard"),
        },
    ),
    Page("partnership:about", url("partnership:about"), public()),
    Page("partnership:privacy", url("partnership:privacy"), public()),
    Page("partnership:accessibility", url("partnership:accessibility"), public()),
    Page("actions:list", url("actions:list"), public()),
    Page("actions:detail", url("actions:detail", 3), public(), label="open round"),
    Page("actions:detail", url("actions:detail", 1), public(), label="Action 1"),
    Page("actions:detail", url("actions:detail", 99), public(404), label="unknown"),
    Page("healthz", url("healthz"), public(), kind="json"),
    # Public feedback
    Page("feedback:rounds", url("feedback:rounds"), public()),
    Page(
        "feedback:round", url("feedback:round", lambda w: w.open_round.slug), public(), label="open"
    ),
    Page(
        "feedback:round",
        url("feedback:round", lambda w: w.closed_round.slug),
        public(),
        label="closed",
    ),
    Page("feedback:comment", url("feedback:comment", 3), public(), label="open"),
    Page("feedback:thanks", url("feedback:thanks", lambda w: w.thanks_token), public()),
    Page("feedback:thanks", url("feedback:thanks", "forged"), public(404), label="forged"),
    Page("feedback:report", url("feedback:report", pk("comment")), public()),
    Page(
        "feedback:report", url("feedback:report", pk("pending")), public(404), label="unpublished"
    ),
    Page("feedback:report_done", url("feedback:report_done", pk("comment")), public()),
    Page("feedback:useful_thanks", url("feedback:useful_thanks"), public()),
    # Open data
    Page("opendata:page", url("opendata:page"), public()),
    Page("opendata:download", url("opendata:download", "aggregates"), public(), kind="csv"),
    Page(
        "opendata:download",
        url("opendata:download", "unknown"),
        public(404),
        kind="csv",
        label="unknown",
    ),
    Page("opendata:dcat", url("opendata:dcat"), public(), kind="jsonld"),
    Page("opendata:openapi", url("opendata:openapi"), public(), kind="json"),
    Page("opendata:api_root", url("opendata:api_root"), public(), kind="json"),
    Page("opendata-api:list_datasets", url("opendata-api:list_datasets"), public(), kind="json"),
    Page(
        "opendata-api:aggregates",
        url(
            "opendata-api:aggregates",
            lambda w: w.approved.cycle,
            lambda w: w.approved.questionnaire.version,
        ),
        public(),
        kind="json",
    ),
    Page(
        "opendata-api:items",
        url(
            "opendata-api:items",
            lambda w: w.approved.cycle,
            lambda w: w.approved.questionnaire.version,
        ),
        public(),
        kind="json",
    ),
    Page("opendata-api:list_rounds", url("opendata-api:list_rounds"), public(), kind="json"),
    # Accounts
    Page("login", url("login"), public()),
    Page("password_change", url("password_change"), logged_in()),
    Page("password_change_done", url("password_change_done"), logged_in()),
    Page("partnership:language", url("partnership:language"), logged_in()),
    Page("password_reset", url("password_reset"), public()),
    Page("password_reset_done", url("password_reset_done"), public()),
    Page(
        "password_reset_confirm",
        reset_path,
        public(),
        follow=True,
        label="valid link",
        contains='name="new_password1"',
    ),
    Page("password_reset_confirm", bad_reset_path, public(), label="invalid link"),
    Page("password_reset_complete", url("password_reset_complete"), public()),
    # The officers' questionnaire
    Page(
        "assessment:dashboard",
        url("assessment:dashboard"),
        {
            "anonymous": LOGIN,
            "officer": 200,
            "other_city_officer": 200,
            "coordinator": Redirect("assessment:coordinator_dashboard"),
        },
    ),
    *[
        Page("assessment:overview", url("assessment:overview", pk(state)), members(), label=state)
        for state in ("draft", "returned", "submitted", "approved")
    ],
    *[
        Page(
            "assessment:section",
            url("assessment:section", pk("draft"), action),
            members(),
            label=f"draft, Action {action}",
        )
        for action in range(1, 7)
    ],
    Page(
        "assessment:section",
        url("assessment:section", pk("returned"), 2),
        members(),
        label="returned",
    ),
    Page(
        "assessment:section",
        url("assessment:section", pk("submitted"), 3),
        members(),
        label="submitted",
    ),
    Page(
        "assessment:section",
        url("assessment:section", pk("draft"), 9),
        members(404, 404),
        label="unknown Action",
    ),
    Page(
        "assessment:section",
        url("assessment:section", pk("other_draft"), 1),
        members(404, 200, 200),
        label="other city",
    ),
    # Results and report
    *[
        Page("assessment:results", url("assessment:results", pk(state)), members(), label=state)
        for state in ("draft", "submitted", "approved")
    ],
    Page(
        "assessment:results",
        url("assessment:results", pk("other_draft")),
        members(404, 200, 200),
        label="other city",
    ),
    Page(
        "assessment:results_json",
        url("assessment:results_json", pk("approved")),
        members(),
        kind="json",
    ),
    Page(
        "assessment:results_json",
        url("assessment:results_json", pk("other_draft")),
        members(404, 200, 200),
        kind="json",
        label="other city",
    ),
    # Improvement plans
    *[
        Page("assessment:plan", url("assessment:plan", pk(state)), members(), label=state)
        for state in ("draft", "submitted", "approved")
    ],
    Page(
        "assessment:plan",
        url("assessment:plan", pk("other_draft")),
        members(404, 200, 200),
        label="other city",
    ),
    # No request renders a PDF: until a task worker has, the report is "being prepared" (202).
    *[
        Page(
            "assessment:report_pdf",
            url("assessment:report_pdf", pk(state)),
            members(202, 202),
            label=state,
        )
        for state in ("draft", "submitted", "approved")
    ],
    Page(
        "assessment:report_pdf",
        url("assessment:report_pdf", pk("other_draft")),
        members(404, 202, 202),
        label="other city",
    ),
    # Peers to learn from
    Page(
        "assessment:learning_peers",
        url("assessment:learning_peers", pk("authority")),
        own_authority(),
    ),
    Page(
        "assessment:learning_peers",
        url("assessment:learning_peers", pk("other_authority")),
        {"anonymous": LOGIN, "officer": 404, "other_city_officer": 200, "coordinator": 404},
        label="other city",
    ),
    Page(
        "assessment:ask_peer",
        url("assessment:ask_peer", pk("draft"), pk("peer_offer")),
        own_authority(),
    ),
    Page(
        "assessment:ask_peer",
        url("assessment:ask_peer", pk("draft"), pk("own_offer")),
        own_authority(410),
        label="own authority",
    ),
    Page(
        "assessment:coordinator_learning_peers",
        url("assessment:coordinator_learning_peers"),
        coordinators_only(),
    ),
    Page(
        "assessment:export_learning_peers",
        url("assessment:export_learning_peers"),
        coordinators_only(),
        kind="csv",
    ),
    Page(
        "assessment:export_peer_requests",
        url("assessment:export_peer_requests"),
        coordinators_only(),
        kind="csv",
    ),
    # Coordinators
    Page(
        "assessment:coordinator_dashboard",
        url("assessment:coordinator_dashboard"),
        coordinators_only(),
    ),
    Page(
        "assessment:coordinator_heatmap", url("assessment:coordinator_heatmap"), coordinators_only()
    ),
    Page("portal:translations", url("portal:translations"), coordinators_only()),
    Page(
        "assessment:export_scores", url("assessment:export_scores"), coordinators_only(), kind="csv"
    ),
    Page(
        "assessment:export_answers",
        url("assessment:export_answers"),
        coordinators_only(),
        kind="csv",
    ),
    *[
        Page("assessment:review", url("assessment:review", pk(state)), review_only(), label=state)
        for state in ("submitted", "approved", "returned")
    ],
    Page("assessment:coordinator_plans", url("assessment:coordinator_plans"), coordinators_only()),
    Page(
        "assessment:export_plans", url("assessment:export_plans"), coordinators_only(), kind="csv"
    ),
    Page("feedback:moderation", url("feedback:moderation"), coordinators_only()),
    Page(
        "feedback:moderation_comment",
        url("feedback:moderation_comment", pk("pending")),
        coordinators_only(),
        label="pending",
    ),
    Page(
        "feedback:moderation_comment",
        url("feedback:moderation_comment", pk("comment")),
        coordinators_only(),
        label="published",
    ),
    Page(
        "feedback:moderation_comment",
        url("feedback:moderation_comment", pk("auto_hidden")),
        coordinators_only(),
        label="auto_hidden",
    ),
    Page("feedback:moderation_rounds", url("feedback:moderation_rounds"), coordinators_only()),
    Page(
        "feedback:moderation_outcome",
        url("feedback:moderation_outcome", lambda w: w.closed_round.slug, 3),
        coordinators_only(),
    ),
    Page(
        "feedback:moderation_export",
        url("feedback:moderation_export"),
        coordinators_only(),
        kind="csv",
    ),
    Page("feedback:moderation_pages", url("feedback:moderation_pages"), coordinators_only()),
]


# --- POST endpoints --------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    """A POST of `data(world)` to `name` at `path(world)`; `expect` maps every role to its
    outcome and `role` is the one whose post is taken (the CSRF and fuzz tests post as it).
    `prepare(client, world)` runs first (e.g. opening the password reset link)."""

    name: str
    path: Callable[[World], str]
    data: Callable[[World], dict]
    role: str
    expect: dict[str, Expected]
    label: str = ""
    prepare: Callable[[Any, World], None] | None = None

    @property
    def id(self) -> str:
        return f"{self.name}[{self.label}]" if self.label else self.name


def save_data(world: World) -> dict:
    from assessment.models import Item
    from tests.factories import answer_form_data

    item = Item.objects.get(questionnaire=world.draft.questionnaire, code="A1.2")
    return answer_form_data(world.draft, item, level="2")


def plan_data(world: World) -> dict:
    """A target on one item of the approved assessment (plans change in every status)."""
    from assessment.models import Item
    from tests.factories import target_form_data

    item = Item.objects.get(questionnaire=world.approved.questionnaire, code="A1.2")
    return target_form_data(world.approved, item, level="4", owner="Data office")


def comment_data(world: World) -> dict:
    from feedback.antispam import issue_form_token

    return {
        "body": "Publish the error rates of every system, group by group.",
        "language": "en",
        "display_name": "Luc",
        "email": "",
        "respondent_type": "citizen",
        "country": "FR",
        "consent": "on",
        "homepage": "",
        "form_token": issue_form_token(purpose="comment"),
    }


def report_data(world: World) -> dict:
    from feedback.antispam import issue_form_token

    return {"reason": "spam", "homepage": "", "form_token": issue_form_token(purpose="report")}


def useful_data(world: World) -> dict:
    from feedback.antispam import issue_form_token

    return {
        "page": "/actions/",
        "useful": "yes",
        "comment": "",
        "homepage": "",
        "form_token": issue_form_token(purpose="useful"),
    }


def first_item_pk(world: World) -> int:
    from assessment.models import Item

    return (
        Item.objects.filter(questionnaire=world.submitted.questionnaire)
        .order_by("position")
        .first()
        .pk
    )


def set_password_path(world: World) -> str:
    return reverse("password_reset_confirm", args=[world.reset_uid, "set-password"])


PASSWORD = TEST_PASSWORD
NEW_PASSWORD = "another long passphrase 4 tests"


def open_reset_link(client, world: World) -> None:
    client.get(reset_path(world))  # puts the reset token in the session


def officers_only(status: Expected = 302) -> dict[str, Expected]:
    """A change to Mechelen's assessment: its officers; coordinators 403; Riga's officer 404."""
    return {"anonymous": LOGIN, "officer": status, "other_city_officer": 404, "coordinator": 403}


POSTS: list[Post] = [
    Post(
        "set_language",
        url("set_language"),
        lambda w: {"language": "fr", "next": "/"},
        "anonymous",
        public(302),
    ),
    Post(
        "login",
        url("login"),
        lambda w: {"username": "officer", "password": PASSWORD},
        "anonymous",
        public(302),
    ),
    Post("logout", url("logout"), lambda w: {}, "officer", public(302)),
    Post(
        "partnership:language",
        url("partnership:language"),
        lambda w: {"language": "fr"},
        "officer",
        logged_in(302),
    ),
    Post(
        "password_change",
        url("password_change"),
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        "officer",
        logged_in(302),
    ),
    Post(
        "password_reset",
        url("password_reset"),
        lambda w: {"email": "officer@example.org"},
        "anonymous",
        public(302),
    ),
    Post(
        "password_reset_confirm",
        set_password_path,
        lambda w: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        "anonymous",
        public(302),
        prepare=open_reset_link,
    ),
    Post(
        "assessment:start",
        url("assessment:start"),
        lambda w: {"authority": w.authority.pk},
        "officer",
        officers_only(),
    ),
    Post(
        "assessment:save",
        url("assessment:save", pk("draft"), 1),
        save_data,
        "officer",
        officers_only(),
    ),
    Post(
        "assessment:submit",
        url("assessment:submit", pk("returned")),
        lambda w: {"revision": w.returned.revision},
        "officer",
        officers_only(),
    ),
    Post(
        "assessment:plan_save",
        url("assessment:plan_save", pk("approved")),
        plan_data,
        "officer",
        officers_only(),
    ),
    Post(
        "assessment:plan_preview",
        url("assessment:plan_preview", pk("approved")),
        plan_data,
        "officer",
        officers_only(200),
    ),
    Post(
        "assessment:review_return",
        url("assessment:review_return", pk("submitted")),
        lambda w: {"comment": "Add evidence.", "revision": w.submitted.revision},
        "coordinator",
        review_only(302),
    ),
    Post(
        "assessment:review_approve",
        url("assessment:review_approve", pk("submitted")),
        lambda w: {"revision": w.submitted.revision},
        "coordinator",
        review_only(302),
    ),
    Post(
        "assessment:review_comment",
        url("assessment:review_comment", pk("submitted")),
        lambda w: {"item": first_item_pk(w), "text": "The link is broken."},
        "coordinator",
        review_only(302),
    ),
    Post(
        "assessment:learning_peer_offer",
        url("assessment:learning_peer_offer", pk("authority"), 5),
        lambda w: {"practice_note": "Exploratory walks with residents.", "contact": w.officer.pk},
        "officer",
        own_authority(302),
    ),
    Post(
        "assessment:learning_peer_withdraw",
        url("assessment:learning_peer_withdraw", pk("authority"), 1),
        lambda w: {},
        "officer",
        own_authority(302),
    ),
    Post(
        "assessment:ask_peer",
        url("assessment:ask_peer", pk("draft"), pk("peer_offer")),
        lambda w: {"message": "How do you measure the feeling of safety by neighbourhood?"},
        "officer",
        own_authority(302),
    ),
    Post("feedback:comment", url("feedback:comment", 3), comment_data, "anonymous", public(302)),
    Post(
        "feedback:report",
        url("feedback:report", pk("comment")),
        report_data,
        "anonymous",
        public(302),
    ),
    Post("feedback:useful", url("feedback:useful"), useful_data, "anonymous", public(302)),
    Post(
        "feedback:moderation_decide",
        url("feedback:moderation_decide", pk("pending"), "publish"),
        lambda w: {},
        "coordinator",
        coordinators_only(302),
    ),
    Post(
        "feedback:moderation_decide",
        url("feedback:moderation_decide", pk("auto_hidden"), "restore"),
        lambda w: {},
        "coordinator",
        coordinators_only(302),
        label="restore",
    ),
    Post(
        "feedback:moderation_reject",
        url("feedback:moderation_reject", pk("pending")),
        lambda w: {"reason": "Advertising."},
        "coordinator",
        coordinators_only(302),
    ),
    Post(
        "feedback:moderation_respond",
        url("feedback:moderation_respond", pk("comment")),
        lambda w: {"body": "Thank you: the Action now covers this."},
        "coordinator",
        coordinators_only(302),
    ),
    Post(
        "feedback:moderation_mode",
        url("feedback:moderation_mode", lambda w: w.open_round.slug),
        lambda w: {"moderation": "post"},
        "coordinator",
        coordinators_only(302),
    ),
    Post(
        "feedback:moderation_outcome",
        url("feedback:moderation_outcome", lambda w: w.closed_round.slug, 3),
        lambda w: {"body": "The comments led to a new training module."},
        "coordinator",
        coordinators_only(302),
    ),
    Post(
        "portal:review_language",
        url("portal:review_language", "fr"),
        lambda w: {"reviewed": "yes"},
        "coordinator",
        coordinators_only(302),
    ),
]


# --- What a refused request must not change --------------------------------------------------


def saved_state() -> dict:
    """Every row a form of the site can write (sessions and login attempts aside)."""
    from django.contrib.auth import get_user_model

    from assessment.models import (
        Answer,
        Assessment,
        AssessmentEvent,
        ImprovementPlan,
        ItemComment,
        LearningPeerOffer,
        PeerRequest,
        PlanTarget,
    )
    from feedback.models import (
        Comment,
        FeedbackRound,
        ModerationEvent,
        OfficialResponse,
        OutcomeSummary,
        PageFeedback,
        Report,
    )
    from partnership.models import UserPreference
    from portal.models import LanguageReview, LanguageReviewEvent

    models = [
        Assessment,
        Answer,
        AssessmentEvent,
        ItemComment,
        ImprovementPlan,
        PlanTarget,
        LearningPeerOffer,
        PeerRequest,
        FeedbackRound,
        Comment,
        Report,
        PageFeedback,
        OfficialResponse,
        OutcomeSummary,
        ModerationEvent,
        LanguageReview,
        LanguageReviewEvent,
    ]
    rows = {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}
    # The languages people chose (a log-in records its own language beside them: not a form's).
    rows["languages"] = list(
        UserPreference.objects.exclude(language="")
        .order_by("user_id")
        .values("user_id", "language")
    )
    rows["users"] = list(
        get_user_model()
        .objects.order_by("pk")
        .values("pk", "password", "is_active", "is_staff", "email")
    )
    return rows


# --- Coverage --------------------------------------------------------------------------------

# URL names with no catalogue entry, each with the reason. admin:* is exempt as a whole (the
# Django admin is tested by Django and only coordinators reach it).
EXEMPT: dict[str, str] = {}


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    """Every named URL pattern, namespaced ("assessment:section"), outside the admin."""
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            if inner.split(":")[0] == "admin":
                continue
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                names.add(f"<unnamed {namespace}:{pattern.pattern}>")
            else:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def uncatalogued() -> list[str]:
    listed = {page.name for page in PAGES} | {post.name for post in POSTS} | set(EXEMPT)
    return sorted(url_names() - listed)
