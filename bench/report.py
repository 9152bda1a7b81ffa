"""Bench of the PDF benchmark report (`make bench`, or on its own).

`bench_report()` times the report of the demo officer's assessment (user `officer`, Mechelen,
current cycle; loaded by `load_demo_data`, which `bench/run.py` runs first):

* the render by the worker (data + WeasyPrint), median of 10, per report and per page, beside
  a plain block-layout WeasyPrint document of the same page count rendered in the same run,
  and the ratio of the two (target <= 1.2); the very first render of the process apart;
* the download of a ready report, read from the store through django.test.Client (p95
  target <= 50 ms): no request renders;
* the tasks one approval enqueues when every assessment of the field has a report (with
  `make bench`'s 1,000 authorities): constant, not one per authority;
* memory: 50 renders of the same report in a row, with the resident set size (RSS, read from
  /proc) before, after the first render and after the last, and the peak RSS (VmHWM, reset
  before the loop when the kernel allows it). Growth from the first to the last render would
  be a leak; the peak is what a worker needs.

Each row carries `budget_ms` and `within_budget`. On its own (a throwaway database):

    SQLITE_PATH=/tmp/bench-report.sqlite3 .venv/bin/python manage.py migrate
    SQLITE_PATH=/tmp/bench-report.sqlite3 BENCH_AUTHORITIES=1000 .venv/bin/python -m bench.report

(BENCH_AUTHORITIES seeds the scale data set of `make bench` first, for the same peers.)
"""

from __future__ import annotations

import io
import os
import statistics
import time
from pathlib import Path

from bench.common import client_for, measure, summarise

REPEAT = int(os.environ.get("BENCH_REPORT_REPEAT", "10"))
MEMORY_RENDERS = int(os.environ.get("BENCH_REPORT_RENDERS", "50"))
STORED_BUDGET_MS = 50  # p95 of a download of a ready report (issue 13)
RATIO_BUDGET = 1.2  # the report's render time over a plain document of as many pages


def _rss_kb(field: str = "VmRSS") -> int | None:
    """A memory figure of this process from /proc/self/status (Linux), in kB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False when not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def _mb(kb: int | None) -> float | None:
    return None if kb is None else round(kb / 1024, 1)


def demo_assessment():
    """The demo officer and the latest assessment of their authority (Mechelen)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from assessment.access import get_assessment_for_user
    from assessment.models import Assessment

    user_model = get_user_model()
    if not user_model.objects.filter(username="officer").exists():
        call_command("load_demo_data", force=True, stdout=io.StringIO())
    officer = user_model.objects.get(username="officer")
    latest = (
        Assessment.objects.filter(authority__memberships__user=officer).order_by("-cycle").first()
    )
    return officer, get_assessment_for_user(officer, latest.pk)


def bench_report() -> dict[str, dict]:
    from django.urls import reverse
    from django.utils import translation

    from assessment import report

    officer, assessment = demo_assessment()
    url = reverse("assessment:report_pdf", args=[assessment.pk])
    client = client_for(officer)
    language = "en"  # what the test client's requests get (no Accept-Language)

    def worker_render():
        """What the worker does for a new fingerprint: build the data, render the PDF."""
        with translation.override(language):
            return report.render_pdf(report.report_for(assessment, language=language))

    rows: dict[str, dict] = {}
    started = time.perf_counter()
    pdf = worker_render()
    cold = summarise(
        "report PDF, very first render of the worker process", [time.perf_counter() - started], []
    )
    rows[cold["name"]] = cold
    pages = _pages(pdf)
    timings = _timed(worker_render, REPEAT)
    render = summarise(
        "report PDF, render by the worker (demo officer)",
        timings,
        [],
        pdf_kb=round(len(pdf) / 1024, 1),
        pages=pages,
    )
    plain_html = plain_document(pages or 1)
    plain = summarise(
        f"plain WeasyPrint document of {pages} pages, same run",
        _timed(lambda: _plain_render(plain_html), REPEAT),
        [],
        pages=_pages(_plain_render(plain_html)),
    )
    render.update(
        ms_per_page=round(render["median_ms"] / pages, 1) if pages else None,
        ratio_to_plain=round(render["median_ms"] / plain["median_ms"], 2),
        ratio_budget=RATIO_BUDGET,
        within_budget=render["median_ms"] / plain["median_ms"] <= RATIO_BUDGET,
    )
    plain["ms_per_page"] = round(plain["median_ms"] / plain["pages"], 1)
    rows[render["name"]] = render
    rows[plain["name"]] = plain
    _render_by_worker(client, url)
    stored = measure(
        client,
        "GET",
        url,
        n=REPEAT * 3,
        warmup=1,
        expect=[200],
        name="report PDF, download of a ready report (from the store)",
    )
    stored.update(budget_ms=STORED_BUDGET_MS, within_budget=stored["p95_ms"] <= STORED_BUDGET_MS)
    rows[stored["name"]] = stored
    approval = _renders_enqueued_by_one_approval(assessment)
    rows[approval["name"]] = approval
    with translation.override(language):
        data = report.report_for(assessment, language=language)
    memory = _memory(report, data)
    rows[memory["name"]] = memory
    return rows


def _timed(call, n: int) -> list[float]:
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return timings


