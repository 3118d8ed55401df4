"""Streamed CSV exports: rows are written as they are read, so a million rows need no more memory
than a thousand (Django's documented StreamingHttpResponse pattern).

Every text cell is neutralized as OWASP's CSV-injection guidance says, so that no spreadsheet runs
a formula from it: no cell may begin with `=` `+` `-` `@` (or their full-width forms), tab or
carriage return, and since a spreadsheet may split a cell where this file does not (a locale whose
separator is `;`, a paste that splits on tabs or `|`, a cell's second line), the rule holds at each
of those places too: a `'` goes before the character there, so "Ana; =HYPERLINK(...)" is text
whatever the separator. Cells with a `,`, a quote or a line break are quoted (escaping quotes by
doubling them), the csv module's minimal quoting; the neutralizing does not depend on it.
Numbers, dates and booleans from the database are written as they are: they cannot hold a formula."""

import csv
import datetime
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from uuid import UUID

from django.http import StreamingHttpResponse

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (or DDE command).
FORMULA_STARTS = "=+-@\uff1d\uff0b\uff0d\uff20"
# Where a new cell or line may begin: the cell itself, a separator of any locale, a line break.
_CELL_STARTS = re.compile(rf"(^|[,;\t|\r\n])(\s*)(?=[{re.escape(FORMULA_STARTS)}])")
_NOT_TEXT = (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta, UUID)


class _Echo:
    """A file-like object whose write() returns the line instead of storing it."""

    def write(self, value):
        return value


def csv_cell(value) -> str:
    """The value as a cell no spreadsheet evaluates (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, _NOT_TEXT):
        return str(value)
    text = _CELL_STARTS.sub(r"\1\2'", str(value))
    if text[:1] in ("\t", "\r"):
        text = "'" + text
    return text


def stream_csv(header: Sequence[str], rows: Iterable[Sequence]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """`rows` should come from `queryset.values_list(...).iterator(chunk_size=2000)`."""
    response = StreamingHttpResponse(stream_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
