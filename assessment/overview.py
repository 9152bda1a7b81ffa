"""The field at a glance, for coordinators: every assessment, filtered, sorted and summarised.

Each query lives in a named function with a fixed number of queries whatever the number of
assessments (tests/assessment/test_overview.py proves it at two sizes). Scores come from the
scorecards frozen on the assessment (at approval, else at the last submission), never from
re-scoring live answers, so a page of 1,000 cities costs one query, not 1,000.
"""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from assessment import scoring
from assessment.benchmark import quartiles
from assessment.models import Assessment
from assessment.scores import FrozenScores, scores_of_record
from assessment.wording import BAND_LABELS
from partnership.countries import country_choices
from partnership.models import PopulationBand, UrbanAuthority

Status = Assessment.Status
PER_PAGE = 25
HEATMAP_PER_PAGE = 100

# Sort key -> (label, order_by). Every ordering ends on a unique column so pages are stable.
SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "authority": (_("Authority, A to Z"), ("authority__name", "-cycle", "pk")),
    "-authority": (_("Authority, Z to A"), ("-authority__name", "-cycle", "pk")),
    "country": (_("Country"), ("authority__country", "authority__name", "-cycle", "pk")),
    "-population": (
        _("Population, largest first"),
        ("-authority__population", "authority__name", "-cycle", "pk"),
    ),
    "population": (
        _("Population, smallest first"),
        ("authority__population", "authority__name", "-cycle", "pk"),
    ),
    "-cycle": (_("Cycle, newest first"), ("-cycle", "authority__name", "pk")),
    "status": (_("Status"), ("status", "authority__name", "-cycle", "pk")),
    "-submitted": (_("Last submitted first"), ("-submitted_at", "authority__name", "-cycle", "pk")),
    "-updated": (_("Last changed first"), ("-updated_at", "pk")),
}
DEFAULT_SORT = "authority"


@dataclass(frozen=True)
class FieldFilters:
    """What the coordinator asked to see; None means "any"."""

    status: str | None = None
    cycle: int | None = None
    country: str | None = None
    band: str | None = None
    partner: bool | None = None
    sort: str = DEFAULT_SORT


class FieldFilterForm(forms.Form):
    """The filters of the dashboard, heatmap and exports, read from the query string.

    Invalid values are reported next to their field and ignored; the valid ones still apply.
    """

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )
    cycle = forms.TypedChoiceField(label=_("Cycle"), required=False, coerce=int, empty_value=None)
    country = forms.ChoiceField(label=_("Country"), required=False)
    band = forms.ChoiceField(
        label=_("Population band"),
        required=False,
        choices=[("", _("Any size")), *PopulationBand.choices],
    )
    partner = forms.ChoiceField(
        label=_("Partner of the partnership"),
        required=False,
        choices=[
            ("", _("Partners and others")),
            ("yes", _("Partners only")),
            ("no", _("Not partners")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
    )

    def __init__(self, *args, cycles: Iterable[int], any_cycle: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        cycle_choices = [(c, str(c)) for c in cycles]
        if any_cycle:
            cycle_choices.insert(0, ("", _("Any cycle")))
        self.fields["cycle"].choices = cycle_choices
        self.fields["country"].choices = [("", _("Any country")), *country_choices()]
        for bound in self.fields.values():
            bound.widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> FieldFilters:
        """The valid filters (call after is_valid(); invalid fields count as "any")."""
        data = getattr(self, "cleaned_data", {})
        partner = {"yes": True, "no": False}.get(data.get("partner") or "")
        return FieldFilters(
            status=data.get("status") or None,
            cycle=data.get("cycle"),
            country=data.get("country") or None,
            band=data.get("band") or None,
            partner=partner,
            sort=data.get("sort") or DEFAULT_SORT,
        )


def filter_form(query, *, any_cycle: bool = True) -> FieldFilterForm:
    """A bound, validated filter form for a request's GET parameters (one query: cycles)."""
    form = FieldFilterForm(query, cycles=available_cycles(), any_cycle=any_cycle)
    form.is_valid()
    return form


def heatmap_filters(query) -> tuple[FieldFilterForm, FieldFilters, list[int]]:
    """The heatmap's form, filters and cycles: always one cycle, the latest unless chosen."""
    cycles = available_cycles()
    query = query.copy()
    if not query.get("cycle") and cycles:
        query["cycle"] = str(cycles[0])
    form = FieldFilterForm(query, cycles=cycles, any_cycle=False)
    form.is_valid()
    filters = form.filters()
    if filters.cycle is None and cycles:  # an invalid cycle was asked for: the form says so
        filters = dataclasses.replace(filters, cycle=cycles[0])
    return form, filters, cycles


def available_cycles() -> list[int]:
    """The cycles that have at least one assessment, newest first."""
    return list(Assessment.objects.order_by("-cycle").values_list("cycle", flat=True).distinct())


def filtered_assessments(
    *, filters: FieldFilters, with_status: bool = True
) -> QuerySet[Assessment]:
    """Assessments matching the filters, with their authority and questionnaire, sorted.

    `with_status=False` ignores the status filter (for the counts per status).
    """
    queryset = Assessment.objects.select_related("authority", "questionnaire")
    if with_status and filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.cycle is not None:
        queryset = queryset.filter(cycle=filters.cycle)
    if filters.country:
        queryset = queryset.filter(authority__country=filters.country)
    if filters.band:
        queryset = queryset.filter(
            authority__in=UrbanAuthority.objects.in_population_band(filters.band)
        )
    if filters.partner is not None:
        queryset = queryset.filter(authority__is_partner=filters.partner)
    return queryset.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT])[1])


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def status_counts(*, filters: FieldFilters) -> list[StatusCount]:
    """How many assessments are in each status under the other filters (one query)."""
    queryset = filtered_assessments(filters=filters, with_status=False).order_by()
    totals = queryset.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values}
    )
    return [StatusCount(status, str(label), totals[status]) for status, label in Status.choices]


