"""Shared helpers for `make bench` and `make loadtest`.

For bench modules (bench/<app>.py, each with a `bench_<app>(...)` function that `bench/run.py`
calls after Django is set up and the scale data set is seeded):

    from bench.common import client_for, measure, scale_data

    def bench_results(n_authorities: int = 1000) -> list[dict]:
        data = scale_data()                      # the seeded cast and assessments
        client = client_for(data.officer)        # django.test.Client, force-logged-in
        return [
            measure(client, "GET", f"/assessment/{data.approved.pk}/results/",
                    name="results page"),
        ]

`measure(...)` returns a row {name, median_ms, p95_ms, queries, ...}; return a list of rows (or
a dict name -> row). `data` may be a callable `data(i)` when each request needs fresh input.
`time_call(fn, name=...)` times a plain function the same way (e.g. a PDF render).

This module imports only the standard library at the top: `bench/run.py` and
`bench/loadtest.py` use its database helpers before `django.setup()`.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench-results"
BENCH_PREFIX = "Bench Town "
EU_COUNTRIES = (
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
)
BENCH_OFFICER = "bench-officer"
BENCH_COORDINATOR = "bench-coordinator"


# --- A throwaway database, never db.sqlite3 ---------------------------------------------------


def sibling_database_url(url: str, suffix: str) -> str:
    """`url` with the database name `<name>_<suffix>` (unchanged if it already ends so)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    if not name.endswith(f"_{suffix}"):
        name = f"{name}_{suffix}"
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_postgres_database(url: str, *, suffix: str) -> None:
    """Drop and create the database of `url` through the `postgres` maintenance database.

    Refuses any name not ending in `_<suffix>`, so a typo can never drop a real database.
    """
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.endswith(f"_{suffix}"):
        raise SystemExit(f"Refusing to recreate {name!r}: only *_{suffix} databases are dropped.")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(maintenance, connect_timeout=10)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def database_label(url: str | None, sqlite_path: str | None) -> str:
    if url:
        parts = urlsplit(url)
        return f"PostgreSQL {parts.hostname}:{parts.port or 5432}{parts.path}"
    return f"SQLite {sqlite_path}"


# --- Measuring ---------------------------------------------------------------------------------


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summarise(name: str, timings: list[float], queries: list[int], **extra) -> dict:
    ms = [t * 1000 for t in timings]
    return {
        "name": name,
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "min_ms": round(min(ms), 2),
        "max_ms": round(max(ms), 2),
        "queries": max(queries) if queries else None,
        "queries_min": min(queries) if queries else None,
        **extra,
    }


def default_n() -> int:
    """Timed repetitions per row: 20, or BENCH_N for a quick smoke run."""
    return int(os.environ.get("BENCH_N", "20"))


def measure(
    client,
    method: str,
    path: str | Callable[[int], str],
    data: Any = None,
    n: int | None = None,
    *,
    name: str | None = None,
    warmup: int = 1,
    content_type: str | None = None,
    headers: dict | None = None,
    expect: Iterable[int] | None = None,
) -> dict:
    """Time `n` requests through the Django test client; count queries of each.

    `warmup` requests run first, untimed (caches filled, code paths loaded); use `warmup=0,
    n=1` to measure a first, cold request. `queries` is the largest count seen (queries
    should not vary; `queries_min` shows when they do). Statuses outside `expect` (default:
    any 2xx or 3xx) are reported in the row's `errors` rather than raised.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    n = n or default_n()
    send = getattr(client, method.lower())
    label = name or f"{method.upper()} {path if isinstance(path, str) else path(0)}"

    def request(i: int):
        url = path(i) if callable(path) else path
        payload = data(i) if callable(data) else data
        kwargs: dict[str, Any] = {"headers": headers or {}}
        if content_type is not None:
            kwargs["content_type"] = content_type
        return send(url, payload, **kwargs) if payload is not None else send(url, **kwargs)

    for i in range(warmup):
        request(-1 - i)
    timings, counts, statuses = [], [], []
    for i in range(n):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = request(i)
            timings.append(time.perf_counter() - started)
        counts.append(len(captured.captured_queries))
        statuses.append(response.status_code)
    allowed = set(expect) if expect is not None else None
    errors = [
        s for s in statuses if (s not in allowed if allowed is not None else not 200 <= s < 400)
    ]
    return summarise(
        label,
        timings,
        counts,
        status=statuses[-1],
        errors=len(errors),
        error_statuses=sorted(set(errors)),
    )


def time_call(fn: Callable[[], Any], n: int | None = None, *, name: str, warmup: int = 1) -> dict:
    """Time a plain function like `measure` times a request (queries counted too)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    n = n or default_n()
    for _ in range(warmup):
        fn()
    timings, counts = [], []
    for _ in range(n):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            timings.append(time.perf_counter() - started)
        counts.append(len(captured.captured_queries))
    return summarise(name, timings, counts, errors=0, error_statuses=[])


