"""Bench of the open data (`make bench`, or on its own): the API's main endpoints, a CSV
download and the public page "The field in figures", anonymous, with the scale data set
(1,000 authorities, three cycles). Cached rows are the steady state (the shared cache holds the
figures; budget p95 <= 20 ms); the "after an approval" row bumps the approval generation
(`assessment/approval_generation.py`) before every request, so each one recomputes the figures
from the database.

On its own (a throwaway database, never db.sqlite3):

    SQLITE_PATH=/tmp/opendata.sqlite3 .venv/bin/python manage.py migrate
    SQLITE_PATH=/tmp/opendata.sqlite3 .venv/bin/python bench/opendata.py
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":  # run as a script: import from the project root, not bench/
    ROOT = Path(__file__).resolve().parent.parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    client_for,
    ensure_content,
    measure,
    scale_data,
    seed_scale,
    standalone_setup,
)


def bench_opendata(n_authorities: int = 1000) -> dict[str, dict]:
    from django.conf import settings

    from assessment import approval_generation, benchmark

    settings.OPENDATA_RATE_LIMIT = (10**9, 60)  # one address sends every request here
    ensure_content()
    seed_scale(n_authorities=n_authorities)
    data = scale_data()
    previous = data.cycles[-2]
    version = data.questionnaire.version
    visitor = client_for(None)
    aggregates = f"/api/v1/datasets/{previous}/{version}/aggregates"

    def fresh(i: int) -> str:  # what an approval does once it has committed
        benchmark.invalidate(cycle=previous, version=version)
        approval_generation.bump()
        return aggregates

    rows = [
        measure(visitor, "GET", "/api/v1/datasets", name="API datasets (cached)", expect=[200]),
        measure(visitor, "GET", aggregates, name="API aggregates (cached)", expect=[200]),
        measure(
            visitor,
            "GET",
            f"/api/v1/datasets/{previous}/{version}/items",
            name="API item shares (cached)",
            expect=[200],
        ),
        measure(
            visitor,
            "GET",
            "/api/v1/feedback/rounds",
            name="API feedback rounds (cached)",
            expect=[200],
        ),
        measure(
            visitor,
            "GET",
            "/open-data/downloads/aggregates.csv",
            name="CSV aggregates, all cycles (cached)",
            expect=[200],
        ),
        measure(
            visitor,
            "GET",
            "/open-data/dcat.jsonld",
            name="DCAT-AP catalogue (cached)",
            expect=[200],
        ),
        measure(visitor, "GET", "/open-data/", name="field in figures page (cached)", expect=[200]),
        measure(
            visitor,
            "GET",
            fresh,
            name="API aggregates after an approval (recomputed)",
            expect=[200],
            n=5,
        ),
    ]
    result = {}
    for row in rows:
        row["authorities"] = data.n_authorities
        result[row["name"]] = row
    return result


def main() -> None:
    import os

    standalone_setup()
    rows = bench_opendata(int(os.environ.get("BENCH_AUTHORITIES", "1000")))
    width = max(len(name) for name in rows)
    print(f"{'':{width}}  median ms   p95 ms  queries")
    for name, row in rows.items():
        print(f"{name:{width}}  {row['median_ms']:9.2f} {row['p95_ms']:8.2f} {row['queries']!s:>8}")


if __name__ == "__main__":
    main()
