"""How far an assessment is: answered items per section, and what blocks submission."""

from dataclasses import dataclass

from django.utils.translation import ngettext

from assessment.models import Answer, Assessment, Item, Section


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    total: int
    complete: int
    missing_codes: tuple[str, ...]

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.total) if self.total else 100

    @property
    def is_complete(self) -> bool:
        return not self.missing_codes

    def missing_message(self) -> str:
        count = len(self.missing_codes)
        return ngettext(
            "%(count)d required question in Action %(action)d is unanswered.",
            "%(count)d required questions in Action %(action)d are unanswered.",
            count,
        ) % {"count": count, "action": self.section.action.number}


@dataclass(frozen=True)
class Progress:
    sections: tuple[SectionProgress, ...]

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections)

    @property
    def complete(self) -> int:
        return sum(s.complete for s in self.sections)

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.total) if self.total else 100

    @property
    def incomplete_sections(self) -> list[SectionProgress]:
        return [s for s in self.sections if not s.is_complete]


def progress_for(assessment: Assessment, answers=None) -> Progress:
    """Three queries whatever the size: sections, items, answers (unless answers are given)."""
    sections = list(
        Section.objects.filter(questionnaire_id=assessment.questionnaire_id).select_related(
            "action", "questionnaire"
        )
    )
    items = (
        Item.objects.filter(questionnaire_id=assessment.questionnaire_id)
        .order_by("position")
        .only("pk", "code", "section_id", "required")
    )
    if answers is None:
        answers = Answer.objects.filter(assessment=assessment).only(
            "item_id", "level", "yes", "number", "not_applicable"
        )
    complete_ids = {a.item_id for a in answers if a.is_complete}
    by_section: dict[int, list[Item]] = {s.pk: [] for s in sections}
    for item in items:
        by_section[item.section_id].append(item)
    return Progress(
        tuple(
            SectionProgress(
                section=section,
                total=len(by_section[section.pk]),
                complete=sum(1 for i in by_section[section.pk] if i.pk in complete_ids),
                missing_codes=tuple(
                    i.code
                    for i in by_section[section.pk]
                    if i.required and i.pk not in complete_ids
                ),
            )
            for section in sections
        )
    )


def missing_for_submission(assessment: Assessment) -> list[str]:
    """Reasons the assessment cannot be submitted yet, one per incomplete section."""
    return [s.missing_message() for s in progress_for(assessment).incomplete_sections]
