"""Write tables as CSV or XLSX: numbers stay numbers, dates stay dates, text stays text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.utils import get_column_letter

# A cell starting with one of these is read as a formula by Excel, WPS or LibreOffice
# (tab and carriage return because some of them strip those before parsing). The
# full-width forms are included because Chinese input methods type them and WPS may
# read them as their ASCII twins.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: Any) -> Any:
    """Return a cell value that a spreadsheet shows as written and never runs as a formula.

    Text starting with a formula character gets a leading apostrophe, which Excel and WPS
    take as "this is text" (OWASP's advice against CSV injection). Numbers, dates and
    empty cells pass unchanged, so a negative figure stays a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Return UTF-8 CSV with a byte-order mark, so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """Return a workbook with one sheet per (title, headers, rows)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([neutralise(h) for h in headers])
        for row in rows:
            sheet.append([_xlsx_cell(v) for v in row])
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(
                10, min(40, len(str(header)) * 2 + 2)
            )
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    # openpyxl turns any text starting with "=" into a formula; text is text.
                    cell.data_type = TYPE_STRING
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones; callers pass local times
    return neutralise(value)