@dataclass(frozen=True)
class DashboardRow:
    assessment: Assessment
    overall: "Cell"


@dataclass(frozen=True)
class Dashboard:
    page: Page
    rows: list[DashboardRow]


def dashboard_page(
    *, filters: FieldFilters, page: str | int | None, per_page: int = PER_PAGE
) -> Dashboard:
    """One page of the dashboard with each row's overall score (two queries: count, rows)."""
    current = Paginator(filtered_assessments(filters=filters), per_page).get_page(page)
    rows = [DashboardRow(a, cells_for(scores_of_record(a))[0]) for a in current]
    return Dashboard(page=current, rows=rows)


@dataclass(frozen=True)
class Cell:
    """One score with its band, readable as text (label) and as colour (css_class)."""

    score: float | None
    band: str | None

    @property
    def band_label(self) -> str:
        return str(BAND_LABELS[scoring.Band(self.band)]) if self.band else ""

    @property
    def css_class(self) -> str:
        return f"heat-{self.band}" if self.band else "heat-none"

    @property
    def label(self) -> str:
        if self.score is None:
            return str(_("no score"))
        return f"{self.score:.1f} {self.band_label}"


NO_SCORE = Cell(None, None)


def _cell(score: float | None, band: scoring.Band | None) -> Cell:
    return Cell(score, band.value if band else None)


def cells_for(scores: FrozenScores | None) -> tuple[Cell, list[Cell]]:
    """(overall, one cell per Action 1-6) from an assessment's scores of record."""
    if scores is None:
        return NO_SCORE, [NO_SCORE for _ in scoring.ACTIONS]
    cells = [_cell(a.score, a.band) for a in scores.actions]
    return _cell(scores.overall, scores.overall_band), cells


@dataclass(frozen=True)
class HeatmapRow:
    assessment: Assessment
    overall: Cell
    cells: list[Cell]


@dataclass(frozen=True)
class Heatmap:
    cycle: int | None
    actions: list[Action]
    page: Page
    rows: list[HeatmapRow]


def heatmap(
    *, filters: FieldFilters, page: str | int | None = None, per_page: int = HEATMAP_PER_PAGE
) -> Heatmap:
    """Cities x Actions for one cycle: the band of each frozen score (three queries).

    Only assessments that have been submitted at least once have scores, so drafts are left
    out; the status column says whether a row is approved or still under review.
    """
    queryset = (
        filtered_assessments(filters=filters)
        .exclude(status=Status.DRAFT)
        .only(
            "pk",
            "cycle",
            "status",
            "approved_scores",
            "submitted_scores",
            "authority__name",
            "authority__country",
            "authority__population",
            "authority__is_partner",
            "questionnaire__version",
        )
    )
    current_page = Paginator(queryset, per_page).get_page(page)
    rows = []
    for assessment in current_page:
        overall, cells = cells_for(scores_of_record(assessment))
        rows.append(HeatmapRow(assessment, overall, cells))
    return Heatmap(
        cycle=filters.cycle,
        actions=list(Action.objects.order_by("number")),
        page=current_page,
        rows=rows,
    )


@dataclass(frozen=True)
class ActionStatistics:
    """Quartiles of one Action's approved scores in a cycle, and the median's change."""

    action: int
    count: int
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    previous_count: int = 0
    previous_median: float | None = None

    @property
    def change(self) -> float | None:
        if self.median is None or self.previous_median is None:
            return None
        return self.median - self.previous_median


@dataclass(frozen=True)
class FieldStatistics:
    cycle: int | None
    previous_cycle: int | None
    actions: list[ActionStatistics] = field(default_factory=list)


def previous_cycle(cycle: int, cycles: Iterable[int]) -> int | None:
    earlier = [c for c in cycles if c < cycle]
    return max(earlier) if earlier else None


def action_statistics(
    *, filters: FieldFilters, cycles: Iterable[int] | None = None
) -> FieldStatistics:
    """Per Action: median and quartiles across approved assessments of the cycle (under the
    other filters), and the change of the median since the previous cycle (one query).

    The status filter is ignored: only approved assessments count, as for the benchmarks.
    """
    if filters.cycle is None:
        return FieldStatistics(cycle=None, previous_cycle=None)
    cycles = list(cycles) if cycles is not None else available_cycles()
    previous = previous_cycle(filters.cycle, cycles)
    wanted = [filters.cycle] if previous is None else [filters.cycle, previous]
    base = filtered_assessments(
        filters=FieldFilters(country=filters.country, band=filters.band, partner=filters.partner),
        with_status=False,
    )
    rows = (
        base.filter(status=Status.APPROVED, cycle__in=wanted)
        .order_by()
        .values_list("cycle", "approved_scores")
    )
    values: dict[tuple[int, int], list[float]] = {}
    for cycle, frozen in rows.iterator(chunk_size=2000):
        for number, score in FrozenScores.from_dict(frozen).action_scores().items():
            if score is not None:
                values.setdefault((cycle, number), []).append(score)
    stats = []
    for number in scoring.ACTIONS:
        current = values.get((filters.cycle, number), [])
        before = values.get((previous, number), []) if previous is not None else []
        q1 = median = q3 = None
        if current:
            q1, median, q3 = quartiles(current)
        previous_median = quartiles(before)[1] if before else None
        stats.append(
            ActionStatistics(number, len(current), q1, median, q3, len(before), previous_median)
        )
    return FieldStatistics(cycle=filters.cycle, previous_cycle=previous, actions=stats)
