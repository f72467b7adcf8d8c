"""Cells from user text are neutralised; numbers and dates pass unchanged."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from inspection.exports import csv_bytes, neutralise, xlsx_bytes


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1+1", "@SUM(1)", "\t=1", "\r=1", "＝1+1", '=HYPERLINK("x")']
)
def test_formula_text_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["G30", "", "a=1", " =1", 3, -1, -2.5, Decimal("-1.5"), None, date(2026, 1, 2)]
)
def test_other_values_pass_unchanged(value):
    assert neutralise(value) == value


def test_csv_and_xlsx_write_text_as_text_and_numbers_as_numbers():
    rows = [["=1+1", -3, date(2026, 5, 1), datetime(2026, 5, 1, 8, 30)]]
    text = csv_bytes(["@h", "n", "d", "t"], rows).decode("utf-8-sig")
    header, fields = list(csv.reader(io.StringIO(text, newline="")))
    assert header[0] == "'@h"
    assert fields[:3] == ["'=1+1", "-3", "2026-05-01"]

    sheet = load_workbook(io.BytesIO(xlsx_bytes([("S", ["@h", "n", "d", "t"], rows)]))).active
    header, row = list(sheet.iter_rows())
    assert (header[0].value, header[0].data_type) == ("'@h", "s")
    assert (row[0].value, row[0].data_type) == ("'=1+1", "s")
    assert (row[1].value, row[1].data_type) == (-3, "n")
    assert row[2].is_date
