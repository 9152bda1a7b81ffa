"""The only URL fetcher WeasyPrint gets while rendering a report.

WeasyPrint 70's interface: a `URLFetcher` subclass whose `fetch` returns a
`URLFetcherResponse`. It answers from `report.url_fetcher` (the site's static files and the
charts drawn for this report) and refuses everything else, so it never opens a socket or a
file itself. Imported when a report is rendered, since WeasyPrint is heavy.
"""

from collections.abc import Callable, Mapping

from weasyprint.urls import URLFetcher, URLFetcherResponse


class ReportFetcher(URLFetcher):
    def __init__(self, resource: Callable[..., dict], *, charts: Mapping[str, bytes]):
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.resource = resource
        self.charts = charts

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        found = self.resource(url, charts=self.charts)  # raises RefusedURL for the rest
        return URLFetcherResponse(
            found["redirected_url"],
            found["string"],
            headers={"Content-Type": found["mime_type"] or "application/octet-stream"},
        )


def report_fetcher(resource: Callable[..., dict], *, charts: Mapping[str, bytes]) -> ReportFetcher:
    """What WeasyPrint is given as `url_fetcher` for one report."""
    return ReportFetcher(resource, charts=charts)
