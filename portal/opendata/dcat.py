"""The DCAT-AP description of the open data (JSON-LD), for data.europa.eu and national portals.

URLs are built on settings.PORTAL_BASE_URL, never on the request's Host header: the file is
cached by proxies and harvested by machines, so it must say the same thing to everyone.
Controlled vocabularies are the EU Publications Office's authority tables, as DCAT-AP asks.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from portal.opendata.downloads import DOWNLOADS
from portal.opendata.http import LICENSE

EU = "http://publications.europa.eu/resource/authority"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LICENSE_URI = f"{EU}/licence/CC_BY_4_0"
MEDIA_TYPES = {"CSV": "text/csv", "JSON": "application/json"}

DATASETS = {
    "aggregates": (
        "Self-assessment scores of European urban authorities: aggregates",
        "Per cycle and questionnaire version: the number of authorities with an approved "
        "self-assessment, quartiles, mean and maturity-band distribution of the overall index "
        "and of each of the six Actions, for all authorities, by population band and by "
        "country. Groups of fewer than five authorities are suppressed, with complementary "
        "suppression.",
    ),
    "changes": (
        "Self-assessment scores of European urban authorities: change between cycles",
        "Mean and median change of each score for the authorities approved in two "
        "consecutive cycles.",
    ),
    "items": (
        "Self-assessment answers of European urban authorities: shares per item",
        "Per questionnaire item, the number and share of approved authorities at each "
        "level (0-4) and not applicable; items answered by fewer than five are suppressed.",
    ),
    "feedback": (
        "Public feedback on the partnership's Actions: statistics per round",
        "Comments received, published, pending, hidden, rejected and answered, per round "
        "and Action, with what changed after the feedback.",
    ),
}


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _text(value: str) -> dict:
    return {"@value": value, "@language": "en"}


def _ref(uri: str) -> dict:
    return {"@id": uri}


def _publisher() -> dict:
    return {
        "@id": absolute("/partnership/#partnership"),
        "@type": "foaf:Agent",
        "foaf:name": _text("Urban Agenda for the EU, Partnership on Security in Public Spaces"),
        "dct:type": _ref("http://purl.org/adms/publishertype/SupraNationalAuthority"),
    }


def _distribution(name: str, fmt: str, url: str, *, download: bool) -> dict:
    distribution = {
        "@id": f"{url}#distribution",
        "@type": "dcat:Distribution",
        "dct:title": _text(f"{DATASETS[name][0]} ({fmt})"),
        "dcat:accessURL": _ref(url),
        "dct:format": _ref(f"{EU}/file-type/{fmt}"),
        "dcat:mediaType": _ref(f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[fmt]}"),
        "dct:license": _ref(LICENSE_URI),
    }
    if download:
        distribution["dcat:downloadURL"] = _ref(url)
    return distribution


def _dataset(name: str, api_path: str | None) -> dict:
    title, description = DATASETS[name]
    csv_url = absolute(reverse("opendata:download", args=[name]))
    distributions = [_distribution(name, "CSV", csv_url, download=True)]
    if api_path:
        distributions.append(_distribution(name, "JSON", absolute(api_path), download=False))
    return {
        "@id": absolute(reverse("opendata:page") + f"#dataset-{name}"),
        "@type": "dcat:Dataset",
        "dct:identifier": name,
        "dct:title": _text(title),
        "dct:description": _text(description),
        "dct:publisher": _publisher(),
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": "Partnership on Security in Public Spaces",
            "vcard:hasURL": _ref(absolute(reverse("partnership:about"))),
        },
        "dcat:theme": [_ref(f"{EU}/data-theme/JUST"), _ref(f"{EU}/data-theme/GOVE")],
        "dcat:keyword": [
            _text(k)
            for k in (
                "urban security",
                "public spaces",
                "self-assessment",
                "Urban Agenda for the EU",
            )
        ],
        "dct:spatial": _ref(f"{EU}/continent/EUROPE"),
        "dct:language": _ref(f"{EU}/language/ENG"),
        "dct:accessRights": _ref(f"{EU}/access-right/PUBLIC"),
        "dcat:landingPage": _ref(absolute(reverse("opendata:page"))),
        "dcat:distribution": distributions,
    }


def catalogue() -> dict:
    """The catalogue of the open data, ready to be served as JSON-LD."""
    api_paths = {
        "aggregates": reverse("opendata-api:list_datasets"),
        "items": reverse("opendata-api:list_datasets"),
        "feedback": reverse("opendata-api:list_rounds"),
    }
    return {
        "@context": CONTEXT,
        "@id": absolute(reverse("opendata:dcat") + "#catalogue"),
        "@type": "dcat:Catalog",
        "dct:title": _text("Security in Public Spaces: the field in figures"),
        "dct:description": _text(
            "Open data of the self-assessment portal of the Urban Agenda for the EU "
            "Partnership on Security in Public Spaces: anonymised aggregates of the urban "
            "authorities' approved self-assessments and statistics of the public feedback."
        ),
        "dct:publisher": _publisher(),
        "foaf:homepage": _ref(absolute(reverse("opendata:page"))),
        "dct:language": _ref(f"{EU}/language/ENG"),
        "dct:license": _ref(LICENSE_URI),
        "dct:rights": _text(
            f"{LICENSE['title']} ({LICENSE['url']}). Attribution: {LICENSE['attribution']}."
        ),
        "dcat:dataset": [_dataset(name, api_paths.get(name)) for name in DOWNLOADS],
    }
