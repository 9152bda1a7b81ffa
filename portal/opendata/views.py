"""The open-data endpoints outside the API: the public page, the CSV files, DCAT-AP, schema."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from assessment import approval_generation
from assessment.scoring import Band
from assessment.wording import BAND_LABELS
from partnership.countries import country_name
from partnership.models import PopulationBand
from portal.opendata import charts, dcat, feedback_figures, figures
from portal.opendata.api import api
from portal.opendata.disclosure import MINIMUM_AUTHORITIES
from portal.opendata.downloads import DOWNLOADS, open_data_csv
from portal.opendata.http import LICENSE, json_response, open_data

PAGE_CACHE_TIMEOUT = 60 * 60


class DatasetForm(forms.Form):
    """Which cycle and questionnaire version the page shows (from the query string)."""

    dataset = forms.ChoiceField(label=_("Cycle and questionnaire version"), required=False)

    def __init__(self, *args, datasets: tuple[figures.Dataset, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.datasets = {f"{d.cycle}:{d.questionnaire_version}": d for d in datasets}
        choice: forms.ChoiceField = self.fields["dataset"]  # type: ignore[assignment]
        choice.choices = [
            (
                key,
                _("%(cycle)s (questionnaire %(version)s)")
                % {"cycle": d.cycle, "version": d.questionnaire_version},
            )
            for key, d in self.datasets.items()
        ]
        self.fields["dataset"].widget.attrs["class"] = "form-select"

    def chosen(self) -> figures.Dataset | None:
        key = self.cleaned_data.get("dataset") if self.is_valid() else None
        return self.datasets.get(key or "") or next(iter(self.datasets.values()), None)


def measure_label(measure: str, titles: dict[int, str]) -> str:
    if measure == figures.OVERALL:
        return str(_("Overall index"))
    number = int(measure.removeprefix("action_"))
    return str(
        _("Action %(number)d: %(title)s") % {"number": number, "title": titles.get(number, "")}
    )


def _group_label(group: figures.GroupFigures) -> str:
    if group.group == figures.POPULATION_BAND:
        return str(PopulationBand(group.value).label)
    if group.group == figures.COUNTRY:
        return country_name(group.value)
    return str(_("All authorities"))


def figures_context(field: figures.FieldFigures) -> dict:
    titles = {a.number: str(a.tr.short_title) for a in Action.objects.order_by("number")}
    measures = [(m, measure_label(m, titles)) for m in figures.MEASURES]
    overall = field.overall
    chart = charts.distribution_chart([(label, overall.summary(m)) for m, label in measures])
    breakdowns = [
        (
            _("By population band"),
            "bands",
            [(_group_label(g), g) for g in field.of(figures.POPULATION_BAND)],
        ),
        (_("By country"), "countries", [(_group_label(g), g) for g in field.of(figures.COUNTRY)]),
    ]
    return {
        "field": field,
        "measures": measures,
        "chart": chart,
        "overall_rows": [(label, overall.summary(m)) for m, label in measures],
        "band_labels": [str(BAND_LABELS[Band(b)]) for b in figures.BANDS],
        "breakdowns": breakdowns,
        "changes": [(label, c) for (m, label), c in zip(measures, field.changes, strict=False)],
        "minimum": MINIMUM_AUTHORITIES,
    }


def _cached_html(key: str, render, timeout: int) -> str:
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout=timeout)
    return html


def page(request):
    """The public page "The field in figures": no login, cached in the shared cache."""
    form = DatasetForm(request.GET or None, datasets=figures.datasets())
    dataset = form.chosen()
    language = get_language()
    figures_html = ""
    if dataset is not None:
        key = (
            f"opendata:{approval_generation.current()}:page:{dataset.cycle}:"
            f"{dataset.questionnaire_version}:{language}"
        )
        figures_html = _cached_html(
            key,
            lambda: render_to_string(
                "opendata/_figures.html", figures_context(figures.figures_for(dataset))
            ),
            PAGE_CACHE_TIMEOUT,
        )
    feedback_html = _cached_html(
        f"opendata:page-feedback:{language}",
        lambda: render_to_string(
            "opendata/_feedback.html", {"rounds": feedback_figures.feedback_rounds()}
        ),
        feedback_figures.CACHE_TIMEOUT,
    )
    return render(
        request,
        "opendata/field_in_figures.html",
        {
            "form": form,
            "dataset": dataset,
            "figures_html": figures_html,
            "feedback_html": feedback_html,
            "license": LICENSE,
            "minimum": MINIMUM_AUTHORITIES,
            "downloads": [(name, reverse("opendata:download", args=[name])) for name in DOWNLOADS],
            "datasets_url": reverse("opendata-api:list_datasets"),
            "example_url": (
                reverse(
                    "opendata-api:aggregates", args=[dataset.cycle, dataset.questionnaire_version]
                )
                if dataset
                else None
            ),
            "base_url": settings.PORTAL_BASE_URL.rstrip("/"),
        },
    )


@open_data
def download(request, name: str):
    if name not in DOWNLOADS:
        raise Http404
    header, rows = DOWNLOADS[name]
    return open_data_csv(f"sps-open-data-{name}.csv", header, rows())


@open_data
def dcat_catalogue(request):
    response = json_response(dcat.catalogue())
    response["Content-Type"] = "application/ld+json"
    return response


@open_data
def openapi_schema(request):
    return json_response(api.get_openapi_schema(path_prefix=reverse("opendata:api_root")))
