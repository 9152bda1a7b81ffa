"""`make bench` rows for the questionnaire: the largest section page, a save, an autosave.

Timed in-process through django.test.Client as the bench officer on the scale data set's
draft (Bench Town 0001, current cycle). Every timed save really changes every answer it posts
(the evidence note differs each time) and carries the right versions, so each one writes:
the figures are those of real saves, not of "nothing changed" short cuts.
"""

from __future__ import annotations

from bench.common import client_for, default_n, measure, scale_data


def bench_questionnaire() -> dict[str, dict]:
    """Median and p95 (of BENCH_N, 20) of the largest section page, a save and an autosave."""
    from django.db.models import Count
    from django.urls import reverse

    from assessment.models import Section

    data = scale_data()
    assessment = data.draft
    section = (
        Section.objects.filter(questionnaire=assessment.questionnaire)
        .select_related("action")
        .annotate(n=Count("items"))
        .order_by("-n", "position")
        .first()
    )
    action = section.action.number
    items = list(section.items.order_by("position"))
    client = client_for(data.officer)
    page_url = reverse("assessment:section", args=[assessment.pk, action])
    save_url = reverse("assessment:save", args=[assessment.pk, action])
    n = default_n()
    label = f"Action {action}, {len(items)} items"

    page = measure(
        client, "GET", page_url, name=f"questionnaire section page ({label})", expect=[200]
    )

    whole = SavePlan(assessment, items)
    save = measure(
        client,
        "POST",
        save_url,
        data=lambda i: whole.post(i + 1),
        n=n,
        name=f"questionnaire save, whole section ({label})",
        expect=[302],
    )

    one = SavePlan(assessment, items[-1:])
    autosave = measure(
        client,
        "POST",
        save_url,
        data=lambda i: one.post(i + 1),
        n=n,
        headers={"HX-Request": "true"},
        name="questionnaire autosave (htmx, 1 item)",
        expect=[200],
    )
    return {row["name"]: row for row in (page, save, autosave)}


class SavePlan:
    """POST bodies for successive saves of `items`, each based on the previous one.

    Request k (0 is the warm-up) posts every item with evidence note "Bench save k", the
    version the answer has after k saves, and the fingerprint of what save k-1 stored, as
    the browser would after each save. Built from the database once, before timing.
    """

    def __init__(self, assessment, items):
        from assessment.answers.values import AnswerValues
        from assessment.models import Answer

        stored = {
            a.item_id: a for a in Answer.objects.filter(assessment=assessment, item__in=items)
        }
        self.items = items
        self.base = {
            item.pk: (
                stored[item.pk].version if item.pk in stored else 0,
                AnswerValues.of(stored.get(item.pk)),
            )
            for item in items
        }

    def values(self, item, k: int):
        from assessment.answers.values import AnswerValues

        kind = item.answer_type
        return AnswerValues(
            level=3 if kind == "maturity" else None,
            yes=True if kind == "yes_no" else None,
            number=item.max_value if kind == "number" else None,
            evidence_note=f"Bench save {k}",
        )

    def post(self, k: int) -> dict[str, str]:
        from assessment.wording import format_number, item_prefix

        data = {}
        for item in self.items:
            version, first = self.base[item.pk]
            previous = first if k == 0 else self.values(item, k - 1)
            values = self.values(item, k)
            prefix = item_prefix(item)
            data[f"{prefix}-version"] = str(version + k)
            data[f"{prefix}-loaded"] = previous.fingerprint()
            data[f"{prefix}-evidence_note"] = values.evidence_note
            if values.level is not None:
                data[f"{prefix}-level"] = str(values.level)
            if values.yes is not None:
                data[f"{prefix}-yes"] = "yes"
            if values.number is not None:
                data[f"{prefix}-number"] = format_number(values.number)
        return data
