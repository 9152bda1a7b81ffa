"""The questionnaire's form: one AnswerForm per item, prefixed by the item's code."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.answers.values import AnswerValues, Choice, PostedItem, normalise_text
from assessment.models import Answer, AnswerType, Item
from assessment.wording import LEVEL_NAMES, format_number, item_prefix, unit_for
from portal.content_translations import ShownText

OUT_OF_DATE = _(
    "This answer could not be saved because the page was out of date. "
    "Reload the page and try again."
)


@dataclass(frozen=True)
class Option:
    """One radio button: value, label, optional description, and whether it is selected."""

    value: str
    label: str
    description: "ShownText | str"
    id: str
    checked: bool


def value_field_for(item: Item) -> str:
    """The form field holding the value of `item`'s answer type (an answer's or a target's)."""
    return {AnswerType.MATURITY.value: "level", AnswerType.YES_NO.value: "yes"}.get(
        str(item.answer_type), "number"
    )


class AnswerForm(forms.Form):
    """The answer to one item. Only the value field of the item's answer type is added."""

    version = forms.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        widget=forms.HiddenInput,
        error_messages={
            "required": OUT_OF_DATE,
            "invalid": OUT_OF_DATE,
            "min_value": OUT_OF_DATE,
            "max_value": OUT_OF_DATE,
        },
    )
    loaded = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    conflict = forms.BooleanField(required=False, widget=forms.HiddenInput)
    flagged = forms.BooleanField(required=False, widget=forms.HiddenInput)
    resolve = forms.ChoiceField(
        required=False,
        choices=[("", "")] + list(Choice.choices),
        error_messages={"invalid_choice": OUT_OF_DATE},
    )
    not_applicable = forms.BooleanField(
        required=False, label=_("This question does not apply to our authority")
    )
    na_reason = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Why does it not apply?"),
    )
    evidence_note = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Evidence note"),
        help_text=_("Optional: the document, data set or decision that supports this answer."),
    )
    evidence_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label=_("Evidence link"),
        help_text=_("Optional: a web address, e.g. https://example.org/safety-report.pdf"),
        error_messages={"invalid": _("Enter a full web address, e.g. https://example.org/report.")},
    )

    def __init__(self, data=None, *, item: Item, answer: Answer | None = None, **kwargs):
        self.item = item
        self.answer = answer
        self.conflict_state: bool | None = None  # set once the save has decided
        stored = AnswerValues.of(answer)
        initial = {
            "version": answer.version if answer else 0,
            "loaded": stored.fingerprint(),
            "level": stored.level,
            "yes": {True: "yes", False: "no"}.get(stored.yes),
            "number": format_number(stored.number),
            "not_applicable": stored.not_applicable,
            "na_reason": stored.na_reason,
            "evidence_note": stored.evidence_note,
            "evidence_url": stored.evidence_url,
        }
        super().__init__(data, prefix=item_prefix(item), initial=initial, **kwargs)
        if item.answer_type == AnswerType.MATURITY:
            self.fields["level"] = forms.TypedChoiceField(
                required=False,
                choices=[(i, str(i)) for i in range(5)],
                coerce=int,
                empty_value=None,
                label=_("Level"),
                error_messages={"invalid_choice": _("Choose one of the levels 0 to 4.")},
            )
        elif item.answer_type == AnswerType.YES_NO:
            self.fields["yes"] = forms.TypedChoiceField(
                required=False,
                choices=[("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda value: value == "yes",
                empty_value=None,
                label=_("Answer"),
                error_messages={"invalid_choice": _("Choose yes or no.")},
            )
        else:
            self.fields["number"] = forms.CharField(
                required=False,
                max_length=40,
                label=self.number_label(),
            )

    @property
    def value_field(self) -> str:
        return value_field_for(self.item)

    @property
    def value_errors(self):
        return self[self.value_field].errors

    def number_label(self) -> str:
        if self.item.unit:
            return _("Your figure (%(unit)s)") % {"unit": unit_for(self.item.unit, 2)}
        return str(_("Your figure"))

    def range_text(self) -> str:
        return _("from %(min)s to %(max)s %(unit)s") % {
            "min": format_number(self.item.min_value),
            "max": format_number(self.item.max_value),
            "unit": unit_for(self.item.unit, self.item.max_value or 2),
        }

    def clean_number(self) -> Decimal | None:
        raw = self.cleaned_data.get("number") or ""
        raw = raw.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            raise forms.ValidationError(_("Enter a number, for example 42 or 12.5."))
        low, high = self.item.min_value, self.item.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            raise forms.ValidationError(
                _("Enter a number %(range)s.") % {"range": self.range_text().strip()}
            )
        try:
            rounded = value.quantize(Decimal("0.01"))
        except InvalidOperation:
            rounded = None
        if rounded is None or rounded != value:
            raise forms.ValidationError(_("Use at most two decimals."))
        return rounded

    def clean(self):
        data = super().clean()
        if data.get("not_applicable"):
            if not self.item.allow_na:
                self.add_error(
                    None,
                    _(
                        "This question applies to every authority, so it cannot "
                        "be marked as not applicable: choose an answer."
                    ),
                )
            elif not normalise_text(data.get("na_reason")):
                self.add_error(
                    "na_reason", _("Say why this question does not apply to your authority.")
                )
        return data

    def values(self) -> AnswerValues:
        data = self.cleaned_data
        na = bool(data.get("not_applicable"))
        return AnswerValues(
            level=None if na else data.get("level"),
            yes=None if na else data.get("yes"),
            number=None if na else data.get("number"),
            not_applicable=na,
            na_reason=normalise_text(data.get("na_reason")),
            evidence_note=normalise_text(data.get("evidence_note")),
            evidence_url=(data.get("evidence_url") or "").strip(),
        )

    def posted_item(self) -> PostedItem:
        data = self.cleaned_data
        return PostedItem(
            item=self.item,
            values=self.values(),
            version=data["version"],
            loaded=data.get("loaded") or "",
            in_conflict=bool(data.get("conflict")),
            resolve=data.get("resolve") or "",
        )

    # --- for the template ----------------------------------------------------------------

    def options(self) -> list[Option]:
        """The radio buttons of a maturity or yes/no item, with the level descriptors."""
        bound = self[self.value_field]
        current = bound.value()
        current = "" if current is None else str(current)
        if self.item.answer_type == AnswerType.MATURITY:
            levels = list(self.item.tr.levels) + [ShownText("", "en")] * 5
            return [
                Option(
                    str(i),
                    f"{i} · {LEVEL_NAMES[i]}",
                    levels[i],
                    f"{bound.auto_id}_{i}",
                    current == str(i),
                )
                for i in range(5)
            ]
        if self.item.answer_type == AnswerType.YES_NO:
            return [
                Option(value, str(label), "", f"{bound.auto_id}_{value}", current == value)
                for value, label in (("yes", _("Yes")), ("no", _("No")))
            ]
        return []

    def bands_text(self) -> list[str]:
        """How a number maps to levels, e.g. 'level 2 from 40 %'."""
        if self.item.answer_type != AnswerType.NUMBER:
            return []
        if self.item.higher_is_better:
            template = _("level %(level)d at %(value)s %(unit)s or more")
        else:
            template = _("level %(level)d at %(value)s %(unit)s or less")
        return [
            template
            % {"level": i + 1, "value": format_number(b), "unit": unit_for(self.item.unit, b)}
            for i, b in enumerate(self.item.bands)
        ]

    def is_flagged(self) -> bool:
        return self.is_bound and (bool(self.errors) or self.in_conflict)

    @property
    def in_conflict(self) -> bool:
        """Whether the page shows a conflict: the outcome of the save, else what was posted."""
        if self.conflict_state is not None:
            return self.conflict_state
        if not self.is_bound:
            return False
        return forms.BooleanField().to_python(self.data.get(self.add_prefix("conflict")))

    def param_names(self) -> str:
        """The POST names of this item, for htmx to send only them (hx-params)."""
        return ",".join(self.add_prefix(name) for name in self.fields)

    def rebound_for_conflict(self, theirs: Answer | None) -> "AnswerForm":
        """The user's input, now based on the colleague's version, marked as a conflict."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(theirs.version if theirs else 0)
        data[self.add_prefix("loaded")] = AnswerValues.of(theirs).fingerprint()
        data[self.add_prefix("conflict")] = "True"
        data[self.add_prefix("flagged")] = "True"
        data.pop(self.add_prefix("resolve"), None)
        form = AnswerForm(data, item=self.item, answer=theirs)
        form.conflict_state = True
        return form
