"""The PDF benchmark report of one assessment: rendered offline by WeasyPrint, stored by content.

The figures come from `assessment.results` (the same `Results` and JSON as the results page) and
the charts from `assessment.charts`; this module adds the answers behind them (the appendix), the
Actions' objectives and interlinks, and turns it all into a tagged PDF/UA-1 document with the
results JSON attached; the first page after the cover is a summary in words
(`assessment.narrative`) and the back page carries a short content hash.

Rendering happens in task workers only (`assessment.tasks`), never in a web request, and the
PDF is stored once per content hash and language (`assessment.report_models.StoredReport`):

1. `fingerprint(...)`: a digest of the rows the report is built from (this authority's
   assessments, answers and improvement-plan targets up to this cycle), the peer-data generation of
   `assessment.benchmark` (bumped on every submit, return and approve), the authority's name,
   country and population, the language and `REPORT_VERSION`. A request compares it with the
   fingerprint its stored report was made for (`assessment.report_store`).
2. `content_hash(...)`: sha256 of the canonical results JSON, the status, the language and the
   appendix (evidence notes and links are printed, so they must change the hash). The stored
   PDF is keyed by it, and its first 12 characters are printed on the back page, so a printed
   copy can be matched with the data.

Any change to answers, status or peers changes the fingerprint, and the worker computes the
hash afresh; the same content reached another way (an answer saved again with its old value)
finds the PDF already stored. Action titles and objectives edited in the admin are not in the
fingerprint: they reach a stored report with its next change of data or peers.

Safety: WeasyPrint only ever sees `url_fetcher`, which serves the site's own static files and the
charts rendered for this report, and refuses every other URL (file://, http(s)://, data:), so
nothing from an answer can make the server read a file or call out. Answers reach the HTML
through Django's auto-escaping templates: HTML typed into an answer prints as text.
"""

import hashlib
import json
import logging
import mimetypes
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from actions.models import Action, ActionLink
from assessment import benchmark as benchmarks
from assessment import charts, narrative
from assessment.models import Answer, Assessment, Item
from assessment.questionnaire.translations import TranslationRevision, translation_revision
from assessment.results import Results, results_for, results_json
from assessment.wording import answer_text
from portal.content_translations import ShownText

logger = logging.getLogger(__name__)

# Bump when the template or the stylesheet changes what a report shows: old PDFs are not served.
REPORT_VERSION = "3"
RENDERED = "Rendered the PDF report %s (%s)"
SHORT_HASH_LENGTH = 12
STATIC_SCHEME = "report-static:"
CHART_SCHEME = "report-chart:"
STYLESHEET = "css/report.css"
STATIC_TYPES = {".css", ".svg", ".png"}
FINGERPRINT_TIMEOUT = benchmarks.PEER_TABLE_TIMEOUT
# WeasyPrint ignores `paint-order`, so the white halo of the radar's ring values would be
# painted over them: the PDF drops it (the web page keeps it).
RING_HALO = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"'


class RefusedURL(ValueError):
    """WeasyPrint asked for something that is not one of the site's static files."""


# --- What WeasyPrint may read -------------------------------------------------------------------


def url_fetcher(
    url: str,
    timeout: int = 10,
    ssl_context=None,
    http_headers=None,
    *,
    charts: Mapping[str, bytes] | None = None,
) -> dict:
    """Serve `report-static:<path>` from the staticfiles finders and `report-chart:<name>` from
    the charts drawn for this report; refuse everything else by raising `RefusedURL`.

    WeasyPrint logs a refused URL and leaves the resource out; it never reaches the network or
    the file system.
    """
    if url.startswith(STATIC_SCHEME):
        return _static_file(url.removeprefix(STATIC_SCHEME))
    if url.startswith(CHART_SCHEME) and charts is not None:
        name = url.removeprefix(CHART_SCHEME)
        if name in charts:
            return {"string": charts[name], "mime_type": "image/svg+xml", "redirected_url": url}
    raise RefusedURL(f"The PDF report only reads the site's own static files, not {url[:80]!r}")


