"""The read-only open-data API, version 1 (django-ninja; the OpenAPI 3 schema is generated
from these schemas, so the field names and their descriptions are documented where defined).

Field names are part of the contract: add fields, never rename or remove them within v1.
"""

from __future__ import annotations

from dataclasses import asdict
from enum import StrEnum
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError

from portal.opendata import feedback_figures, figures
from portal.opendata.disclosure import MINIMUM_AUTHORITIES
from portal.opendata.http import LICENSE

SUPPRESSED = (
    f"True when the figures are withheld: the group has fewer than "
    f"{MINIMUM_AUTHORITIES} authorities, or it is withheld so that a smaller group "
    f"cannot be worked out from the published ones. Every figure is then null."
)

api = NinjaAPI(
    title="Security in Public Spaces: the field in figures",
    version="1",
    description=(
        "Anonymised aggregates of the approved self-assessments of European urban "
        "authorities, and statistics of the public feedback rounds. Read-only, open to any "
        f"origin, rate-limited per address. Every figure rests on at least "
        f"{MINIMUM_AUTHORITIES} authorities. Licence: CC BY 4.0 "
        "(https://creativecommons.org/licenses/by/4.0/)."
    ),
    urls_namespace="opendata-api",
    docs_url=None,
    openapi_url=None,  # served by `schema_view`, with the open-data headers
)


class License(Schema):
    id: str = Field(..., description="SPDX identifier of the licence: CC-BY-4.0.")
    title: str
    url: str
    attribution: str = Field(..., description="How to credit the source.")


class Error(Schema):
    detail: str


class ValidationError(Schema):
    detail: list[dict]


class Page(Schema):
    count: int = Field(..., description="Number of results over all pages.")
    page: int
    page_size: int
    next: str | None = Field(None, description="Path of the next page, null on the last.")
    previous: str | None = None
    license: License


class DatasetOut(Schema):
    cycle: int = Field(..., description="Assessment cycle (calendar year).")
    questionnaire_version: str
    aggregates: str = Field(..., description="Path of this dataset's aggregates.")
    items: str = Field(..., description="Path of this dataset's per-item shares.")


class DatasetPage(Page):
    results: list[DatasetOut]


class BandCounts(Schema):
    initial: int
    developing: int
    established: int
    advanced: int


class ScoreSummary(Schema):
    measure: Literal[figures.MEASURES] = Field(  # type: ignore[valid-type]
        ..., description="'overall' (the overall index) or 'action_1' to 'action_6'."
    )
    suppressed: bool = Field(..., description=SUPPRESSED)
    n: int | None = Field(None, description="Authorities with this score in the group.")
    mean: float | None = Field(None, description="Mean score (0-100), one decimal.")
    q1: float | None = Field(None, description="First quartile (inclusive method).")
    median: float | None = None
    q3: float | None = Field(None, description="Third quartile (inclusive method).")
    bands: BandCounts | None = Field(None, description="Authorities per maturity band.")


class GroupOut(Schema):
    group: Literal["all", "country", "population_band"]
    value: str = Field(
        ...,
        description="'' for all authorities, an ISO 3166-1 alpha-2 "
        "country code, or a population band code.",
    )
    suppressed: bool = Field(..., description=SUPPRESSED)
    authorities: int | None = Field(None, description="Approved authorities in the group.")
    scores: list[ScoreSummary]


class ChangeOut(Schema):
    measure: str
    suppressed: bool = Field(..., description=SUPPRESSED)
    n: int | None = Field(None, description="Authorities approved in both cycles.")
    mean_change: float | None = Field(None, description="Mean of (this cycle - previous).")
    median_change: float | None = None


class AggregatesOut(Schema):
    cycle: int
    questionnaire_version: str
    minimum_authorities: int = Field(..., description="No figure rests on fewer.")
    population_bands: dict[str, str] = Field(..., description="Band code -> population range.")
    groups: list[GroupOut]
    previous_cycle: int | None = Field(None, description="The cycle the changes compare with.")
    changes: list[ChangeOut]
    license: License


