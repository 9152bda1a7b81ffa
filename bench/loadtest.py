"""`make loadtest`: the site under gunicorn on 127.0.0.1, a mixed Locust load, fault drills.

1. A fresh database (a temporary SQLite file, or the sibling `<name>_load` of DATABASE_URL's
   PostgreSQL database, dropped and created afresh), migrated, with the demo data and a few
   hundred extra authorities, each of the first LOADTEST_OFFICERS with its own officer and
   draft.
2. gunicorn, 2 workers, DEBUG off, on a free port of 127.0.0.1. Sessions are created directly
   in the session store (the login form is rate-limited by django-axes, and hashing passwords
   would measure the hasher).
3. Locust headless for LOADTEST_SECONDS (60) with LOADTEST_USERS (30) users: officers saving
   answers, coordinators browsing, citizens reading and commenting, some PDF downloads.
4. Drills during the load: at one third, SIGKILL one gunicorn worker (not the master); at two
   thirds, restart PostgreSQL (`pg_ctlcluster --skip-systemctl-redirect <ver> main restart`;
   skipped on SQLite). After each, /healthz is polled until the site answers again.
5. Afterwards: every save the site acknowledged is checked in the database, the site must
   answer /healthz without having been restarted, and failed requests are counted, inside the
   drill windows and outside them (the bar outside: zero).

Exit status 0 when no acknowledged save is missing, the site recovered from every drill and
no request failed outside the drills. LOADTEST_DRILLS=worker,postgres picks the drills ("" for
none); LOADTEST_KEEP=1 keeps the logs. Everything stays on 127.0.0.1 and stops by itself.
"""

import csv
import io
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench import common

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
USERS = int(os.environ.get("LOADTEST_USERS", "30"))
# One real officer per simulated one, so that no two users edit the same answer.
OFFICERS = max(int(os.environ.get("LOADTEST_OFFICERS", "60")), USERS)
AUTHORITIES = int(os.environ.get("LOADTEST_AUTHORITIES", "300"))
# LOADTEST_NODES=2: two gunicorn nodes (traffic split between them) and one task worker.
NODES = max(1, int(os.environ.get("LOADTEST_NODES", "1")))
WORKER_ID = "loadtest-worker"
DRILLS = [
    d.strip() for d in os.environ.get("LOADTEST_DRILLS", "worker,postgres").split(",") if d.strip()
]
VENV_BIN = Path(sys.executable).parent
DRILL_MARGIN = 2.0  # seconds after a drill's recovery whose failures it still explains
PDF_URL_NAMES = ("assessment:report_pdf", "assessment:report", "assessment:pdf")


def say(message: str = "") -> None:
    print(message, flush=True)


# --- Setting up ----------------------------------------------------------------------------


def configure_environment() -> dict:
    """Settings for this process and gunicorn: DEBUG off, not production, a fresh database."""
    os.environ["DJANGO_ENV"] = "development"  # production would redirect plain HTTP to HTTPS
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.load_settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "loadtest-only-secret-key-not-used-anywhere-else")
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    info: dict = {"workdir": tempfile.mkdtemp(prefix="sps-load-")}
    url = os.environ.get("DATABASE_URL")
    if url:
        url = common.sibling_database_url(url, "load")
        common.recreate_postgres_database(url, suffix="load")
        os.environ["DATABASE_URL"] = url
        info.update(vendor="postgresql", url=url, database=common.database_label(url, None))
    else:
        path = str(Path(info["workdir"]) / "load.sqlite3")
        os.environ["SQLITE_PATH"] = path
        info.update(vendor="sqlite", database=common.database_label(None, path))
    return info


def prepare_data() -> dict:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_data", force=True, stdout=io.StringIO())
    seeded = common.seed_scale(
        n_authorities=AUTHORITIES, officers=OFFICERS, officer_prefix="load-officer"
    )
    seeded["total_seconds"] = round(time.perf_counter() - started, 1)
    return seeded


