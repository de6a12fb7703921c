"""Spreadsheet exports that cannot carry a formula (CSV injection). In CSV a cell that a
spreadsheet would run (starting with = + - @, a tab or a carriage return) is prefixed
with an apostrophe, as OWASP recommends; in XLSX every cell is written as a string
cell, which no spreadsheet evaluates."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    # A BOM so that spreadsheet programs read the Chinese as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str, title: str) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title[:31]
    for row in [header, *rows]:
        sheet.append(["" if v is None else str(v) for v in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.data_type = "s"  # openpyxl makes "=..." a formula; a string it stays
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
