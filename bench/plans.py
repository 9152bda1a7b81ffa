"""Bench of the improvement plan (`make bench`, or `BENCH_ONLY=plans make bench`).

`bench_plans()` seeds the scale data set if needed, then gives every authority's assessment of
the previous cycle a plan of `TARGETS_PER_PLAN` targets (bulk-created once) and Bench Town
0001's draft a plan of its own, and times, through django.test.Client:

* /healthz, the baseline of this run;
* the plan page of the draft (what-if against 1,000 authorities' peers, last cycle's plan
  against today's answers, one form per row);
* the htmx what-if preview (a POST that saves nothing) and the what-if alone (`plans.what_if`);
* the coordinators' counts of the field's plans, and their CSV.

Run alone with `python -m bench.plans` after migrating a throwaway SQLITE_PATH database
(never db.sqlite3), as the other bench modules.
"""

from __future__ import annotations

from bench.common import (
    client_for,
    ensure_content,
    measure,
    print_rows,
    relative_to_baseline,
    scale_data,
    seed_scale,
    standalone_setup,
    time_call,
)

TARGETS_PER_PLAN = 6


def seed_plans(data) -> int:
    """Plans on the previous cycle of every authority and on the draft (idempotent)."""
    from django.utils import timezone

    from assessment.models import Assessment, ImprovementPlan, Item, PlanTarget

    previous = data.current_cycle - 1
    maturity = list(
        Item.objects.filter(questionnaire=data.questionnaire, answer_type="maturity").order_by(
            "position"
        )
    )
    without = Assessment.objects.filter(cycle=previous, plan__isnull=True)
    plans = ImprovementPlan.objects.bulk_create(
        [ImprovementPlan(assessment_id=pk) for pk in without.values_list("pk", flat=True)],
        batch_size=2000,
    )
    plans = list(ImprovementPlan.objects.filter(pk__in=[p.pk for p in plans if p.pk]))
    if not plans:  # SQLite before 3.35 returns no primary keys from bulk_create
        plans = list(ImprovementPlan.objects.filter(assessment__cycle=previous, targets=None))
    now = timezone.now()
    targets = [
        PlanTarget(
            plan=plan,
            item=maturity[(plan.pk + n * 5) % len(maturity)],
            level=4,
            target_cycle=data.current_cycle,
            owner="Bench unit",
            updated_at=now,
        )
        for plan in plans
        for n in range(TARGETS_PER_PLAN)
    ]
    PlanTarget.objects.bulk_create(targets, batch_size=2000, ignore_conflicts=True)
    draft_plan, _ = ImprovementPlan.objects.get_or_create(assessment=data.draft)
    PlanTarget.objects.bulk_create(
        [
            PlanTarget(plan=draft_plan, item=item, level=4, target_cycle=data.current_cycle + 1)
            for item in maturity[:12]
        ],
        ignore_conflicts=True,
    )
    return len(targets)


def bench_plans(n_authorities: int = 1000) -> dict[str, dict]:
    from django.urls import reverse

    from assessment.access import get_assessment_for_user
    from assessment.models import Item
    from assessment.plan_forms import target_prefix
    from assessment.plans import TargetValues
    from assessment.results import results_for
    from assessment.scores import answer_value, scores_to_show

    ensure_content()
    seeded = seed_scale(n_authorities=n_authorities)
    data = scale_data()
    targets = seed_plans(data)
    draft = get_assessment_for_user(data.officer, data.draft.pk)
    officer = client_for(data.officer)
    coordinator = client_for(data.coordinator)
    item = Item.objects.get(questionnaire=draft.questionnaire, code="A3.2")
    prefix = target_prefix(item)
    preview = {
        f"{prefix}-version": "0",
        f"{prefix}-loaded": TargetValues().fingerprint(),
        f"{prefix}-conflict": "False",
        f"{prefix}-level": "4",
        f"{prefix}-target_cycle": str(data.current_cycle + 1),
    }
    results = results_for(draft)
    plan = results.plan
    engine = {code: answer_value(a) for code, a in plan.answers.items()}
    planned = {row.code: row.values.engine_answer() for row in plan.targets}

    def what_if():
        from assessment import plans
        from assessment.questionnaire.spec import questionnaire_spec

        return plans.what_if(
            assessment=draft,
            spec=questionnaire_spec(draft.questionnaire),
            answers=engine,
            targets=planned,
            today=scores_to_show(draft),
        )

    healthz = measure(
        client_for(None), "GET", "/healthz", name="/healthz (plans baseline)", expect=[200]
    )
    rows = [
        healthz,
        measure(
            officer,
            "GET",
            reverse("assessment:plan", args=[draft.pk]),
            name=f"plan page (draft, {len(plan.targets)} targets)",
            expect=[200],
        ),
        measure(
            officer,
            "POST",
            reverse("assessment:plan_preview", args=[draft.pk]),
            preview,
            name="what-if preview (htmx POST, saves nothing)",
            headers={"HX-Request": "true"},
            expect=[200],
        ),
        time_call(what_if, name="what-if alone (engine + peers, warm cache)"),
        measure(
            coordinator,
            "GET",
            reverse("assessment:coordinator_plans"),
            name=f"coordinators' plan counts ({targets} targets seeded)",
            expect=[200],
        ),
        measure(
            coordinator,
            "GET",
            reverse("assessment:export_plans"),
            name="coordinators' plan counts CSV",
            expect=[200],
        ),
    ]
    return relative_to_baseline(rows, authorities=data.n_authorities, seeded=seeded)


def main() -> None:
    import os

    standalone_setup()
    print_rows(bench_plans(int(os.environ.get("BENCH_AUTHORITIES", "1000"))))


if __name__ == "__main__":
    main()
