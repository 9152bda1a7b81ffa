"""Benchmark: an Action page listing comments, and a comment post, with many comments stored.

`seed_comments` puts `n_comments` published comments on Action 3 (bulk_create, into the
CURRENT database: use a throwaway one); `bench_feedback` times BENCH_N (20) requests of each
kind in-process with django.test.Client. `make bench` calls both; alone:

    SQLITE_PATH=/tmp/fb.sqlite3 .venv/bin/python manage.py migrate
    SQLITE_PATH=/tmp/fb.sqlite3 .venv/bin/python -m bench.feedback
"""

import datetime as dt
import json
import math
import os
import time

BENCH_ROUND = "bench-round"


def seed_comments(n_comments: int) -> int:
    """Top up the bench round to `n_comments` published comments on Action 3."""
    from django.utils import timezone

    from actions.content import load_actions
    from actions.models import Action
    from feedback.antispam import text_hash
    from feedback.models import Comment, FeedbackRound, RespondentType

    if not Action.objects.exists():
        load_actions()
    now = timezone.now()
    bench_round, _created = FeedbackRound.objects.get_or_create(
        slug=BENCH_ROUND,
        defaults={
            "title": "Benchmark round",
            "opens_at": now - dt.timedelta(days=1),
            "closes_at": now + dt.timedelta(days=365),
        },
    )
    bench_round.actions.add(*Action.objects.all())
    action = Action.objects.get(number=3)
    existing = Comment.objects.filter(round=bench_round, action=action, status="published").count()
    types = RespondentType.values
    countries = ["BE", "FR", "IT", "ES", "DE", "PL", "LV", "FI"]
    batch = []
    for index in range(existing, n_comments):
        body = (
            f"Benchmark comment {index}: the draft Action should publish its evaluation "
            f"criteria and explain how small towns can take part."
        )
        moment = now - dt.timedelta(minutes=index)
        batch.append(
            Comment(
                round=bench_round,
                action=action,
                body=body,
                content_hash=text_hash(body),
                display_name="" if index % 3 else f"Visitor {index}",
                respondent_type=types[index % len(types)],
                country=countries[index % len(countries)],
                status="published",
                created_at=moment,
                consent_at=moment,
                published_at=moment,
            )
        )
    Comment.objects.bulk_create(batch, batch_size=2000)
    return len(batch)


def bench_feedback(n_comments: int = 20000) -> dict:
    """Rows (median / p95 of BENCH_N=20 requests, queries) for `make bench`'s table."""
    from django.contrib.auth import get_user_model
    from django.test.utils import override_settings

    from bench.common import client_for, measure, time_call
    from feedback.antispam import issue_form_token
    from partnership.roles import ensure_coordinator_group

    seed_comments(n_comments)
    client = client_for()
    last_page = math.ceil(n_comments / 20)
    stamp = time.time_ns()

    def comment(index: int) -> dict:
        return {
            "body": f"Benchmark post {stamp}-{index}: a comment long enough to be kept.",
            "respondent_type": "citizen",
            "country": "BE",
            "consent": "on",
            "form_token": issue_form_token(purpose="comment"),
        }

    coordinator, _created = get_user_model().objects.get_or_create(
        username="bench-feedback-coordinator", defaults={"is_staff": True}
    )
    coordinator.groups.add(ensure_coordinator_group())
    staff = client_for(coordinator)

    def export_all() -> None:
        response = staff.get("/feedback/moderation/export.csv?queue=all")
        assert response.status_code == 200, response.status_code
        for _chunk in response.streaming_content:  # the time is in producing the rows
            pass

    # The spam rules would (rightly) stop 20 posts in a row from one address.
    with override_settings(FEEDBACK_MIN_SECONDS=0, FEEDBACK_RATE_LIMIT=10**6):
        rows = [
            measure(
                client,
                "GET",
                "/actions/3/",
                expect=[200],
                name=f"feedback: Action page, {n_comments} comments",
            ),
            measure(
                client,
                "GET",
                f"/actions/3/?comments={last_page}",
                expect=[200],
                name=f"feedback: Action page, last of {last_page} comment pages",
            ),
            measure(
                client,
                "POST",
                "/feedback/actions/3/comment/",
                data=comment,
                expect=[302],
                name="feedback: post a comment",
            ),
            measure(
                client,
                "GET",
                f"/feedback/rounds/{BENCH_ROUND}/",
                expect=[200],
                name="feedback: public round summary",
            ),
            measure(
                staff,
                "GET",
                "/feedback/moderation/?queue=all",
                expect=[200],
                name="feedback: moderation queue, all comments",
            ),
            time_call(
                export_all, n=5, name=f"feedback: CSV export of {n_comments}+ comments (5 runs)"
            ),
        ]
    return {row["name"]: row for row in rows}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    rows = bench_feedback(n_comments=int(os.environ.get("BENCH_COMMENTS", "20000")))
    print(json.dumps(rows, indent=2))