def relative_to_baseline(rows: list[dict], *, authorities: int, seeded: Any) -> dict[str, dict]:
    """The rows by name, each with `x_healthz` (its median over the first row's, the run's
    /healthz) and the number of authorities; the baseline row carries what was seeded."""
    baseline = rows[0]["median_ms"] or float("nan")
    for row in rows:
        row["x_healthz"] = round(row["median_ms"] / baseline, 1)
        row["authorities"] = authorities
    rows[0]["seeded"] = seeded
    return {row["name"]: row for row in rows}


def print_rows(rows: dict[str, dict]) -> None:
    """A bench module's rows as a plain table, when it runs on its own."""
    width = max(len(name) for name in rows)
    print(f"{'':{width}}  median ms   p95 ms  queries  x healthz")
    for name, row in rows.items():
        print(
            f"{name:{width}}  {row['median_ms']:9.2f} {row['p95_ms']:8.2f} "
            f"{row['queries']!s:>8} {row['x_healthz']:10.1f}"
        )


def client_for(user=None):
    """A test client, logged in as `user` without the login form (no password hashing).

    A view that raises gives a 500 response (counted in the row's errors), as in production,
    instead of stopping the whole run.
    """
    from django.test import Client

    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


# --- The scale data set ------------------------------------------------------------------------


def stable(*parts) -> int:
    """A number in 0..2**32 that depends only on `parts` (seeding never uses `random`)."""
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:4], "big")


@dataclass(frozen=True)
class ScaleData:
    """What bench modules need from the seeded data set."""

    questionnaire: Any
    cycles: tuple[int, ...]
    current_cycle: int
    officer: Any  # member of Bench Town 0001
    coordinator: Any
    draft: Any  # Bench Town 0001, current cycle, about two thirds answered
    approved: Any  # Bench Town 0001, previous cycle, approved
    n_authorities: int


def current_cycle() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def bench_cycles(count: int = 3) -> tuple[int, ...]:
    now = current_cycle()
    return tuple(range(now - count + 1, now + 1))


def authority_name(i: int) -> str:
    return f"{BENCH_PREFIX}{i:04d}"


def scale_data() -> ScaleData:
    """The seeded cast and assessments (call `seed_scale` first)."""
    from django.contrib.auth import get_user_model

    from assessment.models import Assessment, Questionnaire
    from partnership.models import UrbanAuthority

    user_model = get_user_model()
    cycles = bench_cycles()
    first = UrbanAuthority.objects.get(name=authority_name(1))
    return ScaleData(
        questionnaire=Questionnaire.objects.get(is_current=True),
        cycles=cycles,
        current_cycle=cycles[-1],
        officer=user_model.objects.get(username=BENCH_OFFICER),
        coordinator=user_model.objects.get(username=BENCH_COORDINATOR),
        draft=Assessment.objects.get(authority=first, cycle=cycles[-1]),
        approved=Assessment.objects.get(authority=first, cycle=cycles[-2]),
        n_authorities=UrbanAuthority.objects.filter(name__startswith=BENCH_PREFIX).count(),
    )


def _current_state(i: int, with_officer: bool) -> str:
    """Status of an authority's current-cycle assessment: mostly approved, every status seen."""
    from assessment.models import Assessment

    if with_officer:
        return Assessment.Status.DRAFT  # officers need something to edit
    bucket = stable("state", i) % 100
    if bucket < 70:
        return Assessment.Status.APPROVED
    if bucket < 85:
        return Assessment.Status.SUBMITTED
    if bucket < 95:
        return Assessment.Status.DRAFT
    return Assessment.Status.RETURNED


