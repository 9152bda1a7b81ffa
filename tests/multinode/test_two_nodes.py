"""Two gunicorn nodes and a task worker over one PostgreSQL database and one Redis.

The processes are real (separate ports on 127.0.0.1, the production command), so anything
kept per process (a cache, a rate limit's count) would show here. Runs on PostgreSQL only:
the test database of this run is shared with the nodes, which an in-memory SQLite cannot do.
"""

import re
import shutil
import statistics
import time

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse

from assessment.models import Assessment, ReportState, StoredReport
from feedback.antispam import issue_form_token
from feedback.conf import setting
from feedback.models import Comment
from partnership.login_limits import ACCOUNT_FAILURE_LIMIT
from tests.factories import (
    TEST_PASSWORD,
    AssessmentFactory,
    CoordinatorFactory,
    FeedbackRoundFactory,
    MembershipFactory,
    approved_peer,
    fill,
)
from tests.servers import OwnRedis, free_port, wait_healthy, wait_until, web_node, worker

pytestmark = [
    pytest.mark.multinode,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the multi-node test needs PostgreSQL (set DATABASE_URL): the "
        "nodes share the test database, which SQLite in memory cannot",
    ),
    pytest.mark.skipif(
        shutil.which("redis-server") is None, reason="redis-server is not installed"
    ),
]
PASSWORD = TEST_PASSWORD


class Browser(requests.Session):
    """One person's browser: a cookie jar for 127.0.0.1 sent to whichever node it asks."""

    def csrf(self, base: str, path: str) -> str:
        self.get(base + path)
        return self.cookies["csrftoken"]

    def login(self, base: str, username: str, password: str = PASSWORD):
        token = self.csrf(base, "/accounts/login/")
        return self.post(
            base + "/accounts/login/",
            allow_redirects=False,
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": base + "/accounts/login/"},
        )

    def post_form(self, base: str, path: str, data: dict):
        token = self.cookies.get("csrftoken") or self.csrf(base, "/")
        return self.post(
            base + path,
            data={**data, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            headers={"Referer": base + path},
        )


@pytest.fixture
def cluster(transactional_db, tmp_path):
    """Redis, node A, node B and worker-1, started for this test and stopped after it."""
    redis = OwnRedis()
    redis.start()
    database = connection.settings_dict
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DATABASE_URL": (
            f"postgres://{database['USER'] or 'postgres'}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "CONN_MAX_AGE": "0",
        "REDIS_URL": redis.url,
        "CACHE_KEY_PREFIX": f"multinode-{free_port()}",
        "DJANGO_ENV": "development",
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "WORKER_HEARTBEAT_SECONDS": "0.5",
        "WORKER_DEAD_AFTER_SECONDS": "3",
        "LOG_LEVEL": "WARNING",
    }
    node_a, url_a = web_node("node-a", env, tmp_path)
    node_b, url_b = web_node("node-b", env, tmp_path)
    workers = {"worker-1": worker("worker-1", env, tmp_path)}
    for process in (node_a, node_b, workers["worker-1"]):
        process.start()
    try:
        wait_healthy(url_a)
        wait_healthy(url_b)
        yield {
            "a": url_a,
            "b": url_b,
            "redis": redis,
            "env": env,
            "log_dir": tmp_path,
            "workers": workers,
            "nodes": (node_a, node_b),
        }
    except BaseException:
        for process in (node_a, node_b, *workers.values()):
            print(process.name, process.output()[-3000:])  # noqa: T201 - shown on failure
        raise
    finally:
        for process in (node_a, node_b, *workers.values()):
            process.stop()
        redis.stop()


@pytest.fixture
def field(content, settings):
    """Mechelen's complete draft with its officer, five approved peers, a submitted sixth,
    a coordinator, and an open feedback round."""
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # what the nodes verify
    officer = MembershipFactory(user__username="officer", authority__name="Mechelen").user
    MembershipFactory(user__username="colleague")
    own = AssessmentFactory(authority=officer.memberships.get().authority)
    fill(own, level=3, by=officer)
    for n in range(5):
        approved_peer(score=40.0 + 5 * n)
    sixth = AssessmentFactory(complete=True)
    from assessment import workflow

    workflow.submit(assessment=sixth, by=None, notify=False)
    CoordinatorFactory(username="coordinator")
    FeedbackRoundFactory(title="Open round", slug="open-round")
    return {"own": own, "sixth": sixth}


def state_of(assessment: Assessment) -> ReportState | None:
    return ReportState.objects.filter(assessment=assessment, language="en").first()


def peers_shown(browser: Browser, base: str, assessment: Assessment) -> int:
    data = browser.get(base + reverse("assessment:results_json", args=[assessment.pk])).json()
    return data["peer_groups"][0]["n"]