def session_cookie(user) -> dict[str, str]:
    """A logged-in session, as `login()` would store it, without the login form."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {settings.SESSION_COOKIE_NAME: session.session_key}


def url_or_none(name: str, *args) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def grouped(pages: list[tuple[str, str | None]]) -> list[tuple[str, list[str]]]:
    """[(name, [paths])]: users pick a kind of page first, so 20 review pages do not crowd
    out the one dashboard."""
    groups: dict[str, list[str]] = {}
    for name, path in pages:
        if path:
            groups.setdefault(name, []).append(path)
    return list(groups.items())


def build_plan(notes: list[str]) -> dict:
    """Sessions and the URLs of this build for the Locust users (see bench/locustfile.py)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from actions.models import Action
    from assessment.models import AnswerType, Assessment, Item
    from feedback.models import FeedbackRound
    from partnership.models import Membership

    cycles = common.bench_cycles()
    officers = []
    memberships = (
        Membership.objects.filter(authority__name__startswith=common.BENCH_PREFIX)
        .select_related("user", "authority")
        .order_by("authority__name")
    )
    items = list(
        Item.objects.filter(questionnaire__is_current=True, answer_type=AnswerType.MATURITY)
        .select_related("section__action")
        .order_by("position")
    )
    by_action = defaultdict(list)
    for item in items:
        by_action[item.section.action.number].append(
            {"id": item.pk, "code": item.code, "prefix": item.code.replace(".", "_")}
        )
    pdf_name = next((n for n in PDF_URL_NAMES if url_or_none(n, 1)), None)
    if pdf_name is None:
        notes.append("no PDF report URL in this build: officers download no PDF")
    for membership in memberships:
        authority = membership.authority
        draft = Assessment.objects.get(authority=authority, cycle=cycles[-1])
        approved = Assessment.objects.get(authority=authority, cycle=cycles[-2])
        sections = [
            {
                "page": url_or_none("assessment:section", draft.pk, action),
                "save": url_or_none("assessment:save", draft.pk, action),
                "items": action_items,
            }
            for action, action_items in sorted(by_action.items())
        ]
        officers.append(
            {
                "username": membership.user.username,
                "cookies": session_cookie(membership.user),
                "assessment": draft.pk,
                "dashboard": url_or_none("assessment:dashboard"),
                "sections": [s for s in sections if s["page"] and s["save"]],
                "results": [
                    (name, path)
                    for name, path in (
                        ("results page", url_or_none("assessment:results", approved.pk)),
                        ("results JSON", url_or_none("assessment:results_json", approved.pk)),
                    )
                    if path
                ],
                "pdf": url_or_none(pdf_name, approved.pk) if pdf_name else None,
            }
        )
    if not officers or not officers[0]["sections"]:
        notes.append("no questionnaire section/save URLs: officers save nothing")

    coordinator = get_user_model().objects.get(username=common.BENCH_COORDINATOR)
    submitted = Assessment.objects.filter(
        status=Assessment.Status.SUBMITTED, cycle=cycles[-1]
    ).order_by("pk")[:20]
    approved = Assessment.objects.filter(
        status=Assessment.Status.APPROVED, cycle=cycles[-1]
    ).order_by("pk")[:20]
    pages = [
        ("coordinator dashboard", url_or_none("assessment:coordinator_dashboard")),
        ("coordinator heatmap", url_or_none("assessment:coordinator_heatmap")),
        ("moderation queue", url_or_none("feedback:moderation")),
        *[("review page", url_or_none("assessment:review", a.pk)) for a in submitted],
        *[
            ("results page (coordinator)", url_or_none("assessment:results", a.pk))
            for a in approved
        ],
    ]
    coordinators = [
        {"cookies": session_cookie(coordinator), "pages": grouped(pages)} for _ in range(3)
    ]

    now = timezone.now()
    open_rounds = list(FeedbackRound.objects.open_at(now).prefetch_related("actions"))
    open_actions = sorted({a.number for r in open_rounds for a in r.actions.all()})
    if not open_rounds:
        notes.append("no open feedback round: citizens do not comment")
    citizen_pages = [
        ("home page", "/"),
        ("Action list", url_or_none("actions:list")),
        *[
            ("Action page", url_or_none("actions:detail", a.number))
            for a in Action.objects.order_by("number")
        ],
        ("feedback rounds", url_or_none("feedback:rounds")),
        *[("feedback round", url_or_none("feedback:round", r.slug)) for r in open_rounds],
    ]
    return {
        "officers": officers,
        "coordinators": coordinators,
        "citizen": {
            "pages": grouped(citizen_pages),
            "comment": [p for p in (url_or_none("feedback:comment", n) for n in open_actions) if p],
        },
    }