def _static_file(path: str) -> dict:
    clean = posixpath.normpath(path)
    if (
        not path
        or clean != path
        or clean.startswith(("/", "."))
        or any(c in path for c in "\\?#%:")
        or posixpath.splitext(clean)[1] not in STATIC_TYPES
    ):
        raise RefusedURL(f"Not a static file of the site: {path[:80]!r}")
    found = finders.find(clean)
    if not found:
        raise RefusedURL(f"No such static file: {path[:80]!r}")
    with open(found, "rb") as handle:
        content = handle.read()
    return {
        "string": content,
        "mime_type": mimetypes.guess_type(clean)[0],
        "redirected_url": STATIC_SCHEME + clean,
    }


# --- The report's data --------------------------------------------------------------------------


@dataclass(frozen=True)
class AppendixItem:
    code: str
    question: ShownText
    answer: str
    answered: bool
    not_applicable: bool
    na_reason: str
    evidence_note: str
    evidence_url: str
    updated_by: str
    updated_at: datetime | None

    @property
    def evidence_link(self) -> bool:
        """Only web addresses become links; anything else is printed as text."""
        return self.evidence_url.lower().startswith(("https://", "http://"))

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "answer": self.answer,
            "na_reason": self.na_reason,
            "evidence_note": self.evidence_note,
            "evidence_url": self.evidence_url,
            "updated_by": self.updated_by,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }


@dataclass(frozen=True)
class LinkedAction:
    number: int
    title: ShownText
    reason: ShownText
    confirmed: bool


@dataclass(frozen=True)
class ActionText:
    """What the report says about an Action besides its scores."""

    number: int
    title: ShownText
    short_title: ShownText
    objective: ShownText
    links: tuple[LinkedAction, ...]


@dataclass(frozen=True)
class ReportData:
    results: Results
    data: dict  # results_json(results): embedded as results.json
    actions: Mapping[int, ActionText]
    appendix: tuple[tuple[int, tuple[AppendixItem, ...]], ...]  # (Action number, its items)
    language: str
    data_date: datetime | None
    hash: str
    wording: TranslationRevision  # which translation revision the texts come from

    @property
    def short_hash(self) -> str:
        return self.hash[:SHORT_HASH_LENGTH]


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def appendix_for(assessment: Assessment) -> tuple[tuple[int, tuple[AppendixItem, ...]], ...]:
    """Every item of the questionnaire with its answer, grouped by Action (two queries)."""
    items = (
        Item.objects.filter(questionnaire_id=assessment.questionnaire_id)
        .select_related("questionnaire")
        .order_by("position")
    )
    answers = {
        a.item_id: a
        for a in Answer.objects.filter(assessment=assessment).select_related("updated_by")
    }
    groups: dict[int, list[AppendixItem]] = {}
    for item in items:
        answer = answers.get(item.pk)
        groups.setdefault(item.action_number, []).append(
            AppendixItem(
                code=item.code,
                question=item.tr.question,
                answer=answer_text(item, answer),
                answered=answer is not None and answer.is_complete,
                not_applicable=bool(answer and answer.not_applicable),
                na_reason=answer.na_reason if answer else "",
                evidence_note=answer.evidence_note if answer else "",
                evidence_url=answer.evidence_url if answer else "",
                updated_by=_user_name(answer.updated_by) if answer else "",
                updated_at=answer.updated_at if answer else None,
            )
        )
    return tuple((number, tuple(rows)) for number, rows in sorted(groups.items()))