def seed_scale(
    *, n_authorities: int = 1000, officers: int = 1, officer_prefix: str = "bench-officer"
) -> dict:
    """Seed `n_authorities` authorities with three cycles of assessments, idempotently.

    Past cycles are approved with frozen `approved_scores`; the current cycle mixes approved,
    submitted, returned and draft. The first `officers` authorities get one officer each
    (user `bench-officer` for the first, `<officer_prefix>-0002`... for the others) and a draft
    current cycle. Everything goes in with bulk_create: a few seconds for 1,000 authorities.
    Returns counts of what was created.
    """
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import transaction
    from django.utils import timezone

    from assessment import scoring
    from assessment.demo import level_for
    from assessment.models import Answer, Assessment, AssessmentEvent, Item, Questionnaire
    from assessment.questionnaire.spec import questionnaire_spec
    from assessment.scores import answer_value
    from partnership.models import Membership, UrbanAuthority
    from partnership.roles import ensure_coordinator_group

    started = time.perf_counter()
    user_model = get_user_model()
    questionnaire = Questionnaire.objects.get(is_current=True)
    items = list(Item.objects.filter(questionnaire=questionnaire).order_by("position"))
    spec = questionnaire_spec(questionnaire)
    cycles = bench_cycles()
    now_cycle = cycles[-1]
    created = {"authorities": 0, "assessments": 0, "answers": 0, "officers": 0}

    with transaction.atomic():
        coordinator, made = user_model.objects.get_or_create(
            username=BENCH_COORDINATOR,
            defaults={
                "first_name": "Bench",
                "last_name": "Coordinator",
                "is_staff": True,
                "email": f"{BENCH_COORDINATOR}@example.org",
            },
        )
        if made:
            coordinator.set_unusable_password()
            coordinator.save()
        coordinator.groups.add(ensure_coordinator_group())

        existing = set(
            UrbanAuthority.objects.filter(name__startswith=BENCH_PREFIX).values_list(
                "name", flat=True
            )
        )
        new_authorities = []
        for i in range(1, n_authorities + 1):
            if authority_name(i) in existing:
                continue
            # Log-uniform population between 20,000 and 2.5 million, every band represented.
            population = int(20_000 * (125 ** ((stable("pop", i) % 10_000) / 10_000)))
            new_authorities.append(
                UrbanAuthority(
                    name=authority_name(i),
                    country=EU_COUNTRIES[stable("country", i) % 27],
                    population=population,
                    kind=UrbanAuthority.Kind.CITY,
                )
            )
        UrbanAuthority.objects.bulk_create(new_authorities, batch_size=500)
        created["authorities"] = len(new_authorities)
        by_name = {a.name: a for a in UrbanAuthority.objects.filter(name__startswith=BENCH_PREFIX)}

        officer_for: dict[int, Any] = {}
        for i in range(1, min(officers, n_authorities) + 1):
            username = BENCH_OFFICER if i == 1 else f"{officer_prefix}-{i:04d}"
            user, made = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": "Bench",
                    "last_name": f"Officer {i}",
                    "email": f"{username}@example.org",
                },
            )
            if made:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                created["officers"] += 1
            Membership.objects.get_or_create(
                user=user,
                authority=by_name[authority_name(i)],
                defaults={"job_title": "Urban security officer"},
            )
            officer_for[i] = user

        have = set(
            Assessment.objects.filter(authority__name__startswith=BENCH_PREFIX).values_list(
                "authority__name", "cycle"
            )
        )
        plans = []  # (assessment, answers, status)
        for i in range(1, n_authorities + 1):
            authority = by_name[authority_name(i)]
            profile = [
                1 + stable("profile", i, n) % 3 + (stable("strong", i) % 6 == n) for n in range(6)
            ]
            for cycle in cycles:
                if (authority.name, cycle) in have:
                    continue
                status = (
                    Assessment.Status.APPROVED
                    if cycle != now_cycle
                    else _current_state(i, i in officer_for)
                )
                assessment = Assessment(
                    authority=authority,
                    cycle=cycle,
                    questionnaire=questionnaire,
                    status=status,
                    created_by=officer_for.get(i),
                )
                chosen = items
                if status == Assessment.Status.DRAFT:
                    chosen = [
                        it for n, it in enumerate(items) if n < len(items) * 2 // 3 or n % 3 == 0
                    ]
                answers = [
                    seed_answer(
                        assessment,
                        item,
                        level_for(profile, item, authority.name, cycle, now_cycle),
                        officer_for.get(i),
                    )
                    for item in chosen
                ]
                stamp(
                    assessment,
                    cycle=cycle,
                    now_cycle=now_cycle,
                    items=items,
                    answers=answers,
                    spec=spec,
                    score=scoring.score,
                    answer_value=answer_value,
                    now=timezone.now(),
                )
                plans.append((assessment, answers))
        Assessment.objects.bulk_create([a for a, _ in plans], batch_size=500)
        created["assessments"] = len(plans)
        answers = []
        events = []
        for assessment, rows in plans:
            for answer in rows:
                answer.assessment_id = assessment.pk  # known now that it is inserted
            answers.extend(rows)
            events.extend(events_for(assessment, AssessmentEvent, coordinator))
        insert_answers(answers, Answer, now=timezone.now())
        AssessmentEvent.objects.bulk_create(events, batch_size=2000)
        created["answers"] = len(answers)
    cache.clear()  # peer tables and generations are recomputed from the new rows
    created["seconds"] = round(time.perf_counter() - started, 1)
    return created