def test_two_nodes_and_a_worker_share_reports_limits_peers_and_survive_failures(cluster, field):
    a, b = cluster["a"], cluster["b"]
    own, sixth = field["own"], field["sixth"]
    officer = Browser()
    assert officer.login(a, "officer").status_code == 302
    report_url = reverse("assessment:report_pdf", args=[own.pk])

    # An officer submits on node A: the worker renders the report once, before anyone asks.
    response = officer.post_form(
        a, reverse("assessment:submit", args=[own.pk]), {"revision": own.revision}
    )
    assert response.status_code == 302
    wait_until(lambda: (s := state_of(own)) and s.is_ready, timeout=60, what="the report")
    state = state_of(own)
    stored = StoredReport.objects.get(pk=state.report_id)
    assert stored.rendered_by == "worker-1" and state.attempts == 1
    stored_before = StoredReport.objects.count()

    # Node B serves it from the store, in well under 100 ms.
    timings = []
    for _ in range(7):
        started = time.perf_counter()
        pdf = officer.get(b + report_url)
        timings.append(time.perf_counter() - started)
        assert pdf.headers["Content-Type"] == "application/pdf"
        assert pdf.content == bytes(stored.pdf)
    assert statistics.median(timings) < 0.1, timings
    assert StoredReport.objects.count() == stored_before
    assert state_of(own).attempts == 1

    # The comment rate limit counts the posts made to both nodes together.
    visitor = Browser()
    limit = setting("FEEDBACK_RATE_LIMIT")
    tokens = [issue_form_token(purpose="comment") for _ in range(limit + 1)]
    time.sleep(setting("FEEDBACK_MIN_SECONDS"))
    codes = [
        visitor.post_form(
            (a, b)[i % 2], reverse("feedback:comment", args=[3]), comment(tokens[i], i)
        ).status_code
        for i in range(limit + 1)
    ]
    assert codes[:limit] == [302] * limit and codes[limit] == 429, codes
    assert Comment.objects.count() == limit

    # The login limit too: failures on A and on B lock the account on both.
    intruder = Browser()
    for i in range(ACCOUNT_FAILURE_LIMIT):
        intruder.login((a, b)[i % 2], "colleague", password="wrong")  # noqa: S106
    assert intruder.login(b, "colleague").status_code != 302
    assert intruder.login(a, "colleague").status_code != 302

    # An approval on node A changes the peer figures node B shows on its next request.
    before = peers_shown(officer, b, own)
    approved = coordinator_approves(a, sixth)
    assert approved.status_code == 302, approved.text[:500]
    assert peers_shown(officer, b, own) == before + 1

    # The officer's report is now stale: asking for it enqueues it; the worker is killed
    # mid-render, and the render is picked up again once a worker is back.
    assert officer.get(b + report_url).status_code == 202
    wait_until(
        lambda: state_of(own).status == "rendering",
        timeout=60,
        interval=0.02,
        what="the render to start",
    )
    cluster["workers"]["worker-1"].kill()
    replacement = worker("worker-2", cluster["env"], cluster["log_dir"])
    cluster["workers"]["worker-2"] = replacement
    replacement.start()
    wait_until(lambda: state_of(own).is_ready, timeout=60, what="the report after the kill")
    assert officer.get(a + report_url).headers["Content-Type"] == "application/pdf"

    # Redis stops for a few seconds: no 500 anywhere, and both nodes recover by themselves.
    cluster["redis"].stop()
    pages = ["/", "/actions/3/", reverse("assessment:results", args=[own.pk]), report_url]
    down = [officer.get(base + page).status_code for base in (a, b) for page in pages]
    refused = visitor.post_form(
        a, reverse("feedback:comment", args=[3]), comment(issue_form_token(purpose="comment"), 99)
    )
    assert all(code < 500 for code in down), down
    assert refused.status_code == 503
    assert "cannot check its spam limits" in refused.text
    time.sleep(2)
    cluster["redis"].start()
    time.sleep(1.5)
    for base in (a, b):
        assert officer.get(base + "/healthz").json()["cache"] == "ok"
        assert [officer.get(base + page).status_code for page in pages] == [200] * len(pages)


def comment(token: str, n: int) -> dict:
    return {
        "body": f"Comment number {n} on the evaluation of error rates for every group.",
        "display_name": "Luc",
        "email": "",
        "respondent_type": "citizen",
        "country": "FR",
        "consent": "on",
        "homepage": "",
        "form_token": token,
    }


def coordinator_approves(base: str, assessment: Assessment):
    coordinator = Browser()
    assert coordinator.login(base, "coordinator").status_code == 302
    review = coordinator.get(base + reverse("assessment:review", args=[assessment.pk])).text
    revision = re.search(r'name="revision" value="(\d+)"', review).group(1)
    return coordinator.post_form(
        base,
        reverse("assessment:review_approve", args=[assessment.pk]),
        {"revision": revision, "comment": ""},
    )