def action_texts() -> dict[int, ActionText]:
    """Objectives and interlinks of the six Actions (two queries, whatever the number of links).

    Links read both directions, in the order of `actions.models.links_for`.
    """
    actions = {a.number: a for a in Action.objects.order_by("number")}
    linked: dict[int, list[LinkedAction]] = {n: [] for n in actions}
    for link in ActionLink.objects.select_related("source", "target"):
        for this, other in ((link.source, link.target), (link.target, link.source)):
            linked[this.number].append(
                LinkedAction(
                    number=other.number,
                    title=other.tr.final_title,
                    reason=link.tr.reason,
                    confirmed=link.confirmed,
                )
            )
    return {
        n: ActionText(
            number=n,
            title=a.tr.final_title,
            short_title=a.tr.short_title,
            objective=a.tr.objective,
            links=tuple(sorted(linked[n], key=lambda link: link.number)),
        )
        for n, a in actions.items()
    }


def data_date(assessment: Assessment) -> datetime | None:
    """The date the figures stand at: approval, submission, or the last change of a draft."""
    if assessment.status == Assessment.Status.APPROVED and assessment.approved_at:
        return assessment.approved_at
    if assessment.status == Assessment.Status.SUBMITTED and assessment.submitted_at:
        return assessment.submitted_at
    return assessment.updated_at


def _canonical(value) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def content_hash(
    *,
    data: dict,
    status: str,
    language: str,
    appendix=(),
    actions=None,
    date: datetime | None = None,
    wording: TranslationRevision | None = None,
) -> str:
    """sha256 of the canonical results JSON + status + language, and of what else the PDF
    prints (the appendix, the Actions' objectives and links, the date): the same data always
    gives the same hash, and any change to what is printed gives another."""
    payload = {
        "report": REPORT_VERSION,
        "results": data,
        "status": status,
        "language": language,
        "date": date.isoformat() if date else None,
        "appendix": [[number, [item.to_dict() for item in rows]] for number, rows in appendix],
        "wording": wording.to_dict() if wording else None,
        "actions": [
            [
                a.number,
                str(a.short_title),
                str(a.objective),
                [
                    [link.number, str(link.title), str(link.reason), link.confirmed]
                    for link in a.links
                ],
            ]
            for _, a in sorted((actions or {}).items())
        ],
    }
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()


def report_for(assessment: Assessment, *, language: str | None = None) -> ReportData:
    """Everything the PDF shows (select `authority` and `questionnaire` with `assessment`), in
    `language` (default: the active one): labels in the results JSON are translated too."""
    language = language or get_language()
    with translation.override(language):
        results = results_for(assessment)
        data = results_json(results)
        appendix = appendix_for(assessment)
        actions = action_texts()
    date = data_date(assessment)
    revision = translation_revision(
        language=language, questionnaire_version=assessment.questionnaire.version
    )
    return ReportData(
        results=results,
        data=data,
        actions=actions,
        appendix=appendix,
        language=language,
        data_date=date,
        wording=revision,
        hash=content_hash(
            data=data,
            status=assessment.status,
            language=language,
            appendix=appendix,
            actions=actions,
            date=date,
            wording=revision,
        ),
    )


def fingerprint(assessment: Assessment, *, language: str) -> str:
    """A cheap digest of everything the report is built from (two queries): see the module."""
    scope = {"authority_id": assessment.authority_id, "cycle__lte": assessment.cycle}
    # The plans count too (last cycle's is printed against today's answers): every saved
    # change of a target adds one to its version, so the sum of versions only ever grows.
    assessments = list(
        Assessment.objects.filter(**scope)
        .annotate(
            peer_generation=benchmarks.generation_of_each_assessment(),
            plan_version=Sum("plan__targets__version"),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "cycle",
            "status",
            "revision",
            "updated_at",
            "questionnaire_id",
            "submitted_at",
            "approved_at",
            "peer_generation",
            "plan_version",
            "questionnaire__version",
        )
    )
    version = next(row[-1] for row in assessments if row[0] == assessment.pk)
    answers = list(
        Answer.objects.filter(**{f"assessment__{k}": v for k, v in scope.items()})
        .order_by("pk")
        .values_list(
            "pk",
            "assessment_id",
            "item_id",
            "level",
            "yes",
            "number",
            "not_applicable",
            "na_reason",
            "evidence_note",
            "evidence_url",
            "version",
            "updated_at",
            "updated_by__first_name",
            "updated_by__last_name",
            "updated_by__username",
        )
    )
    authority = assessment.authority
    payload = [
        REPORT_VERSION,
        language,
        translation_revision(language=language, questionnaire_version=version).to_dict(),
        assessment.pk,
        authority.name,
        authority.country,
        authority.population,
        assessments,
        answers,
    ]
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()