@dataclass(slots=True)
class SeedAnswer:
    """An answer row before insertion: model instances would cost more than the inserts."""

    assessment_id: int | None
    item_id: int
    level: int | None = None
    yes: bool | None = None
    number: Any = None
    not_applicable: bool = False
    na_reason: str = ""
    evidence_note: str = ""
    evidence_url: str = ""
    updated_by_id: int | None = None


def seed_answer(assessment, item, level: int, by) -> SeedAnswer:
    """Like `assessment.demo.build_answer`: the value of `level` in the item's answer type."""
    from assessment.demo import number_for

    answer = SeedAnswer(
        assessment_id=None, item_id=item.pk, updated_by_id=by.pk if by is not None else None
    )
    name = assessment.authority.name
    if item.allow_na and level <= 1 and stable("na", name, item.code) % 4 == 0:
        answer.not_applicable = True
        answer.na_reason = "No such system or project exists in our authority at present."
    elif item.answer_type == "maturity":
        answer.level = level
    elif item.answer_type == "yes_no":
        answer.yes = level >= 2
    else:
        answer.number = number_for(item, level)
    if level >= 3 and stable("evidence", name, item.code) % 2 == 0:
        answer.evidence_note = "Documented in the annual urban security report."
    return answer


def insert_answers(answers: list, model, *, now) -> None:
    """Insert answers with plain SQL: bulk_create spends most of its time preparing values
    one by one, and 140,000 rows would take a large part of the time budget."""
    from django.db import connection

    ops = connection.ops
    columns = [
        "assessment_id",
        "item_id",
        "level",
        "yes",
        "number",
        "not_applicable",
        "na_reason",
        "evidence_note",
        "evidence_url",
        "updated_at",
        "updated_by_id",
        "version",
    ]
    stamp_value = ops.adapt_datetimefield_value(now)
    rows = [
        (
            a.assessment_id,
            a.item_id,
            a.level,
            a.yes,
            None if a.number is None else ops.adapt_decimalfield_value(a.number, 12, 2),
            a.not_applicable,
            a.na_reason,
            a.evidence_note,
            a.evidence_url,
            stamp_value,
            a.updated_by_id,
            1,
        )
        for a in answers
    ]
    names = ", ".join(ops.quote_name(c) for c in columns)
    table = ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(
                cursor.cursor,
                f"INSERT INTO {table} ({names}) VALUES %s",  # noqa: S608
                rows,
                page_size=2000,
            )
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                rows,
            )


def stamp(
    assessment, *, cycle: int, now_cycle: int, items, answers, spec, score, answer_value, now
) -> None:
    """Timestamps and frozen scores that the status requires (see the model's constraints)."""
    from zoneinfo import ZoneInfo

    status = assessment.status
    if status == "draft":
        return
    codes = {item.pk: item.code for item in items}
    scores = score(spec, {codes[a.item_id]: answer_value(a) for a in answers}).to_dict()
    brussels = ZoneInfo("Europe/Brussels")
    submitted = (
        datetime(cycle, 10, 15, 10, 0, tzinfo=brussels)
        if cycle != now_cycle
        else now - timedelta(days=20)
    )
    assessment.submitted_at = submitted
    assessment.submitted_scores = scores
    assessment.revision = 2
    if status == "approved":
        assessment.approved_at = submitted + timedelta(days=14)
        assessment.approved_scores = scores
        assessment.revision = 3
    elif status == "returned":
        assessment.returned_at = submitted + timedelta(days=7)
        assessment.return_comment = "Please add evidence for the level 4 answers in Action 1."
        assessment.revision = 3


def events_for(assessment, event_model, coordinator) -> list:
    """The status history the assessment would have had through the workflow."""
    steps = {
        "submitted": [("draft", "submitted")],
        "approved": [("draft", "submitted"), ("submitted", "approved")],
        "returned": [("draft", "submitted"), ("submitted", "returned")],
    }.get(assessment.status, [])
    return [
        event_model(
            assessment=assessment,
            from_status=source,
            to_status=target,
            actor=coordinator if target != "submitted" else assessment.created_by,
            comment=assessment.return_comment if target == "returned" else "",
        )
        for source, target in steps
    ]


# --- Reading forms (for the load test's simulated browsers) ------------------------------


