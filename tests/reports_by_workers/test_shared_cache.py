"""The shared Redis cache: going away degrades (no 500, a clear message where a limit cannot
be counted), and coming back is picked up without a restart. Uses its own redis-server."""

import shutil

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from assessment import benchmark
from assessment.models import Assessment, PeerDataVersion
from feedback.models import Comment
from portal.shared_cache import CacheUnavailable, shared_cache_available
from tests.factories import AssessmentFactory, FeedbackRoundFactory, approved_peer, move_to
from tests.feedback.conftest import comment_data
from tests.servers import OwnRedis, free_port

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed"
)
URL = reverse("feedback:comment", args=[3])


def redis_cache(settings, url: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.shared_cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{free_port()}",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


@pytest.fixture
def own_redis():
    server = OwnRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def _feedback_settings(settings):
    settings.FEEDBACK_MIN_SECONDS = 0


def test_an_unreachable_redis_reads_as_a_miss_and_drops_writes(settings):
    redis_cache(settings, f"redis://127.0.0.1:{free_port()}/0")

    cache.set("key", "value")

    assert cache.get("key", "default") == "default"
    assert cache.get_or_set("other", 7) == 7
    assert not shared_cache_available()
    with pytest.raises(CacheUnavailable):
        cache.incr("key")


@pytest.mark.django_db
def test_a_comment_posted_while_redis_is_down_is_refused_with_a_clear_message(
    client,
    settings,
    content,
    _feedback_settings,
):
    FeedbackRoundFactory(title="Open round", slug="open-round")
    redis_cache(settings, f"redis://127.0.0.1:{free_port()}/0")

    response = client.post(URL, comment_data())

    assert response.status_code == 503
    html = response.content.decode()
    assert "cannot check its spam limits right now" in html
    assert "publish error rates for every group" in html  # what was typed is shown back
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_pages_and_peer_tables_work_while_redis_is_down(client, settings, content):
    redis_cache(settings, f"redis://127.0.0.1:{free_port()}/0")

    assert client.get("/").status_code == 200
    assert client.get("/actions/3/").status_code == 200
    assert benchmark.peer_table(cycle=2026, version=content.version) == ()
    benchmark.invalidate(cycle=2026, version=content.version)  # in the database, not raised
    assert client.get("/healthz").json()["cache"] == "unreachable"


def test_the_cache_recovers_by_itself_when_redis_comes_back(settings, own_redis):
    redis_cache(settings, own_redis.url)
    cache.set("key", "before")
    assert cache.get("key") == "before"

    own_redis.stop()
    assert cache.get("key") is None
    own_redis.start()

    import time

    time.sleep(1.1)  # past the short pause after a failure
    cache.set("key", "after")
    assert cache.get("key") == "after"
    assert shared_cache_available()


@pytest.mark.django_db
def test_an_approval_while_redis_is_down_still_changes_the_peer_figures_every_node_reads(
    settings, content
):
    approved_peer(score=40)
    redis_cache(settings, f"redis://127.0.0.1:{free_port()}/0")
    before = benchmark.cache_key(cycle=2026, version=content.version)

    move_to(AssessmentFactory(complete=True), Assessment.Status.APPROVED)

    # The version is a database row: the outage cannot lose the bump, and the next request of
    # any node (one query) reads the new key, and a table of two peers.
    assert benchmark.cache_key(cycle=2026, version=content.version) != before
    assert len(benchmark.peer_table(cycle=2026, version=content.version)) == 2


@pytest.mark.django_db
def test_the_peer_data_version_is_bumped_only_if_the_change_commits(content):
    benchmark.invalidate(cycle=2026, version=content.version)
    before = PeerDataVersion.objects.get().generation

    with pytest.raises(RuntimeError), transaction.atomic():
        benchmark.invalidate(cycle=2026, version=content.version)
        raise RuntimeError("the approval failed")

    assert PeerDataVersion.objects.get().generation == before
