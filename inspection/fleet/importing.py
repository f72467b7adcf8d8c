"""Read a fleet list — CSV or XLSX — into checked rows and per-line problems (#15).

Pure module: no Flask, no database. Whether a unit is already registered, whether a department
exists and whether a status may change is the import service's part (``import_services``).

Decisions:

* A CSV file is UTF-8 (with or without a byte-order mark) or GB18030 (Excel in China saves
  "CSV" as GBK); an XLSX workbook is read read-only, its first sheet only: another sheet holding
  data is refused (its lines would be left out unseen), and so is a merged header cell. A merged
  cell in a unit's line is refused on that line (the reader cannot tell what it stands for, and
  the lines below it would read as empty). A formula cell reads as its text ("=YEAR(H2)"): kept
  as text in a text column, refused where a year, date or word is needed — never read as empty.
* Headers in Chinese or English (:data:`COLUMNS`), matched ignoring case, spaces, ``_``, ``-`` and
  a bracketed hint (``用途（生产/非生产）``); unknown columns are ignored. The header is the first
  line naming the number and kind columns, so a title line above it (``XX分局机械车辆台账``) is
  skipped. Line numbers are the file's own (CSV as a text editor counts, XLSX the sheet's rows).
* A column left out of the file leaves that field of a registered unit alone; a column present
  with an empty cell clears it (a note, the make and model, the year, the department). An empty
  status or use keeps the unit's; a new unit is then fit (完好) and for production.
* Kinds, uses and statuses are the codes, the English labels or the Chinese words (完好, 待修,
  维修中, 封存, 报废; 生产, 非生产; 巡查车, 装载机…). The year lies between 1950 and next year;
  dates are 2024-03-01, 2024/3/1, 2024.3.1 or 2024年3月1日 (or a date cell), never in the future.
* A plate or fleet number twice in one file (by `number_key`, so "新A 12345" = "新A12345") is
  refused on its second line. Text holding NUL or a lone surrogate is refused (the database
  cannot store it); a formula-looking text ("=cmd|…") is kept as text.
* At most :data:`MAX_BYTES` bytes and :data:`MAX_ROWS` units: a larger file is refused whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from inspection.errors import N_, ValidationError
from inspection.fleet.kinds import (
    NAME_LENGTH,
    PLATE_LENGTH,
    VEHICLE_KIND_LABELS,
    VEHICLE_STATUS_LABELS,
    VEHICLE_USE_LABELS,
    VehicleKind,
    VehicleStatus,
    VehicleUse,
    number_key,
)
from inspection.imports import (
    LineProblems,
    MergedCell,
    Problem,
    check_size,
    csv_lines,
    table_rows,
    word_key,
    xlsx_lines,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_LINES = 5 * MAX_ROWS  # physical lines of a sheet, blank ones included
NOTE_LENGTH = 2000
EARLIEST_YEAR = 1950
TITLE_LINES = 10  # filled lines above the header that may be a title

#: Column → the headers that name it; the first English and first Chinese one are the template's.
COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "number": (
            "number",
            "车牌号/编号",
            "车牌号",
            "车牌号码",
            "车牌",
            "编号",
            "自编号",
            "机械编号",
            "plate",
            "fleet number",
        ),
        "kind": ("kind", "类型", "车辆类型", "机械类型", "车辆种类", "type"),
        "make_model": ("make_model", "品牌型号", "厂牌型号", "规格型号", "型号", "make/model"),
        "year": ("year", "出厂年份", "年份", "出厂年度", "出厂年月", "year made"),
        "department": ("department", "所属部门", "部门", "使用部门", "使用单位", "所属单位"),
        "use": ("use", "用途", "使用性质", "生产/非生产"),
        "status": ("status", "状态", "技术状况", "车况"),
        "registered_on": ("registered_on", "登记日期", "入账日期", "registered"),
        "sealed_place": ("sealed_place", "封存地点", "存放地点", "sealing place"),
        "key_holder": ("key_holder", "钥匙保管人", "保管人", "key holder"),
        "note": ("note", "备注", "说明"),
    }
)
REQUIRED_COLUMNS = ("number", "kind")
_COLUMN_BY_HEADER = {
    word_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases
}
_HINT = re.compile(r"\(.*\)$")  # 用途(生产/非生产): the bracket only explains the column


def _words(pairs: dict[str, Any], labels: Mapping[Any, str], codes: Iterable[Any]) -> dict:
    words = {**pairs, **{label: code for code, label in labels.items()}}
    words.update({str(code): code for code in codes})
    words.update({str(code).replace("_", " "): code for code in codes})
    return {word_key(word): str(code) for word, code in words.items()}


_KIND_WORDS = _words(
    {
        **dict.fromkeys(("巡查车", "巡路车", "巡逻车", "巡查车辆"), VehicleKind.patrol_vehicle),
        **dict.fromkeys(("货车", "工程车", "自卸车", "载货汽车", "运输车"), VehicleKind.truck),
        **dict.fromkeys(("装载机", "铲车"), VehicleKind.loader),
        "平地机": VehicleKind.grader,
        **dict.fromkeys(("除雪车", "除雪机", "扫雪车", "推雪机"), VehicleKind.snow_plough),
        "压路机": VehicleKind.roller,
        **dict.fromkeys(("清扫车", "扫路车", "路面清扫车"), VehicleKind.sweeper),
        **dict.fromkeys(("发电机", "发电机组"), VehicleKind.generator),
        **dict.fromkeys(("其他", "其它", "其他机械"), VehicleKind.other),
    },
    VEHICLE_KIND_LABELS,
    VehicleKind,
)
_STATUS_WORDS = _words(
    {
        **dict.fromkeys(("完好", "正常", "完好在用"), VehicleStatus.fit),
        **dict.fromkeys(("待修", "故障"), VehicleStatus.defective),
        **dict.fromkeys(("维修中", "在修", "修理中"), VehicleStatus.under_repair),
        "封存": VehicleStatus.sealed,
        "报废": VehicleStatus.scrapped,
    },
    VEHICLE_STATUS_LABELS,
    VehicleStatus,
)
_USE_WORDS = _words(
    {
        **dict.fromkeys(("生产", "生产用", "生产车辆", "生产性"), VehicleUse.production),
        **dict.fromkeys(
            ("非生产", "非生产用", "非生产车辆", "非生产性"), VehicleUse.non_production
        ),
    },
    VEHICLE_USE_LABELS,
    VehicleUse,
)


def kind_word(text: Any) -> str | None:
    """Return the unit kind a cell names (code, English label or Chinese word), or None."""
    return _KIND_WORDS.get(word_key(_text(text)))


def status_word(text: Any) -> str | None:
    """Return the status a cell names (code, English label or 完好, 待修…), or None."""
    return _STATUS_WORDS.get(word_key(_text(text)))


def use_word(text: Any) -> str | None:
    """Return production / non_production for a cell (生产, 非生产 too), or None."""
    return _USE_WORDS.get(word_key(_text(text)))


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class VehicleRow:
    """One line of a fleet list, read and checked on its own (not yet against the register).

    A field is None when its column is not in the file (``given`` names the columns that are);
    a text column present with an empty cell is "" (it clears the field)."""

    line: int
    number: str
    key: str
    kind: str
    given: frozenset[str]
    make_model: str | None = None
    year: int | None = None
    department: str | None = None
    use: str | None = None
    status: str | None = None
    registered_on: date | None = None
    sealed_place: str | None = None
    key_holder: str | None = None
    note: str | None = None


@dataclass
class FleetFile:
    """The rows of a file, the lines refused, and the lines skipped."""

    rows: list[VehicleRow] = field(default_factory=list)
    problems: list[LineProblems] = field(default_factory=list)
    blank_lines: int = 0
    title_lines: int = 0


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800"
        return False
    return True


BAD_CHARACTER = N_("Contains a character text cannot hold (NUL or a lone surrogate).")


def _cell_text(
    cells: Mapping[str, Any], name: str, limit: int, problems: list[Problem]
) -> str | None:
    """Return a text cell ("" when empty), None when its column is absent; check it."""
    if name not in cells:
        return None
    text = _text(cells[name])
    if not _storable(text):
        problems.append(Problem(name, BAD_CHARACTER))
        return None
    if len(text) > limit:
        problems.append(
            Problem(
                name,
                N_("Too long."),
                N_("At most %(limit)d characters (the cell holds %(length)d)."),
                {"limit": limit, "length": len(text)},
            )
        )
        return None
    return text


_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_YEAR = re.compile(r"^(\d{1,5})\s*年?(?:\s*[-/.]?\s*\d{1,2}\s*月?)?$")


def _date_of(value: Any) -> date | None:
    """Return the date a cell holds, or None when it holds no date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.match(_text(value))
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _registered_on(value: Any, today: date, problems: list[Problem]) -> date | None:
    if not _text(value):
        return None
    day = _date_of(value)
    if day is None:
        problems.append(Problem("registered_on", N_("Write the date like 2024-03-01.")))
    elif day > today:
        problems.append(Problem("registered_on", N_("The date is in the future.")))
    elif day.year < EARLIEST_YEAR:
        problems.append(Problem("registered_on", N_("The date is too early.")))
    else:
        return day
    return None