class LevelShare(Schema):
    level: int = Field(
        ...,
        description="Points 0-4 (a maturity level; yes = 4, no = 0; a "
        "number through its four thresholds).",
    )
    authorities: int
    share: float = Field(..., description="Percentage of the item's answers, one decimal.")


class ItemOut(Schema):
    code: str = Field(..., description="Item code in the questionnaire version, e.g. A3.2.")
    action: int
    suppressed: bool = Field(
        ...,
        description=f"True when fewer than {MINIMUM_AUTHORITIES} "
        "approved authorities answered the item.",
    )
    n: int | None = Field(None, description="Authorities that answered (N/A included).")
    levels: list[LevelShare] | None = None
    not_applicable: int | None = None
    not_applicable_share: float | None = None


class ItemPage(Page):
    cycle: int
    questionnaire_version: str
    results: list[ItemOut]


class ActionFeedbackOut(Schema):
    action: int
    received: int = Field(..., description="Comments received, whatever became of them.")
    published: int
    pending: int = Field(..., description="Awaiting moderation.")
    hidden: int
    rejected: int
    responded: int = Field(..., description="Comments with an official response.")
    outcome: str = Field(..., description="What changed after the feedback ('' until written).")


class RoundOut(Schema):
    slug: str
    title: str
    opens_at: str = Field(..., description="ISO 8601.")
    closes_at: str
    is_open: bool
    actions: list[ActionFeedbackOut]


class RoundPage(Page):
    results: list[RoundOut]


class GroupFilter(StrEnum):
    all = "all"
    country = "country"
    population_band = "population_band"


PageNumber = Query(
    1, ge=1, le=100_000, description="Page number, from 1; a page past the last is a 404."
)
PageSize = Query(20, ge=1, le=100, description="Results per page (at most 100).")
CyclePath = Path(..., ge=1, le=9999, description="Assessment cycle (year).", examples=[2026])
VersionPath = Path(..., max_length=20, description="Questionnaire version.", examples=["2024.1"])
GroupQuery = Query(None, description="Only this kind of group.")
ActionQuery = Query(None, ge=1, le=6, description="Only the items of this Action.")
ERRORS = {404: Error, 422: ValidationError, 429: Error}


