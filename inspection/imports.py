"""Reading an uploaded table (a file of sites, a survey sheet): shared by the areas' importers.

Pure module: no Flask, no database. A CSV file is UTF-8 (with or without a byte-order mark);
Excel in China saves "CSV" as GBK, so a file that is not UTF-8 is read as GB18030 (a superset of
GBK); anything that decodes as neither is refused. Line numbers are the file's own, as a text
editor numbers them (a quoted cell spanning lines counts them all). A tab-separated file is
read too. Headers are matched with `word_key`: NFKC, lower case, no spaces, ``_`` or ``-``.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from inspection.errors import N_, ValidationError

Lines = Iterable[tuple[int, list[Any]]]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a line: the field, a short message, and a detailed one if any.

    `message` has no parameters (it goes into an error's `fields`); `detail` may have them.
    Both are untranslated templates.
    """

    field: str
    message: str
    detail: str | None = None
    params: Mapping[str, Any] = dc_field(default_factory=dict)


@dataclass(frozen=True)
class LineProblems:
    """Why a line (or feature) cannot be imported: every reason found."""

    line: int
    problems: tuple[Problem, ...]


#: A direction as people write it in a table (matched after `word_key`).
DIRECTION_WORDS = {
    "up": "up",
    "上行": "up",
    "上": "up",
    "down": "down",
    "下行": "down",
    "下": "down",
    "both": "both",
    "双向": "both",
}


def word_key(text: Any) -> str:
    """Return text normalised for matching words: NFKC, lower case, no spaces, _ or -."""
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", str(text))).lower()


def check_size(data: bytes, max_bytes: int) -> None:
    """Refuse a file larger than `max_bytes` whole, before reading any of it."""
    if len(data) > max_bytes:
        raise ValidationError(
            N_("The file is larger than %(limit)d MB."),
            fields={"file": N_("The file is too large.")},
            limit=max_bytes // (1024 * 1024),
        )


def pack(data: bytes) -> str:
    """Return a checked file's bytes as text a hidden form part carries (zlib, then base64).

    A check-then-confirm import sends the checked file back with the confirm button, so the app
    servers keep nothing between the two requests.
    """
    return base64.b64encode(zlib.compress(data, 6)).decode("ascii")


def unpack(text: str, max_bytes: int) -> bytes:
    """Return the bytes `pack` made; refuse anything else, or more than `max_bytes`."""
    try:
        packed = base64.b64decode(text.encode("ascii"), validate=True)
        inflater = zlib.decompressobj()
        data = inflater.decompress(packed, max_bytes + 1)
    except (binascii.Error, UnicodeEncodeError, zlib.error, ValueError):
        data = None
    if data is None or not inflater.eof or len(data) > max_bytes:
        raise ValidationError(
            N_("The checked file cannot be read back; upload it again."),
            fields={"file": N_("Upload the file again.")},
        )
    return data