def _year(value: Any, today: date, problems: list[Problem]) -> int | None:
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int | float) and float(value).is_integer():
        year: int | None = int(value)
    elif isinstance(value, date):
        year = value.year
    else:
        text = _text(value)
        match = _YEAR.match(text)
        day = _date_of(value)
        year = int(match.group(1)) if match else day.year if day else None
    if year is None:
        problems.append(Problem("year", N_("Write the year like 2018.")))
        return None
    latest = today.year + 1
    if not EARLIEST_YEAR <= year <= latest:
        problems.append(
            Problem(
                "year",
                N_("The year is out of range."),
                N_("The year must lie between %(earliest)d and %(latest)d."),
                {"earliest": EARLIEST_YEAR, "latest": latest},
            )
        )
        return None
    return year


def _word(
    cells: Mapping[str, Any], name: str, lookup, problems: list[Problem], detail: str
) -> str | None:
    text = _text(cells.get(name))
    if not text:
        return None
    found = lookup(text)
    if found is None:
        problems.append(
            Problem(name, N_("Not one of the allowed values."), detail, {"word": text[:40]})
        )
    return found


def read_row(line: int, cells: Mapping[str, Any], *, today: date) -> VehicleRow | LineProblems:
    """Read one line (column name → cell) into a row, or say everything wrong with it."""
    problems: list[Problem] = []
    for name, value in cells.items():
        if isinstance(value, MergedCell):
            problems.append(
                Problem(
                    name,
                    N_("Merged cell: unmerge it and fill every cell."),
                    N_("The cell is part of the merged range %(range)s; unmerge it."),
                    {"range": value.ref[:20]},
                )
            )
    cells = {name: value for name, value in cells.items() if not isinstance(value, MergedCell)}
    number = _cell_text(cells, "number", PLATE_LENGTH, problems) or ""
    key = number_key(number)
    if not key and not any(p.field == "number" for p in problems):
        problems.append(Problem("number", N_("Give the plate or fleet number.")))
    elif any(unicodedata.category(c) == "Cc" for c in number):
        problems.append(Problem("number", N_("Write the plate or fleet number on one line.")))
    kind = None
    if not _text(cells.get("kind")):
        problems.append(Problem("kind", N_("Give the kind of vehicle or machine.")))
    else:
        kind = _word(
            cells, "kind", kind_word, problems, N_("Unknown kind of vehicle or machine %(word)s.")
        )
    year_given = "year" in cells and bool(_text(cells["year"]))
    row = {
        "make_model": _cell_text(cells, "make_model", NAME_LENGTH, problems),
        "year": _year(cells["year"], today, problems) if year_given else None,
        "department": _cell_text(cells, "department", NAME_LENGTH, problems),
        "use": _word(cells, "use", use_word, problems, N_("Unknown use %(word)s.")),
        "status": _word(cells, "status", status_word, problems, N_("Unknown status %(word)s.")),
        "registered_on": _registered_on(cells.get("registered_on"), today, problems),
        "sealed_place": _cell_text(cells, "sealed_place", NAME_LENGTH, problems),
        "key_holder": _cell_text(cells, "key_holder", NAME_LENGTH, problems),
        "note": _cell_text(cells, "note", NOTE_LENGTH, problems),
    }
    if problems or kind is None:
        return LineProblems(line, tuple(problems))
    return VehicleRow(line=line, number=number, key=key, kind=kind, given=frozenset(cells), **row)


