"""`make bench`: seed a scale data set into a throwaway database and time the key pages.

Never touches db.sqlite3: SQLite goes to a temporary file (or SQLITE_PATH), PostgreSQL to the
sibling `<name>_bench` of DATABASE_URL's database, dropped and created afresh on each run.
Requests go through django.test.Client in this process with DEBUG off; each row gives the
median and 95th percentile over BENCH_N (20) requests, the query count, the ratio to
/healthz measured in the same run, and "% hello": the row's throughput as a share of a bare
"hello" view's behind the same middleware (bench/hello_urls.py; 25 % = four times its time).
The table is saved to bench-results/latest.json (and
latest-<database>.json) and compared with the previous run on the same database.

Environment: BENCH_AUTHORITIES (1000), BENCH_COMMENTS (20000), BENCH_N (20), SQLITE_PATH,
DATABASE_URL, BENCH_ONLY (comma-separated modules, e.g. "feedback": the baselines and the core
pages always run).
"""

import gc
import importlib
import io
import json
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench import common

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


N_AUTHORITIES = int(os.environ.get("BENCH_AUTHORITIES", "1000"))
N_COMMENTS = int(os.environ.get("BENCH_COMMENTS", "20000"))
# (module in bench/, function, keyword arguments): each module belongs to the app's helper.
MODULES = [
    ("questionnaire", "bench_questionnaire", {}),
    ("results", "bench_results", {"n_authorities": N_AUTHORITIES}),
    ("field", "bench_field", {"n_authorities": N_AUTHORITIES}),
    ("feedback", "bench_feedback", {"n_comments": N_COMMENTS}),
    ("report", "bench_report", {}),
    ("opendata", "bench_opendata", {"n_authorities": N_AUTHORITIES}),
    ("plans", "bench_plans", {"n_authorities": N_AUTHORITIES}),
]
CORE_REPETITIONS = 100
# Public pages that exist whatever else is built, timed here for a stable reference.
CORE_PAGES = [
    ("home page", "/"),
    ("Action list", "/actions/"),
    ("Action page", "/actions/1/"),
    ("partnership page", "/partnership/"),
]


def say(message: str) -> None:
    print(message, flush=True)


def configure_environment() -> dict:
    """Point the settings at a throwaway database, DEBUG off, before django.setup()."""
    os.environ["DJANGO_ENV"] = "development"  # production mode would force HTTPS redirects
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.setdefault("LOG_LEVEL", "ERROR")  # 404s of access checks are expected
    info: dict = {"temp_dir": None}
    url = os.environ.get("DATABASE_URL")
    if url:
        url = common.sibling_database_url(url, "bench")
        common.recreate_postgres_database(url, suffix="bench")
        os.environ["DATABASE_URL"] = url
        info["database"] = common.database_label(url, None)
        info["vendor"] = "postgresql"
        return info
    path = os.environ.get("SQLITE_PATH")
    if path:
        if Path(path).resolve() == (ROOT / "db.sqlite3").resolve():
            raise SystemExit("SQLITE_PATH points at db.sqlite3: the benchmark needs its own file.")
    else:
        info["temp_dir"] = tempfile.mkdtemp(prefix="sps-bench-")
        path = str(Path(info["temp_dir"]) / "bench.sqlite3")
        os.environ["SQLITE_PATH"] = path
    info["database"] = common.database_label(None, path)
    info["vendor"] = "sqlite"
    return info


class OncePerMessage(logging.Filter):
    """Log each distinct server error once, not once per repetition."""

    def __init__(self):
        super().__init__()
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message in self.seen:
            return False
        self.seen.add(message)
        return True