def decode_text(data: bytes) -> str:
    """Return a text file's text: UTF-8 (a byte-order mark dropped), else GB18030."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise ValidationError(
                N_("The file is neither UTF-8 nor GB18030 text; save it as “CSV UTF-8”."),
                fields={"file": N_("The file cannot be read as text.")},
            ) from None


def csv_lines(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    """Return (line number, cells) of a CSV file, numbered as a text editor numbers them."""
    text = decode_text(data)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise ValidationError(
            N_("Line %(line)d of the CSV file cannot be read: %(reason)s."),
            fields={"file": N_("The file cannot be read as CSV.")},
            line=start,
            reason=str(error),
        ) from None


def _filled(cells: list[Any], text: Callable[[Any], str]) -> bool:
    return any(text(c) for c in cells)


def table_rows(
    lines: Lines,
    columns_of: Callable[[list[Any]], dict[int, str]],
    *,
    text: Callable[[Any], str],
    max_rows: int,
    empty: Callable[[], ValidationError],
    too_many: Callable[[], ValidationError],
) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """Read (line number, cells) of a table whose first non-blank line is the header.

    Yield (line number, {column: cell}) for each later line, (line number, None) for a blank
    one; `columns_of(header)` gives cell position → column name (and refuses a bad header)."""
    iterator = iter(lines)
    header = next((cells for _line, cells in iterator if _filled(cells, text)), None)
    if header is None:
        raise empty()
    columns = columns_of(header)
    read = 0
    for line, cells in iterator:
        if not _filled(cells, text):
            yield line, None
            continue
        if read >= max_rows:
            raise too_many()
        read += 1
        yield (
            line,
            {
                name: cells[position] if position < len(cells) else None
                for position, name in columns.items()
            },
        )


# --------------------------------------------------------------------------- XLSX

#: Columns read from an XLSX sheet: a table of ours is narrower; a sheet claiming 16,384 columns
#: is not read cell by cell.
XLSX_COLUMNS = 64
#: Merged ranges a sheet may declare before it is refused whole (a fleet list has a handful).
XLSX_MERGED_RANGES = 2000


class MergedCell:
    """A cell inside a merged range of an XLSX sheet: what it stands for cannot be told."""

    __slots__ = ("ref",)

    def __init__(self, ref: str) -> None:
        self.ref = ref

    def __str__(self) -> str:
        return self.ref

    def __repr__(self) -> str:
        return f"MergedCell({self.ref!r})"


def _not_xlsx() -> ValidationError:
    return ValidationError(
        N_("The file is not an XLSX workbook."),
        fields={"file": N_("The file cannot be read as XLSX.")},
    )


def _merged_ranges(sheet: Any) -> list[tuple[int, int, int, int, str]]:
    """Return (first row, last row, first column, last column, ref) of a sheet's merged ranges.

    A read-only sheet does not parse them, so its XML is read once more for <mergeCell>."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    found = []
    with sheet._get_source() as source:  # openpyxl's read-only sheet has no merged_cells
        for _event, element in iterparse(source):
            if element.tag.endswith("}mergeCell"):
                ref = str(element.get("ref") or "")
                try:
                    low_col, low_row, high_col, high_row = range_boundaries(ref)
                except (TypeError, ValueError):
                    raise _not_xlsx() from None
                found.append((low_row, high_row, low_col, high_col, ref))
                if len(found) > XLSX_MERGED_RANGES:
                    raise ValidationError(
                        N_("The sheet has more than %(limit)d merged ranges; unmerge the cells."),
                        fields={"file": N_("Unmerge the cells.")},
                        limit=XLSX_MERGED_RANGES,
                    )
            element.clear()
    return sorted(found)


def _has_data(sheet: Any, max_lines: int) -> bool:
    sheet.reset_dimensions()  # a wrong <dimension> must neither hide nor invent cells
    for count, cells in enumerate(sheet.iter_rows(values_only=True, max_col=XLSX_COLUMNS)):
        if any(c is not None and str(c).strip() for c in cells):
            return True
        if count >= max_lines:
            break
    return False


def xlsx_lines(data: bytes, *, max_lines: int) -> Iterator[tuple[int, list[Any]]]:
    """Return (row number, cells) of the first sheet of an XLSX workbook, read-only.

    A formula cell reads as its text ("=YEAR(H2)"), never as the value Excel last computed: a
    workbook written by a program has no computed values, and a formula's value silently read
    as empty would clear a field; as text it is kept as written or refused where a number or
    date is needed. A cell in a merged range comes as a `MergedCell`, so the caller can refuse
    it where it matters. Another sheet holding data is refused: its lines would be silently
    left out. More than `max_lines` rows (blank ones too) is refused."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (BadZipFile, OSError, KeyError, ValueError, TypeError, IndexError, SyntaxError):
        raise _not_xlsx() from None  # SyntaxError: ElementTree's ParseError of a damaged part
    try:
        yield from _first_sheet(workbook, max_lines)
    except (BadZipFile, OSError, KeyError, ValueError, TypeError, IndexError, SyntaxError):
        raise _not_xlsx() from None
    finally:
        workbook.close()


def _first_sheet(workbook: Any, max_lines: int) -> Iterator[tuple[int, list[Any]]]:
    sheets = workbook.worksheets
    if not sheets:
        raise _not_xlsx()
    for other in sheets[1:]:
        if _has_data(other, max_lines):
            raise ValidationError(
                N_(
                    "The sheet %(sheet)s holds data too; put the list alone on the first "
                    "sheet (or delete the other sheets)."
                ),
                fields={"file": N_("Only the first sheet may hold data.")},
                sheet=str(other.title)[:31],
            )
    sheet = sheets[0]
    pending = _merged_ranges(sheet)
    pending.reverse()  # popped from the end: the first rows first
    active: list[tuple[int, int, int, int, str]] = []
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True, max_col=XLSX_COLUMNS)
    for number, values in enumerate(rows, start=1):
        if number > max_lines:
            raise ValidationError(
                N_("The sheet has more than %(limit)d lines; split it into smaller files."),
                fields={"file": N_("Too many lines.")},
                limit=max_lines,
            )
        while pending and pending[-1][0] <= number:
            active.append(pending.pop())
        active = [merged for merged in active if merged[1] >= number]
        cells = list(values)
        for _low_row, _high_row, low_col, high_col, ref in active:
            for column in range(low_col, min(high_col, len(cells)) + 1):
                cells[column - 1] = MergedCell(ref)
        yield number, cells
