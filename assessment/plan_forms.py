"""The plan page's form: one `TargetForm` per item row, prefixed by the item's code.

A row is in the plan while it has a target value (a level, "yes" or a figure); "Remove from
the plan" empties it. The hidden version and fingerprint fields work as on the answers' form
(`assessment.answers.forms`), so `plans.save_targets` can tell a colleague's newer change.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.answers.forms import OUT_OF_DATE, value_field_for
from assessment.answers.values import Choice, normalise_text
from assessment.models import Answer, AnswerType, Item, PlanTarget
from assessment.plans import MAX_YEARS_AHEAD, PostedTarget, TargetValues, target_problem
from assessment.wording import LEVEL_NAMES, answer_text, format_number, item_prefix

OUT_OF_DATE_ERRORS = {
    "required": OUT_OF_DATE,
    "invalid": OUT_OF_DATE,
    "min_value": OUT_OF_DATE,
    "max_value": OUT_OF_DATE,
}


def target_prefix(item: Item) -> str:
    return "plan-" + item_prefix(item)


class TargetForm(forms.Form):
    version = forms.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        widget=forms.HiddenInput,
        error_messages=OUT_OF_DATE_ERRORS,
    )
    loaded = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    conflict = forms.BooleanField(required=False, widget=forms.HiddenInput)
    resolve = forms.ChoiceField(
        required=False,
        choices=[("", "")] + list(Choice.choices),
        error_messages={"invalid_choice": OUT_OF_DATE},
    )
    target_cycle = forms.IntegerField(
        required=False,
        label=_("Target cycle"),
        error_messages={"invalid": _("Enter the target cycle as a year, e.g. 2028.")},
    )
    owner = forms.CharField(
        required=False,
        max_length=200,
        label=_("Owner"),
        help_text=_("A department or a person."),
    )
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1}), label=_("Note")
    )
    remove = forms.BooleanField(required=False, label=_("Remove from the plan"))

    def __init__(
        self,
        data=None,
        *,
        item: Item,
        target: PlanTarget | None,
        today: Answer | None,
        first_cycle: int,
        **kwargs,
    ):
        self.item, self.target, self.today, self.first_cycle = item, target, today, first_cycle
        self.conflict_state: bool | None = None
        stored = TargetValues.of(target)
        initial = {
            "version": target.version if target else 0,
            "loaded": stored.fingerprint(),
            "level": stored.level,
            "yes": bool(stored.yes),
            "number": format_number(stored.number),
            "target_cycle": stored.target_cycle or first_cycle,
            "owner": stored.owner,
            "note": stored.note,
        }
        super().__init__(data, prefix=target_prefix(item), initial=initial, **kwargs)
        if item.answer_type == AnswerType.MATURITY:
            self.fields["level"] = forms.TypedChoiceField(
                required=False,
                choices=[("", _("No target"))]
                + [(i, f"{i} · {LEVEL_NAMES[i]}") for i in range(1, 5)],
                coerce=int,
                empty_value=None,
                label=_("Target level"),
                error_messages={"invalid_choice": _("Choose one of the levels 1 to 4.")},
            )
        elif item.answer_type == AnswerType.YES_NO:
            self.fields["yes"] = forms.BooleanField(required=False, label=_("Target: yes"))
        else:
            label = _("Target value (%(unit)s)") % {"unit": item.unit} if item.unit else None
            self.fields["number"] = forms.CharField(
                required=False, max_length=40, label=label or _("Target value")
            )
        for name, bound in self.fields.items():
            css = {"yes": "form-check-input", "remove": "form-check-input", "level": "form-select"}
            bound.widget.attrs.setdefault("class", css.get(name, "form-control"))

    @property
    def value_field(self) -> str:
        return value_field_for(self.item)

    @property
    def today_text(self) -> str:
        return answer_text(self.item, self.today)

    def clean_number(self) -> Decimal | None:
        raw = (self.cleaned_data.get("number") or "").strip()
        raw = raw.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value != value.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Enter a number with at most two decimals, e.g. 12.5."))
        low, high = self.item.min_value, self.item.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            raise forms.ValidationError(
                _("Enter a number from %(min)s to %(max)s.")
                % {"min": format_number(low), "max": format_number(high)}
            )
        return value

    def clean(self):
        data = super().clean()
        values = self._values(data)
        if data.get("remove") or self.errors:
            return data
        if not values.in_plan:
            if normalise_text(data.get("owner")) or normalise_text(data.get("note")):
                self.add_error(
                    self.value_field,
                    _("Set a target for this item, or leave its owner and note empty."),
                )
            return data
        cycle = data.get("target_cycle")
        last = self.first_cycle + MAX_YEARS_AHEAD
        if cycle is None or not self.first_cycle <= cycle <= last:
            self.add_error(
                "target_cycle",
                _("Choose a target cycle from %(first)d to %(last)d: not one in the past.")
                % {"first": self.first_cycle, "last": last},
            )
        problem = target_problem(self.item, self.today, values)
        if problem:
            self.add_error(self.value_field, problem)
        return data

    def _values(self, data) -> TargetValues:
        if data.get("remove"):
            return TargetValues()
        values = TargetValues(
            level=data.get("level"),
            yes=True if data.get("yes") else None,
            number=data.get("number"),
            target_cycle=data.get("target_cycle"),
            owner=normalise_text(data.get("owner")),
            note=normalise_text(data.get("note")),
        )
        return values if values.in_plan else TargetValues()

    def values(self) -> TargetValues:
        return self._values(self.cleaned_data)

    def posted_target(self) -> PostedTarget:
        data = self.cleaned_data
        return PostedTarget(
            item=self.item,
            values=self.values(),
            version=data["version"],
            loaded=data.get("loaded") or "",
            in_conflict=bool(data.get("conflict")),
            resolve=data.get("resolve") or "",
        )

    # --- for the template ------------------------------------------------------------------

    @property
    def in_conflict(self) -> bool:
        if self.conflict_state is not None:
            return self.conflict_state
        if not self.is_bound:
            return False
        return forms.BooleanField().to_python(self.data.get(self.add_prefix("conflict")))

    def is_flagged(self) -> bool:
        return self.is_bound and (bool(self.errors) or self.in_conflict)

    @property
    def in_plan(self) -> bool:
        return TargetValues.of(self.target).in_plan

    def theirs_text(self) -> str:
        """The colleague's target in words, shown beside the officer's own in a conflict."""
        values = TargetValues.of(self.target)
        if not values.in_plan:
            return str(_("Not in the plan"))
        words = answer_text(self.item, values.as_answer(self.item))
        return str(_("%(target)s (by %(cycle)s; owner: %(owner)s)")) % {
            "target": words,
            "cycle": values.target_cycle or "—",
            "owner": values.owner or "—",
        }

    def rebound_for_conflict(self, theirs: PlanTarget | None) -> "TargetForm":
        """The officer's input, now based on the colleague's version, marked as a conflict."""
        data = {key: self.data[key] for key in self.data}
        data[self.add_prefix("version")] = str(theirs.version if theirs else 0)
        data[self.add_prefix("loaded")] = TargetValues.of(theirs).fingerprint()
        data[self.add_prefix("conflict")] = "True"
        data.pop(self.add_prefix("resolve"), None)
        form = TargetForm(
            data, item=self.item, target=theirs, today=self.today, first_cycle=self.first_cycle
        )
        form.conflict_state = True
        form.is_valid()
        return form
