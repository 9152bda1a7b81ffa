"""The improvement plan page's data: the results with their plan, and one form per item row.

Rows, in this order: the targets already in the plan, then the results' "improve first" items
not yet in it (offered first), then one item the officer chose to add (`?add=A3.4`, a GET
form, so adding works without JavaScript). The what-if is computed on save; with htmx the
page also posts its rows to the preview endpoint as they change, which saves nothing.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from assessment.answers.saving import Outcome
from assessment.models import Answer, Assessment, Item
from assessment.plan_forms import TargetForm, target_prefix
from assessment.plans import PlanSaveResult, TargetValues, first_target_cycle, save_targets
from assessment.results import Results, results_for


@dataclass(frozen=True)
class PlanPage:
    results: Results
    current: list[TargetForm]
    suggested: list[TargetForm]
    added: list[TargetForm]
    addable: list[Item]  # items of the questionnaire not on the page yet
    can_edit: bool

    @property
    def plan(self):
        return self.results.plan

    @property
    def forms(self) -> list[TargetForm]:
        return [*self.current, *self.suggested, *self.added]


def _form(results: Results, item: Item, data=None) -> TargetForm:
    plan = results.plan
    return TargetForm(
        data,
        item=item,
        target=plan.stored.get(item.pk),
        today=plan.answers.get(item.code),
        first_cycle=first_target_cycle(results.assessment),
    )


def posted_forms(results: Results, data) -> dict[str, TargetForm]:
    """A bound form for every item row present in `data` (by code)."""
    return {
        code: _form(results, item, data)
        for code, item in results.plan.items.items()
        if f"{target_prefix(item)}-version" in data
    }


def plan_page(
    assessment: Assessment,
    *,
    can_edit: bool,
    add: str = "",
    flagged: Mapping[str, TargetForm] | None = None,
    results: Results | None = None,
) -> PlanPage:
    """The page; `flagged` forms (invalid or in conflict) are shown as posted."""
    results = results or results_for(assessment)
    plan, flagged = results.plan, flagged or {}
    in_plan = {row.code for row in plan.targets} | {
        code for code, form in flagged.items() if form.target is not None and form.in_plan
    }
    suggested_codes = [
        advice.code
        for action in results.actions
        for advice in action.improvements
        if advice.code not in in_plan
    ]
    suggested_codes = list(dict.fromkeys(suggested_codes))
    extra = [code for code in flagged if code not in in_plan and code not in suggested_codes]
    if add in plan.items and add not in in_plan and add not in suggested_codes:
        extra.append(add)

    def form(code: str) -> TargetForm:
        return flagged.get(code) or _form(results, plan.items[code])

    shown = in_plan | set(suggested_codes) | set(extra)
    ordered = [code for code in plan.items if code in in_plan]
    return PlanPage(
        results=results,
        current=[form(code) for code in ordered],
        suggested=[form(code) for code in suggested_codes],
        added=[form(code) for code in dict.fromkeys(extra)],
        addable=[item for code, item in plan.items.items() if code not in shown],
        can_edit=can_edit,
    )


@dataclass(frozen=True)
class SavedPlan:
    result: PlanSaveResult
    flagged: dict[str, TargetForm]


def save_posted_plan(*, assessment: Assessment, data, by) -> SavedPlan:
    """Validate every posted row; save the valid ones; keep invalid and conflicting ones as
    posted, so nothing typed is lost."""
    results = results_for(assessment)
    forms = posted_forms(results, data)
    valid = {code: form for code, form in forms.items() if form.is_valid()}
    result = save_targets(
        assessment=assessment, by=by, posted=[form.posted_target() for form in valid.values()]
    )
    flagged = {code: form for code, form in forms.items() if code not in valid}
    for row in result.results:
        if row.outcome == Outcome.CONFLICT:
            flagged[row.posted.item.code] = valid[row.posted.item.code].rebound_for_conflict(
                row.target
            )
    return SavedPlan(result=result, flagged=flagged)


def preview_targets(assessment: Assessment, data) -> Results:
    """The results with the valid posted rows in place of the stored targets (saves nothing).

    The rows are validated against the items and today's answers (two queries), so the
    results are built once, with the preview in place.
    """
    items = Item.objects.filter(questionnaire_id=assessment.questionnaire_id)
    today = {a.item_id: a for a in Answer.objects.filter(assessment=assessment)}
    first_cycle = first_target_cycle(assessment)
    posted: dict[str, TargetValues] = {}
    for item in items:
        if f"{target_prefix(item)}-version" not in data:
            continue
        form = TargetForm(
            data, item=item, target=None, today=today.get(item.pk), first_cycle=first_cycle
        )
        if form.is_valid():
            posted[item.code] = form.values()
    return results_for(assessment, posted_targets=posted)
