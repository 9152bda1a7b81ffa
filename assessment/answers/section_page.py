"""What a section page shows, and what an autosave sends back: built once per request.

The view checks access and renders; this module reads the answers, the progress and the
comments (a fixed number of queries) and turns them into cards.
"""

from dataclasses import dataclass

from assessment.answers.cards import Card, build_cards
from assessment.answers.progress import Progress, SectionProgress, progress_for
from assessment.answers.saving import Outcome, PostedAnswers
from assessment.models import Answer, Assessment, ItemComment


@dataclass(frozen=True)
class SectionPage:
    progress: Progress
    current: SectionProgress
    cards: list[Card]
    previous_section: SectionProgress | None
    next_section: SectionProgress | None

    @property
    def flagged(self) -> list[Card]:
        return [card for card in self.cards if card.flagged]


@dataclass(frozen=True)
class SavedItems:
    """An autosave's answer: cards re-rendered whole, and cards whose status alone changes."""

    progress: Progress
    current: SectionProgress | None
    whole: list[Card]
    light: list[Card]
    cards: list[Card]

    @property
    def flagged(self) -> list[Card]:
        return [card for card in self.cards if card.flagged]


def _answers(assessment: Assessment) -> list[Answer]:
    return list(Answer.objects.filter(assessment=assessment).select_related("updated_by"))


def _current(progress: Progress, action: int) -> SectionProgress | None:
    return next((s for s in progress.sections if s.section.action.number == action), None)


def section_page(
    *, assessment: Assessment, action: int, editable: bool, posted: PostedAnswers | None = None
) -> SectionPage | None:
    """The section of Action `action` (None if the questionnaire has none); `posted` re-shows
    the answers that need attention with the user's input."""
    answers = _answers(assessment)
    progress = progress_for(assessment, answers=answers)
    current = _current(progress, action)
    if current is None:
        return None
    cards = build_cards(
        items=list(current.section.items.select_related("questionnaire").order_by("position")),
        answers={a.item_id: a for a in answers},
        comments=ItemComment.objects.grouped_by_item(assessment),
        forms=posted.flagged if posted else {},
        editable=editable,
    )
    sections = list(progress.sections)
    index = sections.index(current)
    return SectionPage(
        progress=progress,
        current=current,
        cards=cards,
        previous_section=sections[index - 1] if index > 0 else None,
        next_section=sections[index + 1] if index + 1 < len(sections) else None,
    )


def saved_items(*, assessment: Assessment, action: int, posted: PostedAnswers) -> SavedItems:
    """The items of an autosave, split into what must be re-rendered and what need not.

    A card is re-rendered whole only when it shows (or showed) a message or another value;
    otherwise only its hidden version and status change, so nothing under the cursor moves.
    """
    answers = _answers(assessment)
    progress = progress_for(assessment, answers=answers)
    outcomes = {r.item.pk: r.outcome for r in posted.result.results}
    cards = build_cards(
        items=[form.item for form in posted.forms.values()],
        answers={a.item_id: a for a in answers},
        comments=ItemComment.objects.grouped_by_item(assessment),
        forms=posted.flagged,
        editable=True,
    )
    whole, light = [], []
    for card in cards:
        outcome = outcomes.get(card.item.pk)
        card.just_saved = outcome == Outcome.SAVED
        was_flagged = posted.forms[card.item.pk].data.get(f"{card.prefix}-flagged") == "True"
        if card.flagged or was_flagged or outcome in (Outcome.KEPT_THEIRS, Outcome.UNTOUCHED):
            whole.append(card)
        else:
            light.append(card)
    return SavedItems(
        progress=progress, current=_current(progress, action), whole=whole, light=light, cards=cards
    )
