"""Open data: the public page, the API (/api/v1/), the CSV files and the DCAT-AP file.

Included once from the root URLconf. Every resource but the HTML page is wrapped by
`http.open_data` (rate limit, CORS, ETag, Cache-Control); the API's operations too.
"""

from django.urls import URLPattern, include, path

from portal.opendata import views
from portal.opendata.api import api
from portal.opendata.http import open_data


def _wrapped_api_urls() -> tuple[tuple[list, str], str]:
    patterns, app_name, namespace = api.urls
    wrapped = [
        URLPattern(p.pattern, open_data(p.callback), p.default_args, p.name)
        for p in patterns
        if isinstance(p, URLPattern) and p.name != "api-root"
    ]  # /api/v1/ is ours
    return (wrapped, app_name), namespace


app_urls = (
    [
        path("open-data/", views.page, name="page"),
        path("open-data/downloads/<slug:name>.csv", views.download, name="download"),
        path("open-data/dcat.jsonld", views.dcat_catalogue, name="dcat"),
        path("api/v1/openapi.json", views.openapi_schema, name="openapi"),
        path("api/v1/", views.openapi_schema, name="api_root"),
    ],
    "opendata",
)

urlpatterns = [
    path("", include(app_urls)),
    path("api/v1/", include(*_wrapped_api_urls())),
]
