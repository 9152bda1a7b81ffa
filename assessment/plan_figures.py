"""Where the field wants to grow: how many authorities plan to improve each Action and item.

Counts of authorities only, per cycle of the assessment the plan belongs to (the plans of every
status count: a plan is work in progress). A count of one to four authorities is withheld, by
the peer rule's minimum (`benchmark.MIN_PEERS`), so that no authority's plan can be told; zero
is shown (it says nothing about any authority). The counts are not additive (an authority can
plan to improve several items), so withholding one cannot be undone by subtraction.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from actions.models import Action
from assessment.benchmark import MIN_PEERS
from assessment.models import PlanTarget
from portal.csv import csv_response


def protected(count: int) -> int | None:
    """`count`, or None when one to four authorities would be told apart."""
    return count if count == 0 or count >= MIN_PEERS else None


@dataclass(frozen=True)
class CountRow:
    action: int
    code: str  # "" for the Action's own row
    label: str
    authorities: int | None  # None: withheld

    @property
    def suppressed(self) -> bool:
        return self.authorities is None


@dataclass(frozen=True)
class PlanFigures:
    cycle: int | None
    cycles: tuple[int, ...]
    authorities: int | None  # with at least one target, None when withheld
    actions: tuple[CountRow, ...]
    items: tuple[CountRow, ...]


def plan_cycles() -> tuple[int, ...]:
    """The cycles with at least one target in a plan, latest first."""
    return tuple(
        PlanTarget.objects.in_plan()
        .order_by("-plan__assessment__cycle")
        .values_list("plan__assessment__cycle", flat=True)
        .distinct()
    )


def plan_figures(*, cycle: int | None = None) -> PlanFigures:
    """The counts of `cycle` (default: the latest with plans). Four queries, whatever the
    number of plans or targets."""
    cycles = plan_cycles()
    if cycle not in cycles:
        cycle = cycles[0] if cycles else None
    if cycle is None:
        return PlanFigures(cycle=None, cycles=(), authorities=0, actions=(), items=())
    targets = PlanTarget.objects.in_plan().filter(plan__assessment__cycle=cycle)
    authorities = targets.aggregate(n=Count("plan__assessment__authority", distinct=True))["n"]
    per_action = dict(
        targets.values_list("item__section__action__number")
        .annotate(n=Count("plan__assessment__authority", distinct=True))
        .order_by()
    )
    per_item = (
        targets.values_list("item__section__action__number", "item__code", "item__question")
        .annotate(n=Count("plan__assessment__authority", distinct=True))
        .order_by("item__section__action__number", "item__position", "item__code")
    )
    items: dict[tuple[int, str], CountRow] = {}
    for action, code, question, n in per_item:
        # Two questionnaire versions in one cycle may share a code: count it once per code.
        if (action, code) not in items:
            items[(action, code)] = CountRow(action, code, question, protected(n))
    titles = dict(Action.objects.values_list("number", "short_title"))
    return PlanFigures(
        cycle=cycle,
        cycles=cycles,
        authorities=protected(authorities or 0),
        actions=tuple(
            CountRow(
                number, "", titles.get(number, str(number)), protected(per_action.get(number, 0))
            )
            for number in sorted(titles)
        ),
        items=tuple(items.values()),
    )


def plan_figures_csv(figures: PlanFigures) -> StreamingHttpResponse:
    """The same counts as the page, one row per Action and per item."""
    header = [_("Cycle"), _("Action"), _("Item"), _("Title or question"), _("Authorities")]
    header.append(_("Withheld (fewer than %(min)d authorities)") % {"min": MIN_PEERS})
    rows = (
        [
            figures.cycle,
            row.action,
            row.code,
            row.label,
            row.authorities,
            _("yes") if row.suppressed else _("no"),
        ]
        for row in (*figures.actions, *figures.items)
    )
    return csv_response(
        filename=f"improvement-plans-{figures.cycle or 'none'}.csv", header=header, rows=rows
    )
