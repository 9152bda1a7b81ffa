"""Bench of the results page and the peer benchmark (`make bench`, or on its own).

`bench_results()` seeds the scale data set into the CURRENT database if it is not there yet
(`bench.common.seed_scale`: bulk-created authorities with three cycles of assessments, the past
ones approved with frozen `approved_scores`), then times in-process, through django.test.Client:

* /healthz, the baseline of this run;
* the benchmark of one assessment (3 groups x 6 Actions + overall) with a cold peer cache
  (the generation is bumped before each call, so the peer table is read again) and warm;
* the whole results page with a warm and a cold peer cache, and its JSON.

Each row carries `x_healthz`, its median over the /healthz median of the same run.
On its own (a throwaway database, never db.sqlite3):

    SQLITE_PATH=/tmp/bench.sqlite3 .venv/bin/python manage.py migrate
    SQLITE_PATH=/tmp/bench.sqlite3 .venv/bin/python -m bench.results
"""

from __future__ import annotations

from bench.common import (
    client_for,
    ensure_content,
    measure,
    print_rows,
    scale_data,
    seed_scale,
    standalone_setup,
    time_call,
)


def bench_results(n_authorities: int = 1000) -> dict[str, dict]:
    from django.urls import reverse

    from assessment import benchmark
    from assessment.access import get_assessment_for_user

    ensure_content()
    seeded = seed_scale(n_authorities=n_authorities)
    data = scale_data()
    draft = get_assessment_for_user(data.officer, data.draft.pk)
    version = draft.questionnaire.version
    scores = _live_scores(draft)
    peers = len(benchmark.peer_table(cycle=draft.cycle, version=version))

    def cold_benchmark():
        benchmark.invalidate(cycle=draft.cycle, version=version)
        return benchmark.benchmark_for(assessment=draft, scores=scores)

    def warm_benchmark():
        return benchmark.benchmark_for(assessment=draft, scores=scores)

    def cold_page(_: int) -> str:
        # Bumping the generation is a few in-memory cache operations: negligible here.
        benchmark.invalidate(cycle=draft.cycle, version=version)
        return page

    page = reverse("assessment:results", args=[draft.pk])
    json_page = reverse("assessment:results_json", args=[draft.pk])
    approved_page = reverse("assessment:results", args=[data.approved.pk])
    officer = client_for(data.officer)
    healthz = measure(
        client_for(None), "GET", "/healthz", name="/healthz (results baseline)", expect=[200]
    )
    rows = [
        healthz,
        time_call(cold_benchmark, name=f"benchmark of one assessment, cold cache ({peers} peers)"),
        time_call(warm_benchmark, name="benchmark of one assessment, warm cache"),
        measure(officer, "GET", page, name="results page (draft)", expect=[200]),
        measure(
            officer, "GET", cold_page, name="results page (draft, cold peer cache)", expect=[200]
        ),
        measure(officer, "GET", json_page, name="results JSON (draft)", expect=[200]),
        measure(
            officer,
            "GET",
            approved_page,
            name="results page (approved, previous cycle)",
            expect=[200],
        ),
    ]
    baseline = healthz["median_ms"] or float("nan")
    result = {}
    for row in rows:
        row["x_healthz"] = round(row["median_ms"] / baseline, 1)
        row["authorities"] = data.n_authorities
        result[row["name"]] = row
    result["/healthz (results baseline)"]["seeded"] = seeded
    return result


def _live_scores(assessment):
    from assessment.scores import FrozenScores, scorecard_for

    return FrozenScores.of(scorecard_for(assessment))


def main() -> None:
    import os

    standalone_setup()
    print_rows(bench_results(int(os.environ.get("BENCH_AUTHORITIES", "1000"))))


if __name__ == "__main__":
    main()