def plain_document(pages: int) -> str:
    """Block layout only: a heading, paragraphs and a small SVG per page."""
    from urllib.parse import quote

    svg = quote(
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120">'
        '<rect x="10" y="10" width="200" height="60" fill="#3366cc"/>'
        '<text x="20" y="100">Figure</text></svg>'
    )
    paragraph = "<p>" + "Plain text of a benchmark report, set in block layout. " * 8 + "</p>"
    body = "".join(
        f'<section style="page-break-after: always"><h1>Section {n}</h1>{paragraph * 2}'
        f'<img src="data:image/svg+xml;utf8,{svg}" alt="Figure {n}">{paragraph * 2}</section>'
        for n in range(1, pages + 1)
    )
    return f"<!doctype html><html lang='en'><body>{body}</body></html>"


def _plain_render(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


def _render_by_worker(client, url: str) -> None:
    """Ask for the report (which enqueues it) and run the worker until it is stored.

    The renders the demo data's transitions enqueued are dropped first: timing one report
    does not need the others."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    client.get(url)
    call_command("run_worker", batch=True, verbosity=0)
    response = client.get(url)
    if response.get("Content-Type") != "application/pdf":
        raise RuntimeError(f"The worker did not produce the report: {response.status_code}")


def _renders_enqueued_by_one_approval(assessment) -> dict:
    """Tasks one approval enqueues, with every assessment of the field holding a ready report
    (the worst case: all of them would be stale)."""
    from django.db import transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from assessment import workflow
    from assessment.models import Assessment, ReportState

    field = Assessment.objects.filter(cycle=assessment.cycle)
    ReportState.objects.bulk_create(
        [
            ReportState(
                assessment_id=pk,
                language=language,
                fingerprint="bench",
                status="ready",
                updated_at=timezone.now(),
            )
            for pk in field.values_list("pk", flat=True)
            for language in ("en", "fr")
        ],
        ignore_conflicts=True,
    )
    renders = DBTaskResult.objects.filter(task_path="assessment.tasks.render_report")
    before, renders_before = DBTaskResult.objects.count(), renders.count()
    with transaction.atomic():
        workflow.invalidate_benchmarks(assessment)  # what submit, return and approve call
    return {
        "name": "renders enqueued by one approval",
        "n": 1,
        "median_ms": 0,
        "p95_ms": 0,
        "assessments_in_field": field.count(),
        "report_states_in_field": ReportState.objects.count(),
        "tasks_enqueued": DBTaskResult.objects.count() - before,
        "renders_enqueued": renders.count() - renders_before,
    }


def _pages(pdf: bytes) -> int | None:
    try:
        import pypdf
    except ImportError:  # a dev dependency: not needed to serve reports
        return None
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _memory(report, data) -> dict:
    """Render `MEMORY_RENDERS` times; RSS before, after the first, after the last, and peak."""
    import gc

    gc.collect()
    before = _rss_kb()
    peak_reset = _reset_peak()
    timings, after_first = [], None
    for i in range(MEMORY_RENDERS):
        started = time.perf_counter()
        report.render_pdf(data)
        timings.append(time.perf_counter() - started)
        if i == 0:
            after_first = _rss_kb()
    gc.collect()
    after = _rss_kb()
    peak = _rss_kb("VmHWM")
    row = summarise(
        f"report PDF, {MEMORY_RENDERS} renders in a row (memory)",
        timings,
        [],
        errors=0,
        error_statuses=[],
    )
    row.update(
        rss_before_mb=_mb(before),
        rss_after_first_mb=_mb(after_first),
        rss_after_last_mb=_mb(after),
        rss_growth_first_to_last_mb=_mb(after - after_first) if after and after_first else None,
        peak_rss_growth_mb=_mb(peak - before) if peak and before else None,
        peak_measured_from="VmHWM reset before the loop" if peak_reset else "process peak",
        median_render_ms=round(statistics.median(timings) * 1000, 1),
    )
    return row


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # As bench/run.py: DEBUG off (no query log growing in memory), errors only in the log.
    os.environ["DJANGO_ENV"] = "development"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    if Path(os.environ.get("SQLITE_PATH", "db.sqlite3")).name == "db.sqlite3" and not (
        os.environ.get("DATABASE_URL")
    ):
        raise SystemExit("Set SQLITE_PATH (or DATABASE_URL) to a throwaway database.")
    django.setup()
    from django.template import Template
    from django.test.utils import setup_test_environment

    # As bench/run.py: let the test client through ALLOWED_HOSTS, keep the real renderer.
    render = Template._render
    setup_test_environment()
    Template._render = render
    demo_assessment()  # loads the demo data into an empty database
    if os.environ.get("BENCH_AUTHORITIES"):  # peers as in `make bench`
        from bench.common import seed_scale

        seed_scale(n_authorities=int(os.environ["BENCH_AUTHORITIES"]))
    rows = bench_report()
    for name, row in rows.items():
        extra = {
            k: v
            for k, v in row.items()
            if k
            in (
                "budget_ms",
                "within_budget",
                "pages",
                "pdf_kb",
                "queries",
                "ms_per_page",
                "ratio_to_plain",
                "tasks_enqueued",
                "renders_enqueued",
                "report_states_in_field",
                "cpu_median_ms",
            )
            or k.startswith(("rss", "peak"))
        }
        print(f"{name}: median {row['median_ms']:.1f} ms, p95 {row['p95_ms']:.1f} ms {extra}")


if __name__ == "__main__":
    main()