# --- Rendering ----------------------------------------------------------------------------------


def filename_for(results: Results) -> str:
    """`benchmark-report-mechelen-2026.pdf`: ASCII only, safe in any Content-Disposition."""
    authority = slugify(results.authority_name) or "authority"
    return f"benchmark-report-{authority}-{results.cycle}.pdf"


def _chart_images(report: ReportData) -> tuple[dict[str, bytes], dict]:
    """The SVG charts (drawn by `assessment.charts`) as images with their text alternative."""
    results = report.results
    images: dict[str, bytes] = {}
    radar = charts.radar_context(results, html_id="radar")
    images["radar.svg"] = (
        str(charts.radar_chart(results, html_id="radar")).replace(RING_HALO, "").encode()
    )
    strips: dict[tuple[int, str], dict] = {}
    for action in results.actions:
        for peer in action.peers:
            svg = charts.distribution_strip(stats=peer.stats, own=action.score, label=peer.label)
            if svg is None:
                continue
            name = f"strip-{action.number}-{peer.group}.svg"
            images[name] = svg.encode()
            context = charts.strip_context(stats=peer.stats, own=action.score, label=peer.label)
            strips[(action.number, peer.group)] = {
                "src": CHART_SCHEME + name,
                "alt": context["title"],
            }
    alt = f"{radar['title']}. {radar['desc']}"
    return images, {"radar": {"src": CHART_SCHEME + "radar.svg", "alt": alt}, "strips": strips}


def _context(report: ReportData, figures: dict) -> dict:
    results = report.results
    assessment = results.assessment
    authority = assessment.authority
    actions = []
    for action in results.actions:
        text = report.actions.get(action.number)
        peers = [
            (peer, figures["strips"].get((action.number, peer.group))) for peer in action.peers
        ]
        actions.append({"result": action, "text": text, "peers": peers})
    return {
        "report": report,
        "results": results,
        "assessment": assessment,
        "authority": authority,
        "population_band": authority.population_band.label,
        "language": report.language,
        "stylesheet": STATIC_SCHEME + STYLESHEET,
        "radar": figures["radar"],
        "actions": actions,
        "summary": narrative.summary_for(results),
        "appendix": [(report.actions.get(number), rows) for number, rows in report.appendix],
        "suppressed_message": benchmarks.suppressed_message(),
        "min_peers": benchmarks.MIN_PEERS,
    }


def render_pdf(report: ReportData, *, fetcher: Callable[..., dict] = url_fetcher) -> bytes:
    """The PDF bytes of `report` (1-3 s of CPU). `fetcher` is `url_fetcher` or a wrapper;
    WeasyPrint gets it as `report_fetcher.report_fetcher` makes it."""
    import weasyprint  # heavy: imported on first use, not when Django loads the URLconf

    from assessment.report_fetcher import report_fetcher

    with translation.override(report.language):
        images, figures = _chart_images(report)
        html = render_to_string("assessment/report_pdf.html", _context(report, figures))
        description = _("The scores of this report as data (the same JSON as the results page)")
    fetch = report_fetcher(fetcher, charts=images)
    attachment = weasyprint.Attachment(
        string=json.dumps(report.data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        name="results.json",
        description=description,
        url_fetcher=fetch,
    )
    pdf = weasyprint.HTML(string=html, url_fetcher=fetch).write_pdf(
        pdf_variant="pdf/ua-1",
        attachments=[attachment],
    )
    logger.info(RENDERED, report.hash[:SHORT_HASH_LENGTH], report.language)
    return pdf
