"""Bench of the coordinators' field overview (`make bench`, or on its own).

`bench_field()` seeds the scale data set into the CURRENT database if it is not there yet
(`bench.common.seed_scale`: bulk-created authorities with three cycles of assessments, the past
ones approved with frozen scores), then times in-process through django.test.Client, logged in
as a coordinator with force_login:

* the dashboard (first page, all cycles) and the dashboard filtered and sorted;
* the heatmap of the latest cycle and of the previous one (all approved), with the per-Action
  quartiles;
* the answers export of the previous cycle (one assessment per authority, all approved): time
  of one full download, its size, and the peak Python memory while streaming it (tracemalloc,
  measured in a second download so that tracing does not slow the timed one).

On its own (a throwaway database, never db.sqlite3):

    SQLITE_PATH=/tmp/field.sqlite3 .venv/bin/python manage.py migrate
    SQLITE_PATH=/tmp/field.sqlite3 .venv/bin/python -m bench.field
"""

from __future__ import annotations

import time
import tracemalloc

from bench.common import (
    client_for,
    ensure_content,
    measure,
    scale_data,
    seed_scale,
    standalone_setup,
)


def download(client, path: str) -> tuple[int, int, int]:
    """Stream a response to nowhere: (status, bytes, chunks)."""
    response = client.get(path)
    size = chunks = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        chunks += 1
    response.close()
    return response.status_code, size, chunks


def export_row(client, path: str, *, name: str, assessments: int) -> dict:
    """One timed download, then one traced download for the peak memory."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        # Counted here rather than with CaptureQueriesContext, whose log the request_started
        # signal resets while the export streams.
        queries.append(sql)
        return execute(sql, params, many, context)

    download(client, path)  # warm-up: code paths loaded, SQLite pages cached
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        status, size, chunks = download(client, path)
        seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        download(client, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    ms = round(seconds * 1000, 1)
    return {
        "name": name,
        "n": 1,
        "median_ms": ms,
        "p95_ms": ms,
        "min_ms": ms,
        "max_ms": ms,
        "queries": len(queries),
        "status": status,
        "errors": 0 if status == 200 else 1,
        "error_statuses": [] if status == 200 else [status],
        "assessments": assessments,
        "bytes": size,
        "chunks": chunks,
        "peak_memory_mib": round(peak / 2**20, 2),
    }


def bench_field(n_authorities: int = 1000) -> dict[str, dict]:
    from django.urls import reverse

    from assessment.models import Assessment

    ensure_content()
    seeded = seed_scale(n_authorities=n_authorities)
    data = scale_data()
    previous = data.cycles[-2]
    coordinator = client_for(data.coordinator)
    dashboard = reverse("assessment:coordinator_dashboard")
    heatmap = reverse("assessment:coordinator_heatmap")
    answers = reverse("assessment:export_answers")
    exported = Assessment.objects.filter(cycle=previous).count()
    healthz = measure(
        client_for(None), "GET", "/healthz", name="/healthz (field baseline)", expect=[200]
    )
    rows = [
        healthz,
        measure(coordinator, "GET", dashboard, name="field dashboard", expect=[200]),
        measure(
            coordinator,
            "GET",
            f"{dashboard}?status=approved&band=50k-250k&sort=-population&page=2",
            name="field dashboard (filtered, sorted, page 2)",
            expect=[200],
        ),
        measure(coordinator, "GET", heatmap, name="field heatmap (latest cycle)", expect=[200]),
        measure(
            coordinator,
            "GET",
            f"{heatmap}?cycle={previous}",
            name="field heatmap (previous cycle, all approved)",
            expect=[200],
        ),
        export_row(
            coordinator,
            f"{answers}?cycle={previous}",
            name=f"answers export ({exported} assessments)",
            assessments=exported,
        ),
    ]
    baseline = healthz["median_ms"] or float("nan")
    result = {}
    for row in rows:
        row["x_healthz"] = round(row["median_ms"] / baseline, 1)
        row["authorities"] = data.n_authorities
        result[row["name"]] = row
    result["/healthz (field baseline)"]["seeded"] = seeded
    return result


def main() -> None:
    import os

    standalone_setup()
    rows = bench_field(int(os.environ.get("BENCH_AUTHORITIES", "1000")))
    width = max(len(name) for name in rows)
    print(f"{'':{width}}  median ms   p95 ms  queries  x healthz  extra")
    for name, row in rows.items():
        extra = ""
        if "peak_memory_mib" in row:
            extra = (
                f"{row['bytes'] / 2**20:.1f} MiB sent in {row['chunks']} chunks, "
                f"peak Python memory {row['peak_memory_mib']} MiB"
            )
        print(
            f"{name:{width}}  {row['median_ms']:9.2f} {row['p95_ms']:8.2f} "
            f"{row['queries']!s:>8} {row['x_healthz']:10.1f}  {extra}"
        )


if __name__ == "__main__":
    main()
