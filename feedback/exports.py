"""CSV export of comments, streamed row by row through the site's one writer (`portal.csv`).

Cells come back exactly as typed: never HTML-escaped; only a cell a spreadsheet would run as
a formula gets a leading apostrophe (see `portal.csv`).
"""

from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from portal.csv import CellFormatter, csv_response

COLUMNS = [
    "id",
    "round",
    "action",
    "status",
    "received_at",
    "published_at",
    "display_name",
    "respondent_type",
    "country",
    "comment",
    "official_response",
    "rejection_reason",
]


def comment_rows(comments, *, include_email: bool) -> Iterator[tuple]:
    """One row per comment (plain values: no model instances, for speed)."""
    fields = [
        "pk",
        "round__slug",
        "action__number",
        "status",
        "created_at",
        "published_at",
        "display_name",
        "respondent_type",
        "country",
        "body",
        "response__body",
        "rejection_reason",
    ] + (["email"] if include_email else [])
    queryset = comments.order_by("created_at", "id").values_list(*fields)
    return queryset.iterator(chunk_size=2000)


def comments_csv(comments, *, include_email: bool) -> StreamingHttpResponse:
    # Brussels time to the second: times as the coordinators read them in the queue.
    return csv_response(
        filename=export_filename(),
        header=COLUMNS + (["email"] if include_email else []),
        rows=comment_rows(comments, include_email=include_email),
        cell=CellFormatter(datetime_format="%Y-%m-%d %H:%M:%S"),
    )


def export_filename(prefix: str = "feedback-comments") -> str:
    return f"{prefix}-{timezone.localdate():%Y-%m-%d}.csv"
