"""The public page, the DCAT-AP file and the caches an approval must refresh."""

import pytest

from tests.opendata.conftest import CYCLE, seed_field

pytestmark = pytest.mark.django_db


def test_a_visitor_finds_the_page_from_the_home_page_and_the_footer(client, content):
    home = client.get("/").content.decode()
    assert home.count('href="/open-data/"') >= 2  # in the page and in the footer


def test_the_page_shows_the_distribution_as_svg_and_as_a_table(client, field):
    html = client.get("/open-data/").content.decode()
    assert html.count("<h1>") == 1
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="field-chart" role="img"' in html
    assert "The chart as a table" in html
    assert 'href="/open-data/downloads/aggregates.csv"' in html
    assert 'href="/open-data/dcat.jsonld"' in html and "/api/v1/openapi.json" in html


def test_the_page_with_no_approved_assessment_says_so(client, content):
    html = client.get("/open-data/").content.decode()
    assert "No self-assessment has been approved yet" in html


def test_an_unknown_cycle_in_the_query_shows_the_latest_with_a_message(client, field):
    response = client.get("/open-data/?dataset=1999:nope")
    assert response.status_code == 200
    assert "the latest cycle is shown instead" in response.content.decode()


def test_the_page_is_translated(client, field):
    client.cookies["django_language"] = "fr"
    html = client.get("/open-data/", headers={"Accept-Language": "fr"}).content.decode()
    assert '<html lang="fr">' in html
    assert "Les autorités urbaines en chiffres" in html


def test_query_counts_do_not_grow_with_the_field(client, content, django_assert_max_num_queries):
    from django.core.cache import cache

    def count_queries(path: str, limit: int):
        cache.clear()
        with django_assert_max_num_queries(limit):
            assert client.get(path).status_code == 200

    seed_field(countries={"BE": 5, "FR": 5})
    version = content.version
    paths = {
        "/open-data/": 12,
        f"/api/v1/datasets/{CYCLE}/{version}/aggregates": 6,
        f"/api/v1/datasets/{CYCLE}/{version}/items": 8,
        "/open-data/downloads/aggregates.csv": 6,
        "/api/v1/feedback/rounds": 6,
    }
    for path, limit in paths.items():
        count_queries(path, limit)
    seed_field(countries={"DE": 20, "IT": 15, "ES": 10}, cycle=CYCLE)
    for path, limit in paths.items():
        count_queries(path, limit)


def test_a_cached_response_costs_no_query(client, field, django_assert_num_queries):
    version = field[0].questionnaire.version
    url = f"/api/v1/datasets/{CYCLE}/{version}/aggregates"
    client.get(url)
    with django_assert_num_queries(0):
        client.get(url)


# --- DCAT-AP ------------------------------------------------------------------------------------

# The mandatory properties of the DCAT-AP 3.0 SHACL shapes, per class.
MANDATORY = {
    "dcat:Catalog": ("dct:title", "dct:description", "dct:publisher"),
    "dcat:Dataset": ("dct:title", "dct:description"),
    "dcat:Distribution": ("dcat:accessURL",),
    "foaf:Agent": ("foaf:name",),
}


def nodes(value):
    if isinstance(value, dict):
        if "@type" in value:
            yield value
        for child in value.values():
            yield from nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from nodes(child)


def test_the_dcat_file_has_every_mandatory_property_of_dcat_ap(client, field):
    response = client.get("/open-data/dcat.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    catalogue = response.json()
    assert catalogue["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    seen = set()
    for node in nodes(catalogue):
        for prop in MANDATORY.get(node["@type"], ()):
            assert node.get(prop), (node["@type"], prop)
        seen.add(node["@type"])
    assert set(MANDATORY) <= seen
    datasets = catalogue["dcat:dataset"]
    assert len(datasets) == 4
    for dataset in datasets:
        for distribution in dataset["dcat:distribution"]:
            assert distribution["dcat:accessURL"]["@id"].startswith("http")
            assert distribution["dct:license"]["@id"].endswith("/licence/CC_BY_4_0")


def test_every_download_in_the_dcat_file_answers(client, field):
    from django.conf import settings

    catalogue = client.get("/open-data/dcat.jsonld").json()
    for dataset in catalogue["dcat:dataset"]:
        for distribution in dataset["dcat:distribution"]:
            path = distribution["dcat:accessURL"]["@id"].removeprefix(settings.PORTAL_BASE_URL)
            assert client.get(path).status_code == 200, path


def test_the_chart_keeps_its_coordinates_in_french(client, field):
    """Numbers in SVG attributes are never written with a decimal comma, whatever the language."""
    import re

    client.cookies["django_language"] = "fr"
    html = client.get("/open-data/", headers={"Accept-Language": "fr"}).content.decode()
    svg = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" class="field-chart"') :]
    svg = svg[: svg.index("</svg>")]
    coordinates = re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', svg)
    assert coordinates and not [c for c in coordinates if "," in c]
