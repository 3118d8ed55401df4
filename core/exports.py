"""Streamed CSV exports: rows are written as they are read, so a million rows need no more memory
than a thousand (Django's documented StreamingHttpResponse pattern)."""

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse


class _Echo:
    """A file-like object whose write() returns the line instead of storing it."""

    def write(self, value):
        return value


def csv_cell(value) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ is run by Excel (CSV injection)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def stream_csv(header: Sequence[str], rows: Iterable[Sequence]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """`rows` should come from `queryset.values_list(...).iterator(chunk_size=2000)`."""
    response = StreamingHttpResponse(stream_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
