"""The statement as the 计量 clerk's workbook: one sheet per month, totals, signatures block.

Layout of a sheet (the cells the test reads):
  row 1  title (merged A1:I1): "<branch> <year>-<month> maintenance works measurement statement"
  row 2  state and the plan version that priced it
  row 3  headers: Serial No. | Work item | Road | Unit | Quantity | Unit price | Amount | Source |
         Note
  then per work kind: its lines per road (difference lines after them, marked in the Note
  column and in the Source column), then a "Subtotal: <kind>" row (quantity only when the kind's
  lines share one unit); then a "Total per road" block; then the grand total; then the
  signatures block (编制 / 复核 / 审核, each with a "Date" label and a blank cell beside it).
Words arrive translated; user text (road names, notes) is neutralised against formulas.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font

from inspection.exports import neutralise

COLUMNS = 9
WIDTHS = (6, 16, 18, 8, 12, 12, 14, 14, 30)
MONEY = "#,##0.00"
QUANTITY = "#,##0.00"


@dataclass(frozen=True)
class Row:
    kind: str  # the work kind's words
    road: str
    unit: str
    quantity: Decimal
    unit_price: Decimal | None
    amount: Decimal
    source: str
    note: str
    difference: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str  # the sheet's tab, e.g. "2026-03"
    title: str
    subtitle: str
    rows: Sequence[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Words:
    headers: tuple[str, ...]  # COLUMNS headers
    subtotal: str  # "Subtotal: %s"
    per_road: str
    grand_total: str
    signatures: tuple[str, str, str]
    date: str
    empty: str


def _text(sheet, row: int, column: int, value: str, *, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column, value=neutralise(value))
    cell.data_type = TYPE_STRING
    if bold:
        cell.font = Font(bold=True)


def _number(sheet, row: int, column: int, value: Decimal | None, fmt: str) -> None:
    if value is None:
        return
    cell = sheet.cell(row=row, column=column, value=value)
    cell.number_format = fmt


def _write_sheet(workbook: Workbook, data: Sheet, words: Words) -> None:
    sheet = workbook.create_sheet(title=data.name[:31])
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    _text(sheet, 1, 1, data.title, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=COLUMNS)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    _text(sheet, 2, 1, data.subtitle)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=COLUMNS)
    for column, header in enumerate(words.headers, start=1):
        _text(sheet, 3, column, header, bold=True)
    row = 4
    by_kind: dict[str, list[Row]] = {}
    for line in data.rows:
        by_kind.setdefault(line.kind, []).append(line)
    per_road: dict[str, Decimal] = {}
    grand = Decimal("0.00")
    number = 0
    for kind, lines in by_kind.items():
        lines = sorted(lines, key=lambda r: (r.difference, r.road))
        for line in lines:
            number += 1
            sheet.cell(row=row, column=1, value=number)
            _text(sheet, row, 2, line.kind)
            _text(sheet, row, 3, line.road)
            _text(sheet, row, 4, line.unit)
            _number(sheet, row, 5, line.quantity, QUANTITY)
            _number(sheet, row, 6, line.unit_price, MONEY)
            _number(sheet, row, 7, line.amount, MONEY)
            _text(sheet, row, 8, line.source)
            _text(sheet, row, 9, line.note)
            if line.difference:
                for column in range(1, COLUMNS + 1):
                    sheet.cell(row=row, column=column).font = Font(italic=True, color="C00000")
            per_road[line.road] = per_road.get(line.road, Decimal("0.00")) + line.amount
            row += 1
        units = {line.unit for line in lines}
        _text(sheet, row, 2, words.subtotal % kind, bold=True)
        if len(units) == 1:
            _text(sheet, row, 4, next(iter(units)))
            _number(sheet, row, 5, sum((r.quantity for r in lines), Decimal("0.00")), QUANTITY)
        amount = sum((r.amount for r in lines), Decimal("0.00"))
        _number(sheet, row, 7, amount, MONEY)
        sheet.cell(row=row, column=7).font = Font(bold=True)
        grand += amount
        row += 1
    if not data.rows:
        _text(sheet, row, 2, words.empty)
        row += 1
    row += 1
    _text(sheet, row, 2, words.per_road, bold=True)
    row += 1
    for road in sorted(per_road):
        _text(sheet, row, 3, road)
        _number(sheet, row, 7, per_road[road], MONEY)
        row += 1
    row += 1
    _text(sheet, row, 2, words.grand_total, bold=True)
    _number(sheet, row, 7, grand, MONEY)
    sheet.cell(row=row, column=7).font = Font(bold=True)
    row += 3
    for offset, role in enumerate(words.signatures):
        column = 1 + offset * 3
        _text(sheet, row, column + 1, role, bold=True)
        _text(sheet, row + 1, column + 1, words.date)
    sheet.freeze_panes = "A4"


def workbook_bytes(sheets: Sequence[Sheet], words: Words) -> bytes:
    """Return the statement workbook (one sheet per month given)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for data in sheets:
        _write_sheet(workbook, data, words)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