# --- The server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_worker(workdir: Path) -> subprocess.Popen:
    """The task worker that renders the reports (no web request renders a PDF)."""
    log = open(workdir / "worker.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(VENV_BIN / "python"),
            "manage.py",
            "run_worker",
            "--worker-id",
            WORKER_ID,
            "--interval",
            "0.5",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=os.environ.copy(),
    )


def report_figures(bases: list[str], plan: dict, started: float) -> dict:
    """Reports during the run: time from enqueue to ready, who rendered them, and the p95 of
    downloads of ready reports from every node (timed here, after the load)."""
    import datetime as dt

    import requests
    from django_tasks_db.models import DBTaskResult

    from assessment.models import ReportState, StoredReport

    since = datetime.fromtimestamp(started, tz=UTC) - dt.timedelta(seconds=5)
    renders = DBTaskResult.objects.filter(
        task_path="assessment.tasks.render_report", status="SUCCESSFUL", enqueued_at__gte=since
    )
    waits = sorted(
        (t.finished_at - t.enqueued_at).total_seconds() for t in renders if t.finished_at
    )
    stored = StoredReport.objects.filter(created_at__gte=since)
    by = sorted(set(stored.values_list("rendered_by", flat=True)))
    ready = {s.assessment_id for s in ReportState.objects.filter(status="ready")}
    timings = []
    for officer in plan["officers"]:
        pdf = officer.get("pdf")
        if not pdf or int(pdf.strip("/").split("/")[-2]) not in ready:
            continue
        for base in bases:
            session = requests.Session()
            for name, value in officer["cookies"].items():
                session.cookies.set(name, value)
            for _ in range(5):
                t0 = time.perf_counter()
                response = session.get(base + pdf, timeout=30)
                if response.headers.get("Content-Type") == "application/pdf":
                    timings.append(time.perf_counter() - t0)
        if len(timings) >= 60:
            break

    def pct(values, q):
        return round(common.percentile(values, q) * 1000, 1) if values else None

    return {
        "renders": len(waits),
        "enqueue_to_ready_median_s": round(statistics.median(waits), 2) if waits else None,
        "enqueue_to_ready_p95_s": round(common.percentile(waits, 0.95), 2) if waits else None,
        "stored_reports": stored.count(),
        "rendered_by": by,
        "rendered_by_web_request": [b for b in by if b != WORKER_ID],
        "ready_download_n": len(timings),
        "ready_download_p95_ms": pct(timings, 0.95),
        "ready_download_median_ms": pct(timings, 0.5),
    }


def start_server(port: int, workdir: Path, name: str = "gunicorn") -> subprocess.Popen:
    log = open(workdir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(VENV_BIN / "gunicorn"),
            "portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=os.environ.copy(),
    )


def healthz(base: str, timeout: float = 2.0) -> int | None:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_healthy(base: str, *, within: float, timeout: float = 10.0) -> float | None:
    """Seconds until /healthz answers 200, or None if it does not within `within`.

    Under load a probe waits in the queue behind the users' requests, hence the long timeout:
    a short one would report a busy site as a broken one.
    """
    started = time.perf_counter()
    while time.perf_counter() - started < within:
        if healthz(base, timeout=timeout) == 200:
            return time.perf_counter() - started
        time.sleep(0.1)
    return None