class FormFields(HTMLParser):
    """What a browser would post from the form whose action is `action`.

    Besides the current values, `__option__<name>` holds the first non-empty choice of each
    select, radio group and checkbox, for filling in required choices.
    """

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.values: dict[str, str] = {}
        self._inside = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._inside = a.get("action", "") in (self.action, "")
            return
        name = a.get("name")
        if not self._inside:
            return
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                self.values.setdefault(f"__option__{name}", a.get("value", "on"))
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "reset"):
                self.values[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if value:
                self.values.setdefault(f"__option__{self._select}", value)
            if "selected" in a:
                self.values[self._select] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_fields(html: str, action: str) -> dict[str, str]:
    parser = FormFields(action)
    parser.feed(html)
    return parser.values


def filled_in(shown: dict[str, str]) -> dict[str, str]:
    """The shown values, with the first choice wherever a choice is still empty."""
    data = {k: v for k, v in shown.items() if not k.startswith("__option__")}
    for key, value in shown.items():
        if key.startswith("__option__") and not data.get(key[len("__option__") :]):
            data[key[len("__option__") :]] = value
    return data


# --- Reporting ---------------------------------------------------------------------------------


def normalise_rows(result: Any, module: str) -> list[dict]:
    """Rows from whatever a bench function returned: a list of rows, a dict, or one row."""
    if result is None:
        return []
    if isinstance(result, dict) and "median_ms" in result:
        result = [result]
    elif isinstance(result, dict):
        result = [{**row, "name": row.get("name", key)} for key, row in result.items()]
    rows = []
    for row in result:
        rows.append({**row, "module": row.get("module", module)})
    return rows


def format_table(
    rows: list[dict],
    *,
    baseline_ms: float,
    previous: dict[str, dict],
    hello_ms: float | None = None,
) -> str:
    """The closing table: one line per page or action, comparable run to run.

    "% hello" is the row's throughput as a share of the bare "hello" view's (its median time
    over the row's): the public pages' target is at least 25 %.
    """
    header = (
        "page / action",
        "median ms",
        "p95 ms",
        "queries",
        "x healthz",
        "% hello",
        "vs previous",
    )
    lines = []
    for row in rows:
        queries = row.get("queries")
        if queries is not None and row.get("queries_min") not in (None, queries):
            queries = f"{row['queries_min']}-{queries}"
        before = previous.get(row["name"])
        if before and before.get("median_ms"):
            change = (row["median_ms"] - before["median_ms"]) / before["median_ms"] * 100
            delta = f"{change:+.0f}%"
        else:
            delta = "new" if previous else ""
        name = row["name"]
        if row.get("errors"):
            name = f"{name} [{row['errors']} x {row.get('error_statuses')}]"
        ratio = row["median_ms"] / baseline_ms if baseline_ms else float("nan")
        share = f"{100 * hello_ms / row['median_ms']:.1f}" if hello_ms and row["median_ms"] else ""
        lines.append(
            (
                name,
                f"{row['median_ms']:.1f}",
                f"{row['p95_ms']:.1f}",
                "" if queries is None else str(queries),
                f"{ratio:.1f}",
                share,
                delta,
            )
        )
    widths = [max(len(str(r[c])) for r in [header, *lines]) for c in range(len(header))]

    def fmt(cells) -> str:
        first, *rest = (str(c) for c in cells)
        return "  ".join(
            [first.ljust(widths[0])]
            + [cell.rjust(w) for cell, w in zip(rest, widths[1:], strict=True)]
        )

    out = [fmt(header), fmt("-" * w for w in widths)]
    out.extend(fmt(line) for line in lines)
    return "\n".join(out)


def load_previous(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def ensure_content() -> None:
    """The Actions and the current questionnaire, which the seeding builds on."""
    from actions.content import load_actions
    from assessment.models import Questionnaire
    from assessment.questionnaire.loader import load_questionnaire

    if not Questionnaire.objects.filter(is_current=True).exists():
        load_actions()
        load_questionnaire()


def standalone_setup() -> None:
    """Set Django up for running one bench module on its own, never against db.sqlite3."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if Path(os.environ.get("SQLITE_PATH", "db.sqlite3")).name == "db.sqlite3" and not (
        os.environ.get("DATABASE_URL")
    ):
        raise SystemExit("Set SQLITE_PATH (or DATABASE_URL) to a throwaway database.")
    django.setup()
    from django.template import Template
    from django.test.utils import setup_test_environment

    # As bench/run.py: let the test client through ALLOWED_HOSTS, keep the real renderer
    # (the test instrumentation would inflate every page's time).
    render = Template._render
    setup_test_environment()
    Template._render = render