def _page(request: HttpRequest, results: list, page: int, page_size: int) -> dict:
    """One page of `results`; a page past the last is a 404 (never a copy of the last page,
    which would give every made-up page number its own cached answer)."""
    last_page = max(1, -(-len(results) // page_size))
    if page > last_page:
        raise HttpError(404, f"There is no page {page}: the last page is {last_page}.")
    start = (page - 1) * page_size
    query = request.GET.copy()

    def link(number: int) -> str:
        query["page"] = str(number)
        query["page_size"] = str(page_size)
        return f"{request.path}?{query.urlencode()}"

    return {
        "count": len(results),
        "page": page,
        "page_size": page_size,
        "next": link(page + 1) if start + page_size < len(results) else None,
        "previous": link(page - 1) if page > 1 else None,
        "results": results[start : start + page_size],
        "license": LICENSE,
    }


def _dataset(cycle: int, version: str) -> figures.Dataset:
    dataset = figures.find_dataset(cycle, version)
    if dataset is None:
        raise HttpError(404, "No approved assessments for this cycle and questionnaire version.")
    return dataset


@api.get(
    "/datasets",
    response={200: DatasetPage, **ERRORS},
    operation_id="list_datasets",
    summary="Cycles and questionnaire versions with published aggregates",
)
def list_datasets(request, page: int = PageNumber, page_size: int = PageSize):
    results = [
        {
            "cycle": d.cycle,
            "questionnaire_version": d.questionnaire_version,
            "aggregates": reverse(
                "opendata-api:aggregates", args=[d.cycle, d.questionnaire_version]
            ),
            "items": reverse("opendata-api:items", args=[d.cycle, d.questionnaire_version]),
        }
        for d in figures.datasets()
    ]
    return _page(request, results, page, page_size)


def summary_dict(summary: figures.Summary) -> dict:
    return {
        "measure": summary.measure,
        "suppressed": summary.suppressed,
        "n": summary.n,
        "mean": summary.mean,
        "q1": summary.q1,
        "median": summary.median,
        "q3": summary.q3,
        "bands": dict(summary.bands) if summary.bands else None,
    }


def _band_labels() -> dict[str, str]:
    """In English whatever the request's language: responses are shared by every reader."""
    from partnership.models import PopulationBand

    with translation.override("en"):
        return {b.value: str(b.label) for b in PopulationBand}


def aggregates_dict(field: figures.FieldFigures, group: str | None = None) -> dict:
    return {
        "cycle": field.cycle,
        "questionnaire_version": field.questionnaire_version,
        "minimum_authorities": MINIMUM_AUTHORITIES,
        "population_bands": _band_labels(),
        "groups": [
            {
                "group": g.group,
                "value": g.value,
                "suppressed": g.suppressed,
                "authorities": g.authorities,
                "scores": [summary_dict(s) for s in g.summaries],
            }
            for g in field.groups
            if group is None or g.group == group
        ],
        "previous_cycle": field.previous_cycle,
        "changes": [
            {
                "measure": c.measure,
                "suppressed": c.suppressed,
                "n": c.n,
                "mean_change": c.mean_change,
                "median_change": c.median_change,
            }
            for c in field.changes
        ],
        "license": LICENSE,
    }


@api.get(
    "/datasets/{cycle}/{version}/aggregates",
    response={200: AggregatesOut, **ERRORS},
    url_name="aggregates",
    operation_id="get_aggregates",
    summary="Scores per Action and overall: all authorities, by population band, by "
    "country; and the change since the previous cycle",
)
def get_aggregates(
    request,
    cycle: int = CyclePath,
    version: str = VersionPath,
    group: GroupFilter | None = GroupQuery,
):
    field = figures.figures_for(_dataset(cycle, version))
    return aggregates_dict(field, group.value if group else None)


def item_dict(item: figures.ItemShares) -> dict:
    levels = None
    if item.levels is not None:
        levels = [
            {"level": level, "authorities": item.levels[level], "share": item.share(level)}
            for level in figures.LEVELS
        ]
    return {
        "code": item.code,
        "action": item.action,
        "suppressed": item.suppressed,
        "n": item.n,
        "levels": levels,
        "not_applicable": item.not_applicable,
        "not_applicable_share": item.not_applicable_share,
    }


@api.get(
    "/datasets/{cycle}/{version}/items",
    response={200: ItemPage, **ERRORS},
    url_name="items",
    operation_id="list_item_shares",
    summary="Per questionnaire item, the share of authorities at each level",
)
def list_item_shares(
    request,
    cycle: int = CyclePath,
    version: str = VersionPath,
    action: int | None = ActionQuery,
    page: int = PageNumber,
    page_size: int = PageSize,
):
    dataset = _dataset(cycle, version)
    items = [
        item_dict(i) for i in figures.item_shares(dataset) if action is None or i.action == action
    ]
    return {
        **_page(request, items, page, page_size),
        "cycle": dataset.cycle,
        "questionnaire_version": dataset.questionnaire_version,
    }


def round_dict(feedback_round: feedback_figures.RoundFeedback) -> dict:
    return {
        "slug": feedback_round.slug,
        "title": feedback_round.title,
        "opens_at": feedback_round.opens_at,
        "closes_at": feedback_round.closes_at,
        "is_open": feedback_round.is_open,
        "actions": [asdict(a) for a in feedback_round.actions],
    }


@api.get(
    "/feedback/rounds",
    response={200: RoundPage, **ERRORS},
    operation_id="list_rounds",
    summary="Public feedback rounds: comments per Action and what changed",
)
def list_rounds(request, page: int = PageNumber, page_size: int = PageSize):
    rounds = [round_dict(r) for r in feedback_figures.feedback_rounds()]
    return _page(request, rounds, page, page_size)