# --------------------------------------------------------------------------- files


def _header_word(cell: Any) -> str | None:
    key = word_key(_text(cell))
    return _COLUMN_BY_HEADER.get(key) or _COLUMN_BY_HEADER.get(_HINT.sub("", key))


def _columns(header: Iterable[Any]) -> dict[int, str]:
    """Return cell position → column name for the header cells that name a column."""
    found: dict[int, str] = {}
    for position, cell in enumerate(header):
        if isinstance(cell, MergedCell):
            raise ValidationError(
                N_(
                    "The header line has merged cells (%(range)s); unmerge them so that every "
                    "column has its own header."
                ),
                fields={"file": N_("Unmerge the header cells.")},
                range=cell.ref[:20],
            )
        name = _header_word(cell)
        if name is not None and name not in found.values():
            found[position] = name
    missing = [name for name in REQUIRED_COLUMNS if name not in found.values()]
    if missing:
        raise ValidationError(
            N_("The first line must be the header; these columns are missing: %(columns)s."),
            fields={"file": N_("The header is incomplete.")},
            columns=", ".join(COLUMNS[name][1] for name in missing),
        )
    return found


def _is_header(cells: list[Any]) -> bool:
    names = {_header_word(c) for c in cells if not isinstance(c, MergedCell)}
    return all(name in names for name in REQUIRED_COLUMNS)