def prepare_database() -> dict:
    """Migrate, load the site's content and demo cast, seed the scale data set."""
    from django.core.management import call_command

    timings = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    timings["migrate_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    call_command("load_demo_data", force=True, stdout=io.StringIO())
    timings["demo_data_s"] = round(time.perf_counter() - started, 1)
    seeded = common.seed_scale(n_authorities=N_AUTHORITIES)
    say(
        f"  seeded {seeded['authorities']} authorities, {seeded['assessments']} assessments, "
        f"{seeded['answers']} answers in {seeded['seconds']} s"
    )
    timings["seed"] = seeded
    return timings


def load_module(name: str):
    """The bench module, or None (with a note) when its helper has not written it yet."""
    try:
        return importlib.import_module(f"bench.{name}")
    except ModuleNotFoundError as error:
        if error.name == f"bench.{name}":
            say(f"  skipped: bench/{name}.py does not exist yet")
            return None
        raise


def seed_comments(module) -> dict | None:
    """Let the feedback module seed its comments before timing, if it offers a seeder."""
    seeder = getattr(module, "seed_comments", None) or getattr(module, "seed", None)
    if seeder is None:
        return None
    started = time.perf_counter()
    seeder(n_comments=N_COMMENTS)
    seconds = round(time.perf_counter() - started, 1)
    say(f"  seeded {N_COMMENTS} comments in {seconds} s")
    return {"comments": N_COMMENTS, "seconds": seconds}


def run_module(name: str, function: str, kwargs: dict, notes: list[str]) -> list[dict]:
    from django.core.cache import cache

    say(f"- {name}: {function}({', '.join(f'{k}={v}' for k, v in kwargs.items())})")
    try:
        module = load_module(name)
    except Exception as error:  # a broken module must not stop the others
        notes.append(f"bench/{name}.py failed to import: {error!r}")
        say(f"  FAILED to import: {error!r}")
        return []
    if module is None:
        notes.append(f"bench/{name}.py missing: skipped")
        return []
    bench = getattr(module, function, None)
    if bench is None:
        notes.append(f"bench/{name}.py has no {function}(): skipped")
        say(f"  skipped: no {function}() in bench/{name}.py")
        return []
    cache.clear()
    started = time.perf_counter()
    try:
        if name == "feedback":
            seed_comments(module)
        rows = common.normalise_rows(bench(**kwargs), name)
    except Exception as error:
        notes.append(f"{function}() raised {error!r}")
        say(f"  FAILED: {function}() raised:")
        traceback.print_exc(limit=6)
        return []
    say(f"  {len(rows)} rows in {time.perf_counter() - started:.1f} s")
    return rows


def hello_row() -> dict:
    """The bare "hello" view, timed like every page (see bench/hello_urls.py)."""
    from django.test.utils import override_settings

    with override_settings(ROOT_URLCONF="bench.hello_urls"):
        return common.measure(
            common.client_for(None),
            "GET",
            "/hello",
            n=200,
            name="bare hello view (baseline)",
            expect=[200],
        )


def core_rows() -> list[dict]:
    """The public pages, 100 times each (at least): cached for anonymous visitors they take
    about a millisecond, as much at the mercy of the scheduler as /healthz."""
    client = common.client_for(None)
    n = max(common.default_n(), CORE_REPETITIONS)
    return [
        common.measure(client, "GET", path, n=n, name=name, expect=[200])
        for name, path in CORE_PAGES
    ]


def write_results(report: dict) -> dict:
    """Save this run as latest.json and latest-<database>.json; return the previous run on the
    same database and sizes (kept as previous-<database>.json), which the table is compared
    with."""
    common.RESULTS_DIR.mkdir(exist_ok=True)
    kind = report["vendor"]
    sizes = report["sizes"]
    if (sizes["authorities"], sizes["comments"], sizes["repetitions"]) != (1000, 20000, 20):
        # A smoke run with other sizes is compared only with runs of the same sizes.
        kind += f"-{sizes['authorities']}a-{sizes['comments']}c-{sizes['repetitions']}n"
    same_database = common.RESULTS_DIR / f"latest-{kind}.json"
    previous = common.load_previous(same_database)
    if same_database.exists():
        shutil.copyfile(same_database, common.RESULTS_DIR / f"previous-{kind}.json")
    text = json.dumps(report, indent=2, default=str) + "\n"
    same_database.write_text(text, encoding="utf-8")
    (common.RESULTS_DIR / "latest.json").write_text(text, encoding="utf-8")
    return previous


def main() -> int:
    started = time.perf_counter()
    info = configure_environment()
    say(f"Benchmark database: {info['database']}")

    import django

    django.setup()
    from django.template import Template
    from django.test.utils import setup_test_environment, teardown_test_environment

    # setup_test_environment lets the test client through ALLOWED_HOSTS and keeps e-mail in
    # memory; its template instrumentation (a signal per template rendered) would inflate
    # every page's time, so the real renderer is put back.
    render = Template._render
    setup_test_environment()
    Template._render = render
    logging.getLogger("django.request").addFilter(OncePerMessage())
    try:
        say("Preparing data (migrate, demo content, scale data set)...")
        timings = prepare_database()
        gc.collect()  # the seeding's garbage would otherwise be collected during the timings
        notes: list[str] = []
        say("Timing /healthz and the public pages...")
        # Many repetitions: a 1 ms request is at the mercy of the scheduler. Timed again at
        # the end, to show whether the machine got busier meanwhile.
        healthz = common.measure(
            common.client_for(None),
            "GET",
            "/healthz",
            n=200,
            name="/healthz (baseline)",
            expect=[200],
        )
        hello = hello_row()
        rows = [healthz, hello, *core_rows()]
        only = {m for m in os.environ.get("BENCH_ONLY", "").split(",") if m}
        for name, function, kwargs in MODULES:
            if only and name not in only:
                notes.append(f"bench/{name}.py not run (BENCH_ONLY)")
                continue
            rows.extend(run_module(name, function, kwargs, notes))
        rows.append(
            common.measure(
                common.client_for(None),
                "GET",
                "/healthz",
                n=200,
                name="/healthz (again, at the end)",
                expect=[200],
            )
        )
    finally:
        teardown_test_environment()
        if info["temp_dir"]:
            shutil.rmtree(info["temp_dir"], ignore_errors=True)

    import django as dj

    report = {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": info["database"],
        "vendor": info["vendor"],
        "sizes": {
            "authorities": N_AUTHORITIES,
            "cycles": 3,
            "comments": N_COMMENTS,
            "repetitions": common.default_n(),
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "django": dj.get_version(),
        },
        "preparation": timings,
        "healthz_median_ms": healthz["median_ms"],
        "hello_median_ms": hello["median_ms"],
        "load_average": round(os.getloadavg()[0], 1),
        "rows": rows,
        "notes": notes,
        "seconds": round(time.perf_counter() - started, 1),
    }
    previous = write_results(report)
    previous_rows = {row["name"]: row for row in previous.get("rows", [])}
    say("")
    say(
        f"Benchmark: {N_AUTHORITIES} authorities x 3 cycles, {N_COMMENTS} comments, "
        f"{info['vendor']}, {os.cpu_count()} cores, median and p95 of {common.default_n()} "
        "requests each"
    )
    if previous:
        then = previous.get("load_average")
        say(
            f"'vs previous' compares medians with the previous {info['vendor']} run, "
            f"{previous.get('run_at')}"
            + (
                f" (machine load average then {then}, now {report['load_average']})."
                if then is not None
                else "."
            )
        )
    say("")
    say(
        common.format_table(
            rows,
            baseline_ms=healthz["median_ms"],
            hello_ms=hello["median_ms"],
            previous=previous_rows,
        )
    )
    for note in notes:
        say(f"note: {note}")
    errors = sum(row.get("errors", 0) for row in rows)
    say("")
    say(
        f"{len(rows)} rows, {errors} unexpected statuses, {len(notes)} notes; "
        f"saved to {common.RESULTS_DIR.relative_to(ROOT)}/latest.json; "
        f"{report['seconds']:.0f} s in all."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
