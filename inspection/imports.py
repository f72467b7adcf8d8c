"""Reading an uploaded table (a file of sites, a survey sheet): shared by the areas' importers.

Pure module: no Flask, no database. A CSV file is UTF-8 (with or without a byte-order mark);
Excel in China saves "CSV" as GBK, so a file that is not UTF-8 is read as GB18030 (a superset of
GBK); anything that decodes as neither is refused. Line numbers are the file's own, as a text
editor numbers them (a quoted cell spanning lines counts them all). A tab-separated file is
read too. Headers are matched with `word_key`: NFKC, lower case, no spaces, ``_`` or ``-``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from inspection.errors import N_, ValidationError

Lines = Iterable[tuple[int, list[Any]]]

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
