"""What the section page shows per question: its form (or read-only answer) and comments."""

from dataclasses import dataclass

from assessment.answers.forms import AnswerForm
from assessment.answers.values import AnswerValues
from assessment.models import Answer, Item, ItemComment
from assessment.wording import answer_rows, item_prefix


@dataclass
class Card:
    """One question on the section page: its form (or read-only answer) and comments."""

    item: Item
    form: AnswerForm
    answer: Answer | None
    comments: list[ItemComment]
    editable: bool
    just_saved: bool = False

    @property
    def prefix(self) -> str:
        return item_prefix(self.item)

    @property
    def flagged(self) -> bool:
        return self.form.is_flagged()

    @property
    def stored(self) -> list[tuple[str, str, bool]]:
        return answer_rows(self.item, AnswerValues.of(self.answer))

    @property
    def mine(self) -> list[tuple[str, str, bool]]:
        return answer_rows(self.item, self.form.values()) if self.form.is_valid() else []

    @property
    def evidence_open(self) -> bool:
        form = self.form
        return bool(
            form["evidence_note"].value()
            or form["evidence_url"].value()
            or form["evidence_note"].errors
            or form["evidence_url"].errors
        )


def build_cards(
    *,
    items: list[Item],
    answers: dict[int, Answer],
    comments: dict[int, list[ItemComment]],
    forms: dict[int, AnswerForm],
    editable: bool,
) -> list[Card]:
    """Cards for `items`: the given (posted) forms where present, fresh ones from `answers`."""
    cards = []
    for item in items:
        answer = answers.get(item.pk)
        form = forms.get(item.pk)
        if form is None:
            form = AnswerForm(item=item, answer=answer)
        else:
            form.answer = answer
        cards.append(Card(item, form, answer, comments.get(item.pk, []), editable))
    return cards