def warm_up(base: str, plan: dict) -> None:
    """Load each page once per worker, so the first timed requests do not import code."""
    pages = [
        (o["cookies"], path)
        for o in plan["officers"][:1]
        for path in [
            o["dashboard"],
            *(p for _, p in o["results"]),
            *(s["page"] for s in o["sections"][:2]),
        ]
        if path
    ]
    pages += [(c["cookies"], paths[0]) for c in plan["coordinators"][:1] for _, paths in c["pages"]]
    pages += [({}, paths[0]) for _, paths in plan["citizen"]["pages"]]
    for cookies, path in pages * 2:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        request = urllib.request.Request(  # noqa: S310 - our own server
            f"{base}{path}", headers={"Cookie": cookie}
        )
        try:
            with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - our own server
                pass
        except OSError:
            pass


def worker_pids(master: int) -> list[int]:
    """gunicorn's workers are the master's children."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            children.append(int(entry.name))
    return sorted(children)


# --- Drills ----------------------------------------------------------------------------------


def drill_kill_worker(server: subprocess.Popen, base: str) -> dict:
    probe = time.time()
    healthz(base, timeout=10)
    probe = time.time() - probe
    before = worker_pids(server.pid)
    victim = before[0]
    started = time.time()
    os.kill(victim, signal.SIGKILL)
    recovered = replaced = None
    while time.time() - started < 30 and (recovered is None or replaced is None):
        now = worker_pids(server.pid)
        if replaced is None and len(now) >= len(before) and victim not in now:
            replaced = time.time() - started
        if recovered is None and healthz(base, timeout=10) == 200:
            recovered = time.time() - started
        time.sleep(0.05)
    return {
        "drill": "kill one gunicorn worker (SIGKILL)",
        "at": started,
        "detail": f"worker {victim} of {before}",
        "healthz_before_s": probe,
        "serving_after_s": recovered,
        "replacement_worker_after_s": replaced,
        "ended": time.time(),
    }


def postgres_cluster(url: str) -> tuple[str, str] | None:
    """(version, cluster) of the local cluster on the URL's port, from pg_lsclusters."""
    port = str(urlsplit(url).port or 5432)
    try:
        listing = subprocess.run(
            ["pg_lsclusters", "--no-header"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[2] == port:
            return fields[0], fields[1]
    return None


def drill_restart_postgres(info: dict, base: str) -> dict:
    name = "restart PostgreSQL"
    if info["vendor"] != "postgresql":
        return {"drill": name, "skipped": "SQLite: no database server to restart"}
    host = urlsplit(info["url"]).hostname
    cluster = postgres_cluster(info["url"]) if host in ("127.0.0.1", "localhost", "::1") else None
    if cluster is None:
        return {"drill": name, "skipped": "no local cluster found with pg_lsclusters"}
    started = time.time()
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "restart"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)  # noqa: S603
    restarted = time.time() - started
    if done.returncode != 0:
        return {
            "drill": name,
            "skipped": f"{' '.join(command)} failed: {(done.stdout + done.stderr).strip()[-200:]}",
            "failed": True,
        }
    recovered = wait_healthy(base, within=30)
    return {
        "drill": name,
        "at": started,
        "detail": " ".join(command),
        "restart_took_s": round(restarted, 1),
        "exit_status": done.returncode,
        "output": (done.stdout + done.stderr).strip()[-300:],
        "serving_after_s": None if recovered is None else restarted + recovered,
        "ended": time.time(),
    }


# --- Running Locust -------------------------------------------------------------------------


def run_load(
    base: str, workdir: Path, server: subprocess.Popen, info: dict, bases: list[str] | None = None
) -> dict:
    env = {
        **os.environ,
        "LOADTEST_PLAN": str(workdir / "plan.json"),
        "LOADTEST_OUT": str(workdir / "outcome.json"),
        "PYTHONPATH": str(ROOT),
        "LOADTEST_HOSTS": ",".join(bases or [base]),
    }
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(BENCH_DIR / "locustfile.py"),
        "--headless",
        "--users",
        str(USERS),
        "--spawn-rate",
        str(max(1, USERS // 4)),
        "--run-time",
        f"{SECONDS}s",
        "--stop-timeout",
        "10",
        "--host",
        base,
        "--csv",
        str(workdir / "load"),
        "--loglevel",
        "WARNING",
        "--only-summary",
    ]
    log = open(workdir / "locust.log", "wb")  # noqa: SIM115 - closed below
    started = time.time()
    locust = subprocess.Popen(  # noqa: S603
        command,
        cwd=ROOT,
        env=env,
        stdout=log,  # noqa: S603
        stderr=subprocess.STDOUT,
    )
    drills = []
    schedule = []
    if "worker" in DRILLS:
        schedule.append((SECONDS / 3, lambda: drill_kill_worker(server, base)))
    if "postgres" in DRILLS:
        schedule.append((2 * SECONDS / 3, lambda: drill_restart_postgres(info, base)))
    for offset, drill in schedule:
        delay = started + offset - time.time()
        if delay > 0:
            time.sleep(delay)
        if locust.poll() is not None:
            break
        result = drill()
        say(f"  drill at {time.time() - started:4.0f} s: {describe_drill(result)}")
        drills.append(result)
    try:
        locust.wait(timeout=SECONDS + 90)
    except subprocess.TimeoutExpired:
        locust.kill()
        locust.wait()
    log.close()
    return {
        "started": started,
        "ended": time.time(),
        "drills": drills,
        "exit_status": locust.returncode,
    }


def describe_drill(result: dict) -> str:
    if result.get("skipped"):
        return f"{result['drill']}: skipped ({result['skipped']})"
    serving = result.get("serving_after_s")
    text = f"{result['drill']}: " + (
        f"/healthz answered 200 {serving:.1f} s after"
        if serving is not None
        else "/healthz did NOT answer within 30 s"
    )
    if result.get("healthz_before_s") is not None:
        text += f" (it took {result['healthz_before_s']:.1f} s just before, under the load)"
    if result.get("replacement_worker_after_s") is not None:
        text += f", replacement worker started after {result['replacement_worker_after_s']:.1f} s"
    if result.get("restart_took_s") is not None:
        text += f" (restart took {result['restart_took_s']} s, exit {result['exit_status']})"
    return text


def read_stats(workdir: Path) -> list[dict]:
    path = workdir / "load_stats.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def verify_saves(outcome: dict, *, reconnect: bool = True) -> dict:
    """Is each acknowledged save in the database (or a later save of the same answer)?

    A later save may have been written without its response arriving (a killed worker), so
    the stored value may also be one sent after the last acknowledged one.
    """
    from django.db import connections

    from assessment.models import Answer

    if reconnect:
        connections.close_all()  # the connection may predate a PostgreSQL restart
    sent, last_acked = defaultdict(list), {}
    for record in outcome["sent"]:
        sent[(record["assessment"], record["item"])].append(record)
    for record in sorted(outcome["acked"], key=lambda r: r["acked_at"]):
        last_acked[(record["assessment"], record["item"])] = record
    stored = {
        (a.assessment_id, a.item_id): (a.level, a.evidence_note)
        for a in Answer.objects.filter(
            assessment_id__in={k[0] for k in last_acked}, item_id__in={k[1] for k in last_acked}
        )
    }
    lost = []
    for key, acked in last_acked.items():
        candidates = [acked] + [s for s in sent[key] if s["t"] > acked["t"]]
        if stored.get(key) not in {(c["level"], c["note"]) for c in candidates}:
            lost.append(
                {"assessment": key[0], "item": key[1], "acked": acked, "stored": stored.get(key)}
            )
    return {
        "acknowledged": len(outcome["acked"]),
        "answers": len(last_acked),
        "sent": len(outcome["sent"]),
        "lost": lost,
    }


def split_failures(failures: list[dict], drills: list[dict]) -> tuple[list, dict]:
    """Failures outside every drill window, and the count inside each drill's window."""
    windows = [
        (d["drill"], d["at"], d["ended"] + DRILL_MARGIN) for d in drills if not d.get("skipped")
    ]
    outside, inside = [], {name: 0 for name, _, _ in windows}
    for failure in failures:
        # A request fails when its worker or database goes away: judge by when it ended.
        ended = failure.get("ended", failure["t"])
        for name, start, end in windows:
            if start <= ended <= end:
                inside[name] += 1
                break
        else:
            outside.append(failure)
    return outside, inside


def stats_table(rows: list[dict]) -> str:
    header = ("endpoint", "requests", "failures", "median ms", "p95 ms", "req/s")
    lines = [
        (
            f"{r['Type']} {r['Name']}" if r["Name"] != "Aggregated" else "all requests",
            r["Request Count"],
            r["Failure Count"],
            round(float(r["Median Response Time"])),
            r["95%"],
            f"{float(r['Requests/s']):.1f}",
        )
        for r in rows
    ]
    widths = [max(len(str(line[c])) for line in [header, *lines]) for c in range(len(header))]

    def fmt(cells) -> str:
        first, *rest = (str(c) for c in cells)
        return "  ".join(
            [first.ljust(widths[0])]
            + [cell.rjust(w) for cell, w in zip(rest, widths[1:], strict=True)]
        )

    return "\n".join([fmt(header), fmt("-" * w for w in widths), *map(fmt, lines)])


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> int:
    info = configure_environment()
    workdir = Path(info["workdir"])
    say(f"Load test database: {info['database']}")
    import django

    django.setup()
    from django.db import connections

    notes: list[str] = []
    say("Preparing data (migrate, demo data, extra authorities and officers)...")
    seeded = prepare_data()
    say(
        f"  {seeded['authorities']} extra authorities, {seeded['assessments']} assessments, "
        f"{OFFICERS} officers with a draft each, in {seeded['total_seconds']} s"
    )
    plan = build_plan(notes)
    (workdir / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    connections.close_all()

    load_before = os.getloadavg()[0]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, workdir)
    others = [
        (f"http://127.0.0.1:{p}", start_server(p, workdir, f"gunicorn-{i + 2}"))
        for i, p in enumerate(free_port() for _ in range(NODES - 1))
    ]
    bases = [base, *(b for b, _ in others)]
    worker = start_worker(workdir)
    try:
        boot = wait_healthy(base, within=60)
        if boot is None or any(wait_healthy(b, within=60) is None for b, _ in others):
            say("The site did not start: gunicorn log follows.")
            say((workdir / "gunicorn.log").read_text(errors="replace")[-3000:])
            return 2
        warm_up(base, plan)
        say(
            f"{NODES} gunicorn node(s) (2 workers each) serving {', '.join(bases)} after "
            f"{boot:.1f} s, one task worker; {USERS} users for {SECONDS} s, drills: "
            f"{', '.join(DRILLS) or 'none'}"
        )
        load = run_load(base, workdir, server, info, bases)
        final = wait_healthy(base, within=30)
        load_after = os.getloadavg()[0]
        server_restarted = server.poll() is not None
        reports = report_figures(bases, plan, load["started"])
    finally:
        for process in (server, *(p for _, p in others), worker):
            stop_server(process)

    outcome_path = workdir / "outcome.json"
    outcome = (
        json.loads(outcome_path.read_text())
        if outcome_path.exists()
        else {"sent": [], "acked": [], "failures": []}
    )
    if not outcome_path.exists():
        notes.append("Locust wrote no outcome: see its log below")
        say((workdir / "locust.log").read_text(errors="replace")[-3000:])
    stats = read_stats(workdir)
    saves = verify_saves(outcome)
    outside, inside = split_failures(outcome["failures"], load["drills"])
    total = next((r for r in stats if r["Name"] == "Aggregated"), None)
    duration = load["ended"] - load["started"]

    say()
    say(
        f"Load: {USERS} users, {SECONDS} s, {info['vendor']}, gunicorn 2 workers, "
        f"{os.cpu_count()} cores shared by Locust and the server (machine load average "
        f"{load_before:.1f} before, {load_after:.1f} after)"
    )
    say()
    say(stats_table(stats))
    say()
    if total:
        say(
            f"Throughput: {float(total['Requests/s']):.1f} requests/s over the run; "
            f"{total['Request Count']} requests, {total['Failure Count']} failed."
        )
    say("Fault drills:")
    for drill in load["drills"]:
        failed = inside.get(drill["drill"])
        say(
            f"  - {describe_drill(drill)}"
            + (f"; {failed} failed requests around it" if failed is not None else "")
        )
    if not load["drills"]:
        say("  (none)")
    say(f"Failed requests outside the drills: {len(outside)}")
    for failure in outside[:10]:
        say(f"    {failure['name']}: {failure['error']}")
    say(
        f"Saves: {saves['sent']} sent, {saves['acknowledged']} acknowledged (2xx/3xx) on "
        f"{saves['answers']} answers; missing from the database: {len(saves['lost'])}"
    )
    for lost in saves["lost"][:10]:
        say(f"    LOST {lost}")
    say(
        "After the load: /healthz "
        + (f"answered 200 in {final:.1f} s" if final is not None else "did NOT answer")
        + ("" if not server_restarted else " (gunicorn master had exited!)")
    )
    say(
        f"Reports: {reports['renders']} rendered by the worker during the run, enqueue to "
        f"ready median {reports['enqueue_to_ready_median_s']} s, p95 "
        f"{reports['enqueue_to_ready_p95_s']} s; downloads of ready reports from "
        f"{len(bases)} node(s): p95 {reports['ready_download_p95_ms']} ms (median "
        f"{reports['ready_download_median_ms']} ms, n={reports['ready_download_n']}); "
        f"rendered by a web request: {len(reports['rendered_by_web_request'])}"
    )
    for note in notes:
        say(f"note: {note}")

    recovered = (
        final is not None
        and not server_restarted
        and all(
            (d.get("skipped") and not d.get("failed")) or d.get("serving_after_s") is not None
            for d in load["drills"]
        )
    )
    passed = (
        recovered
        and not saves["lost"]
        and not outside
        and bool(stats)
        and not reports["rendered_by_web_request"]
    )
    report = {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": info["database"],
        "vendor": info["vendor"],
        "users": USERS,
        "seconds": SECONDS,
        "duration_s": round(duration, 1),
        "seeded": seeded,
        "load_average": [load_before, load_after],
        "stats": stats,
        "drills": load["drills"],
        "failures_outside_drills": outside,
        "failures_in_drills": inside,
        "saves": {**saves, "lost": saves["lost"][:50]},
        "recovered": recovered,
        "passed": passed,
        "notes": notes,
        "nodes": NODES,
        "reports": reports,
    }
    common.RESULTS_DIR.mkdir(exist_ok=True)
    (common.RESULTS_DIR / f"loadtest-{info['vendor']}.json").write_text(
        json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8"
    )
    say(
        f"{'PASSED' if passed else 'FAILED'}: "
        f"{len(saves['lost'])} acknowledged saves missing, {len(outside)} failures outside "
        f"drills, site {'recovered' if recovered else 'did NOT recover'}; saved to "
        f"bench-results/loadtest-{info['vendor']}.json"
    )
    if os.environ.get("LOADTEST_KEEP"):
        say(f"kept {workdir} (gunicorn.log, locust.log, plan.json, outcome.json)")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
