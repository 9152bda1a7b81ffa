"""Answers, levels, numbers, bands and anchors in words: the one place every page takes them from.

The section page, the review page, the results page and the PDF all read an answer through
these functions, so a figure reads "3 years" everywhere (never "3.00 years").
"""

from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _

from assessment import scoring
from assessment.models import Answer, AnswerType, Item
from portal.content import read_yaml

UNITS_FILE = Path(__file__).resolve().parent / "questionnaires" / "units.yaml"

LEVEL_NAMES = {
    0: _("Not in place"),
    1: _("Ad hoc"),
    2: _("Defined"),
    3: _("Implemented and monitored"),
    4: _("Evaluated and improved"),
}

BAND_LABELS = {
    scoring.Band.INITIAL: _("Initial"),
    scoring.Band.DEVELOPING: _("Developing"),
    scoring.Band.ESTABLISHED: _("Established"),
    scoring.Band.ADVANCED: _("Advanced"),
}

Rows = list[tuple[str, str, bool]]


def format_number(value: Decimal | float | str | None) -> str:
    """`100.00` -> `100`, `12.50` -> `12.5`: how people write numbers."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@cache
def unit_forms() -> dict[str, dict[str, dict[str, str]]]:
    """units.yaml: unit -> language -> {"one": ..., "other": ...} (Polish: also "few", "many")."""
    return read_yaml(UNITS_FILE) or {}


def plural_category(language: str, value: Decimal | float) -> str:
    """CLDR's plural category of a number for the languages units.yaml knows. English,
    Spanish, Italian and Dutch say "one" only for exactly 1; French for every number below 2
    (integer part 0 or 1); Polish has "one" (1), "few" (2-4, 22-24, ... not 12-14), "many"
    (0, 5-21, 25-31, ...) for whole numbers and "other" for fractions."""
    if language == "fr":
        return "one" if 0 <= value < 2 else "other"
    if language == "pl":
        if value != int(value):
            return "other"
        whole = abs(int(value))
        if whole == 1:
            return "one"
        if whole % 10 in (2, 3, 4) and whole % 100 not in (12, 13, 14):
            return "few"
        return "many"
    return "one" if value == 1 else "other"


def unit_for(unit: str, value: Decimal | float) -> str:
    """The unit as it reads after `value` in the active language ("year" after 1); the
    English forms where units.yaml has none for the language, the unit itself if unlisted."""
    forms = unit_forms().get(unit)
    if not forms:
        return unit
    language = (get_language() or "en").split("-")[0]
    if language not in forms:
        language = "en"
    return forms.get(language, {}).get(plural_category(language, value), unit)


def figure(item: Item, value: Decimal | float | str) -> str:
    """A number with the item's unit, agreeing with it: "1 year", "3 years"."""
    number = Decimal(str(value))
    return f"{format_number(number)} {unit_for(item.unit, number)}".strip()


def band_label(band: scoring.Band | None) -> str:
    return str(BAND_LABELS[band]) if band is not None else str(_("no score"))


def band_ladder() -> list[tuple[scoring.BandRange, str]]:
    """The scoring engine's bands with their labels, for the legends that explain them."""
    return [(rung, band_label(rung.band)) for rung in scoring.band_ladder()]


def code_prefix(code: str) -> str:
    """Form prefix and HTML id stem of an item: its code without dots (`A1.2` -> `A1_2`)."""
    return code.replace(".", "_")


def item_prefix(item: Item) -> str:
    return code_prefix(item.code)


def item_anchor(item: Item) -> str:
    """The HTML id of an item's card, the same on the section and the review page."""
    return "item-" + item_prefix(item)


def level_descriptor(item: Item, answer: Answer | None) -> str:
    """The questionnaire's words for the chosen maturity level, in the active language ("" when
    there are none)."""
    if answer is None or answer.level is None or item.answer_type != AnswerType.MATURITY:
        return ""
    levels = [str(text) for text in item.tr.levels]
    return levels[answer.level] if 0 <= answer.level < len(levels) else ""


def answer_text(item: Item, answer: Answer | None) -> str:
    """The answer in one line, for the results page and the PDF: "Level 3 of 4: ..."."""
    if answer is None or not answer.is_complete:
        return str(_("Not answered"))
    if answer.not_applicable:
        return str(_("Not applicable"))
    if item.answer_type == AnswerType.MATURITY and answer.level is not None:
        text = str(_("Level %(level)d of 4") % {"level": answer.level})
        descriptor = level_descriptor(item, answer)
        return f"{text}: {descriptor}" if descriptor else text
    if item.answer_type == AnswerType.YES_NO and answer.yes is not None:
        return str(_("Yes")) if answer.yes else str(_("No"))
    if answer.number is not None:
        return figure(item, answer.number)
    return str(_("Not answered"))


def review_value(item: Item, values: dict | None) -> str:
    """An answer as a coordinator reads it: "Level 3", "Yes", "12 km", "Not applicable".

    `values` is a stored answer snapshot (`workflow.answer_fields`).
    """
    if not values:
        return str(_("Not answered"))
    if values.get("not_applicable"):
        reason = values.get("na_reason") or ""
        if reason:
            return str(_("Not applicable: %(reason)s") % {"reason": reason})
        return str(_("Not applicable"))
    if item.answer_type == AnswerType.MATURITY and values.get("level") is not None:
        return str(_("Level %(level)s") % {"level": values["level"]})
    if item.answer_type == AnswerType.YES_NO and values.get("yes") is not None:
        return str(_("Yes") if values["yes"] else _("No"))
    if item.answer_type == AnswerType.NUMBER and values.get("number") is not None:
        return figure(item, values["number"])
    return str(_("Not answered"))


def answer_label() -> str:
    """ "Answer" as a noun (the answer given), not the verb of the overview's links."""
    return pgettext("noun: the answer given to a question", "Answer")


def answer_rows(item: Item, values) -> Rows:
    """An answer (`AnswerValues`) as (label, value, is_link) rows: read-only cards, conflicts."""
    rows: Rows = []
    if values.not_applicable:
        rows.append((answer_label(), str(_("Does not apply")), False))
        rows.append((str(_("Reason")), values.na_reason, False))
    elif values.level is not None:
        name = LEVEL_NAMES.get(values.level, "")
        rows.append((str(_("Level")), f"{values.level} · {name}", False))
    elif values.yes is not None:
        rows.append((answer_label(), str(_("Yes") if values.yes else _("No")), False))
    elif values.number is not None:
        rows.append((str(_("Figure")), figure(item, values.number), False))
    else:
        rows.append((answer_label(), str(_("Not answered")), False))
    if values.evidence_note:
        rows.append((str(_("Evidence note")), values.evidence_note, False))
    if values.evidence_url:
        rows.append((str(_("Evidence link")), values.evidence_url, True))
    return rows