def _from_header(lines: Iterable[tuple[int, list[Any]]], result: FleetFile) -> Iterator:
    """Drop the title lines above the header (at most TITLE_LINES filled ones)."""
    iterator = iter(lines)
    above: list[tuple[int, list[Any]]] = []
    for line, cells in iterator:
        if not any(_text(c) for c in cells):
            continue
        if _is_header(cells):
            result.title_lines = len(above)
            yield line, cells
            yield from iterator
            return
        above.append((line, cells))
        if len(above) >= TITLE_LINES:
            break
    yield from above  # no header found: the first line is taken for one, and refused
    yield from iterator


def _empty() -> ValidationError:
    return ValidationError(N_("The file is empty."), fields={"file": N_("The file is empty.")})


def _too_many() -> ValidationError:
    return ValidationError(
        N_("The file has more than %(limit)d units; split it into smaller files."),
        fields={"file": N_("Too many lines.")},
        limit=MAX_ROWS,
    )


def read_lines(lines: Iterable[tuple[int, list[Any]]], *, today: date) -> FleetFile:
    """Read (line number, cells) of a table with a header line (a title above it is skipped)."""
    result = FleetFile()
    first_line: dict[str, int] = {}
    for line, named in table_rows(
        _from_header(lines, result),
        _columns,
        text=_text,
        max_rows=MAX_ROWS,
        empty=_empty,
        too_many=_too_many,
    ):
        if named is None:
            result.blank_lines += 1
            continue
        read = read_row(line, named, today=today)
        if isinstance(read, VehicleRow):
            if read.key in first_line:
                read = LineProblems(
                    line,
                    (
                        Problem(
                            "number",
                            N_("The plate or number is used twice in the file."),
                            N_("The plate or number %(number)s is also on line %(line)d."),
                            {"number": read.number, "line": first_line[read.key]},
                        ),
                    ),
                )
            else:
                first_line[read.key] = line
        (result.problems if isinstance(read, LineProblems) else result.rows).append(read)
    return result


def read_upload(data: bytes, filename: str, *, today: date) -> FleetFile:
    """Read an uploaded fleet list (.csv, .txt or .xlsx)."""
    check_size(data, MAX_BYTES)
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return read_lines(xlsx_lines(data, max_lines=MAX_LINES), today=today)
    if name.endswith((".csv", ".txt")):
        return read_lines(csv_lines(data), today=today)
    raise ValidationError(
        N_("Upload the fleet list as .xlsx or .csv."),
        fields={"file": N_("Choose a .xlsx or .csv file.")},
    )


# --------------------------------------------------------------------------- the template


def template_header() -> list[str]:
    """Return the template's header: the first Chinese name of each column."""
    return [COLUMNS[name][1] for name in COLUMNS]


def template_rows() -> list[list[Any]]:
    """Return the template's example line (in the branch's words): a sealed loader."""
    return [
        ["装载机-03", "装载机", "柳工 ZL50CN", 2012, "机务科", "生产", "封存", "2012-09-01",
         "机务车间1号库", "张建国", "冬季停用"],
    ]  # fmt: skip
