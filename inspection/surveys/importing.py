"""Read survey rows — a survey sheet's lines, the API's JSON, the phone form — into checked inputs.

Pure module: no Flask, no database. It knows the sheet's columns, the words people write for
items, severities and units, and checks an item against a pavement type with the one table in
:mod:`inspection.surveys.pavement_index`. Finding the road, the evaluation unit and whether a stake
lies on the road needs the database and is the services' part.

Decisions:

* A sheet is UTF-8 CSV (with or without a byte-order mark) or XLSX (the first worksheet). Excel in
  China saves "CSV" as GBK by default, so a CSV that is not UTF-8 is read as GB18030 (a superset
  of GBK) rather than refused; anything that decodes as neither is refused with a message.
* Line numbers are the sheet's own: the header is line 1 (CSV lines count the physical lines a
  quoted cell spans, so the number matches a text editor's). Blank lines are skipped and counted.
* Column headers are matched case-insensitively, ignoring spaces, ``_`` and ``-``, in English or
  Chinese (:data:`COLUMNS`). Unknown columns are ignored; a missing required column refuses the
  whole sheet (no line could be read).
* The item (``type``) is the code (``pothole``), the Chinese name (``坑槽``) or the English name
  (``Pothole``). No name means two different codes, so the family (pavement or subgrade) follows
  from the item; whether a pavement item fits the unit's pavement type is checked later.
* Severity: ``light``/``medium``/``heavy``, ``轻``/``中``/``重`` (also ``轻度``…); empty for items
  the standard weights with one value.
* The sheet's ``unit`` column is required and must be the item's unit (``m2``, ``m²``, ``平方米``;
  ``m``, ``米``; ``site``, ``处``): it catches a length typed where an area is meant. Through the
  API and the phone form the unit is optional (the form shows it; the item implies it).
* Quantities must be numbers ≥ 0. Zero is allowed: "looked, found none" is how a sheet marks an
  item as surveyed (see the services' rule on when a unit's PCI and SCI count as measured).
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from inspection.errors import N_, ValidationError
from inspection.imports import DIRECTION_WORDS, check_size, csv_lines, table_rows, word_key
from inspection.network.stakes import parse_stake
from inspection.surveys import pavement_index as pi
from inspection.surveys.kinds import FAMILIES

DIRECTIONS = ("up", "down", "both")
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024  # 20,000 lines of CSV or XLSX are 1-2 MB

# --------------------------------------------------------------------------- words


#: Sheet column → the headers that name it (the first English and first Chinese one are written
#: in the template).
COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "road": ("road", "路线编号", "road code", "路线", "路线代码"),
        "direction": ("direction", "方向", "行车方向", "上下行"),
        "from_stake": ("from_stake", "起点桩号", "from", "start stake", "起始桩号", "桩号"),
        "to_stake": ("to_stake", "止点桩号", "to", "end stake", "终点桩号"),
        "unit_no": ("unit_no", "单元号", "unit number", "evaluation unit", "单元序号", "评定单元"),
        "type": ("type", "病害类型", "item", "item code", "distress", "类型", "病害", "损坏类型"),
        "severity": ("severity", "严重程度", "程度", "损坏程度"),
        "quantity": ("quantity", "数量", "损坏数量"),
        "unit": ("unit", "单位", "计量单位"),
        "note": ("note", "备注", "说明"),
    }
)
REQUIRED_COLUMNS = ("road", "type", "quantity", "unit")
_COLUMN_BY_HEADER = {
    word_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases
}

_SEVERITY_WORDS = {
    "light": "light",
    "轻": "light",
    "轻度": "light",
    "轻微": "light",
    "medium": "medium",
    "中": "medium",
    "中度": "medium",
    "中等": "medium",
    "heavy": "heavy",
    "重": "heavy",
    "重度": "heavy",
    "严重": "heavy",
}
_UNIT_WORDS = {
    "m2": pi.Unit.M2,
    "m²": pi.Unit.M2,
    "㎡": pi.Unit.M2,
    "sqm": pi.Unit.M2,
    "平方米": pi.Unit.M2,
    "平米": pi.Unit.M2,
    "m": pi.Unit.M,
    "米": pi.Unit.M,
    "延米": pi.Unit.M,
    "site": pi.Unit.SITE,
    "sites": pi.Unit.SITE,
    "处": pi.Unit.SITE,
    "个": pi.Unit.SITE,
}


def _item_names() -> dict[str, tuple[str, str]]:
    """Return every word for an item (code, Chinese, English name) → (family, code)."""
    names: dict[str, tuple[str, str]] = {}

    def add(word: str, family: str, code: str) -> None:
        key = word_key(word)
        known = names.setdefault(key, (family, code))
        if known != (family, code):  # pragma: no cover - guards the tables, not input
            raise AssertionError(f"{word!r} names both {known} and {(family, code)}")

    for table in pi.DISTRESS_TABLE.values():
        for code, row in table.items():
            for word in (code, row.zh, row.en):
                add(word, "pavement", code)
    for code, row in pi.SUBGRADE_TABLE.items():
        for word in (code, row.zh, row.en):
            add(word, "subgrade", code)
    return names


ITEM_NAMES: Mapping[str, tuple[str, str]] = MappingProxyType(_item_names())


def resolve_item(text: str) -> tuple[str, str]:
    """Return (family, code) of an item named by its code, Chinese or English name."""
    found = ITEM_NAMES.get(word_key(text))
    if found is None:
        raise ValidationError(
            N_("Unknown item %(item)s: give a code or a name from the distress tables."),
            fields={"item_code": N_("Unknown distress or subgrade item.")},
            item=str(text).strip(),
        )
    return found


def severity_word(text: Any) -> str | None:
    """Return the severity key a word stands for; None for an empty cell."""
    if text is None or str(text).strip() == "":
        return None
    found = _SEVERITY_WORDS.get(word_key(text))
    if found is None:
        raise ValidationError(
            N_("Unknown severity %(severity)s; write light, medium or heavy (轻, 中, 重)."),
            fields={"severity": N_("Write light, medium or heavy.")},
            severity=str(text).strip(),
        )
    return found


def direction_word(text: Any) -> str | None:
    """Return up, down or both for a direction word; None for an empty cell."""
    if text is None or str(text).strip() == "":
        return None
    found = DIRECTION_WORDS.get(word_key(text))
    if found is None:
        raise ValidationError(
            N_("Unknown direction %(direction)s; write up, down or both (上行, 下行, 双向)."),
            fields={"direction": N_("Write up, down or both.")},
            direction=str(text).strip(),
        )
    return found


def unit_word(text: Any) -> pi.Unit | None:
    """Return the unit a word stands for (m², m, site); None for an empty cell."""
    if text is None or str(text).strip() == "":
        return None
    found = _UNIT_WORDS.get(word_key(text))
    if found is None:
        raise ValidationError(
            N_("Unknown unit %(unit)s; write m2 (平方米), m (米) or site (处)."),
            fields={"unit": N_("Write m2, m or site.")},
            unit=str(text).strip(),
        )
    return found


def quantity_value(value: Any) -> float:
    """Return a quantity ≥ 0 from a number or text (a decimal comma is not guessed)."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
        try:
            number = float(text) if text else math.nan
        except ValueError:
            number = math.nan
    if not math.isfinite(number):
        raise ValidationError(
            N_("The quantity %(quantity)s is not a number."),
            fields={"quantity": N_("Enter a number.")},
            quantity="" if value is None else str(value).strip(),
        )
    if number < 0:
        raise ValidationError(
            N_("The quantity must not be negative (got %(quantity)s)."),
            fields={"quantity": N_("The quantity must not be negative.")},
            quantity=value,
        )
    return number


# --------------------------------------------------------------------------- checking an item


@dataclass(frozen=True)
class CheckedItem:
    """An item that fits the unit: family, code, severity key and quantity in the item's unit."""

    family: str
    code: str
    severity: str | None
    quantity: float
    unit: pi.Unit
    damaged_area_m2: float | None  # pavement items only


def _renamed(error: ValidationError) -> ValidationError:
    """Return a pavement_index error with its `code` field named `item_code` as inputs call it."""
    if "code" in error.fields:
        error.fields = {("item_code" if k == "code" else k): v for k, v in error.fields.items()}
    return error


def check_item(
    pavement: pi.Pavement | str,
    family: str,
    code: str,
    severity: str | None,
    quantity: float,
    *,
    unit: pi.Unit | str | None = None,
    unit_area_m2: float | None = None,
) -> CheckedItem:
    """Check an item against the unit's pavement type and the tables; raise the first problem.

    A pavement record's damaged area may not exceed the unit's surveyed area (``unit_area_m2``):
    one record larger than the whole unit is a typing mistake, not damage.
    """
    if family not in FAMILIES:
        raise ValidationError(
            N_("The family must be pavement or subgrade, not %(family)s."),
            fields={"family": N_("Choose pavement or subgrade.")},
            family=family,
        )
    try:
        if family == "pavement":
            record = pi.DistressRecord(code, severity, quantity)
            area = pi.damaged_area(pavement, record)
            expected = pi.distress_type(pavement, code).unit
        else:
            pi.sci([pi.SubgradeItem(code, severity, quantity)])  # checks code, severity, sites
            area = None
            expected = pi.SUBGRADE_TABLE[code].deductions[severity].per  # type: ignore[index]
    except ValidationError as error:
        raise _renamed(error) from None
    if unit is not None and pi.Unit(unit) is not expected:
        raise ValidationError(
            N_("%(code)s is recorded in %(expected)s, not in %(unit)s."),
            fields={"unit": N_("This is not the item's unit.")},
            code=code,
            expected=expected.value,
            unit=pi.Unit(unit).value,
        )
    if area is not None and unit_area_m2 is not None and area > unit_area_m2 + 1e-9:
        raise ValidationError(
            N_(
                "%(code)s of %(area).1f m² is more than the unit's whole surveyed area of "
                "%(unit_area).1f m²; check the quantity and its unit."
            ),
            fields={"quantity": N_("Larger than the unit.")},
            code=code,
            area=area,
            unit_area=unit_area_m2,
        )
    return CheckedItem(family, code, severity, float(quantity), expected, area)


# --------------------------------------------------------------------------- sheet rows


@dataclass(frozen=True)
class SheetRow:
    """One line of a survey sheet, read but not yet placed in a unit."""

    line: int
    road: str
    direction: str | None
    from_chainage: float | None
    to_chainage: float | None
    unit_no: int | None
    family: str
    item_code: str
    severity: str | None
    quantity: float
    unit: pi.Unit
    note: str = ""


@dataclass(frozen=True)
class RowProblem:
    """Why a line of a sheet cannot be imported: every reason found, untranslated."""

    line: int
    errors: tuple[ValidationError, ...]


@dataclass
class Sheet:
    """The lines of a sheet: those read, those refused, and how many were blank."""

    rows: list[SheetRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    blank_lines: int = 0


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _stake(value: Any, name: str, errors: list[ValidationError]) -> float | None:
    text = _text(value)
    if not text:
        return None
    try:
        return parse_stake(text)
    except ValidationError as error:
        error.fields = {name: N_("Write the stake like K12+345.")}
        errors.append(error)
        return None


def _unit_no(value: Any, errors: list[ValidationError]) -> int | None:
    text = _text(value)
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        errors.append(
            ValidationError(
                N_("The unit number %(unit_no)s must be a whole number from 1."),
                fields={"unit_no": N_("Enter a whole number of 1 or more.")},
                unit_no=text,
            )
        )
        return None
    return int(text)


def _collect(errors: list[ValidationError], read, *args):
    try:
        return read(*args)
    except ValidationError as error:
        errors.append(error)
        return None


def read_row(line: int, cells: Mapping[str, Any]) -> SheetRow | RowProblem:
    """Read one line (column name → cell value) into a row, or say everything wrong with it."""
    errors: list[ValidationError] = []
    road = _text(cells.get("road")).upper()
    if not road:
        errors.append(
            ValidationError(N_("The road is missing."), fields={"road": N_("Give the road code.")})
        )
    direction = _collect(errors, direction_word, cells.get("direction"))
    from_chainage = _stake(cells.get("from_stake"), "from_stake", errors)
    to_chainage = _stake(cells.get("to_stake"), "to_stake", errors)
    unit_no = _unit_no(cells.get("unit_no"), errors)
    had_stake_text = bool(_text(cells.get("from_stake")) or _text(cells.get("to_stake")))
    if unit_no is None and not had_stake_text and not _text(cells.get("unit_no")):
        errors.append(
            ValidationError(
                N_("Give the stake range (from_stake, to_stake) or the unit number."),
                fields={"from_stake": N_("Give a stake or the unit number.")},
            )
        )
    if to_chainage is not None and from_chainage is None and not _text(cells.get("from_stake")):
        errors.append(
            ValidationError(
                N_("A to_stake needs its from_stake."),
                fields={"from_stake": N_("Give the start stake.")},
            )
        )
    if from_chainage is not None and to_chainage is not None and to_chainage < from_chainage:
        errors.append(
            ValidationError(
                N_("The to_stake lies before the from_stake; write the range in increasing order."),
                fields={"to_stake": N_("Before the start stake.")},
            )
        )
    item_text = _text(cells.get("type"))
    family = code = None
    if not item_text:
        errors.append(
            ValidationError(
                N_("The distress type is missing."),
                fields={"item_code": N_("Give the distress type.")},
            )
        )
    else:
        found = _collect(errors, resolve_item, item_text)
        if found is not None:
            family, code = found
    severity = _collect(errors, severity_word, cells.get("severity"))
    quantity = _collect(errors, quantity_value, cells.get("quantity"))
    unit = _collect(errors, unit_word, cells.get("unit"))
    if unit is None and not _text(cells.get("unit")):
        errors.append(
            ValidationError(
                N_("The unit is missing; write m2 (平方米), m (米) or site (处)."),
                fields={"unit": N_("Write m2, m or site.")},
            )
        )
    if errors:
        return RowProblem(line, tuple(errors))
    return SheetRow(
        line=line,
        road=road,
        direction=direction,
        from_chainage=from_chainage,
        to_chainage=to_chainage,
        unit_no=unit_no,
        family=family,  # type: ignore[arg-type]
        item_code=code,  # type: ignore[arg-type]
        severity=severity,
        quantity=quantity,  # type: ignore[arg-type]
        unit=unit,  # type: ignore[arg-type]
        note=_text(cells.get("note"))[:2000],
    )


def _columns(header: Iterable[Any]) -> dict[int, str]:
    """Return cell position → column name for the header cells that name a column."""
    found: dict[int, str] = {}
    for position, cell in enumerate(header):
        name = _COLUMN_BY_HEADER.get(word_key(_text(cell)))
        if name is not None and name not in found.values():
            found[position] = name
    missing = [name for name in REQUIRED_COLUMNS if name not in found.values()]
    if not ({"from_stake", "unit_no"} & set(found.values())):
        missing.append("from_stake / unit_no")
    if missing:
        raise ValidationError(
            N_(
                "The first line must be the header; these columns are missing: %(columns)s. "
                "Download the template to see the columns."
            ),
            columns=", ".join(missing),
        )
    return found


def read_lines(lines: Iterable[tuple[int, list[Any]]]) -> Sheet:
    """Read (line number, cells) of a sheet whose first line is the header."""
    sheet = Sheet()
    for line, named in table_rows(
        lines,
        _columns,
        text=_text,
        max_rows=MAX_ROWS,
        empty=lambda: ValidationError(N_("The sheet is empty.")),
        too_many=_too_many,
    ):
        if named is None:
            sheet.blank_lines += 1
            continue
        result = read_row(line, named)
        (sheet.problems if isinstance(result, RowProblem) else sheet.rows).append(result)
    return sheet


def _too_many() -> ValidationError:
    return ValidationError(
        N_("The sheet has more than %(limit)d lines; split it into smaller sheets."),
        limit=MAX_ROWS,
    )


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError):
        raise ValidationError(N_("The file is not an XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Read an uploaded survey sheet (.csv or .xlsx) into rows and refused lines."""
    check_size(data, MAX_BYTES)
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return read_lines(_xlsx_lines(data))
    if name.endswith((".csv", ".txt")):
        return read_lines(csv_lines(data))
    raise ValidationError(
        N_("Upload the survey sheet as .xlsx or .csv."),
        fields={"file": N_("Choose a .xlsx or .csv file.")},
    )


# --------------------------------------------------------------------------- the template


def template_header(chinese: bool) -> list[str]:
    """Return the template's header: the first Chinese or English name of each column."""
    names = []
    for aliases in COLUMNS.values():
        cjk = [a for a in aliases if re.search(r"[\u4e00-\u9fff]", a)]
        names.append(cjk[0] if chinese and cjk else aliases[0])
    return names


def template_rows(chinese: bool) -> list[list[Any]]:
    """Return two example lines: a pavement distress by stake range, a subgrade item by unit."""
    crack = pi.DISTRESS_TABLE[pi.Pavement.ASPHALT]["transverse_crack"]
    slope = pi.SUBGRADE_TABLE["slope_collapse"]
    if chinese:
        return [
            ["G30", "上行", "K3504+000", "K3504+100", "", crack.zh, "重", 12.5, "米", ""],
            ["G30", "上行", "", "", 5, slope.zh, "中", 1, "处", "右侧边坡"],
        ]
    return [
        ["G30", "up", "K3504+000", "K3504+100", "", crack.code, "heavy", 12.5, "m", ""],
        ["G30", "up", "", "", 5, slope.code, "medium", 1, "site", "right-hand slope"],
    ]


# --------------------------------------------------------------------------- JSON and form input


@dataclass(frozen=True)
class RecordInput:
    """A record to add: where (unit id, or road + direction + stake) and what."""

    unit_id: int | None
    road: str
    direction: str | None
    stake: str
    family: str | None
    item_code: str
    severity: str | None
    quantity: float
    unit: pi.Unit | None
    note: str
    # Made by the phone or the program sending it: a repeated UUID is the same record.
    client_uuid: uuid.UUID | None = None


def parse_record(body: Mapping[str, Any]) -> RecordInput:
    """Return a record input from JSON or form values, naming every bad field at once."""
    fields: dict[str, str] = {}

    def fail(name: str, error: ValidationError | str) -> None:
        if isinstance(error, ValidationError):
            fields.setdefault(name, next(iter(error.fields.values()), error.message))
        else:
            fields.setdefault(name, error)

    def text(name: str, max_length: int) -> str:
        value = body.get(name)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            fail(name, N_("Must be text."))
            return ""
        value = str(value).strip()
        if len(value) > max_length:
            fail(name, N_("Too long."))
        return value

    unit_id = None
    raw_unit = body.get("unit_id")
    if raw_unit not in (None, ""):
        if isinstance(raw_unit, bool) or not str(raw_unit).isdigit():
            fail("unit_id", N_("Not one of the allowed values."))
        else:
            unit_id = int(raw_unit)
    road = text("road", 16).upper()
    stake = text("stake", 40)
    if raw_unit in (None, "") and not (road and stake):
        if not road:
            fail("road", N_("Give the unit, or the road and stake."))
        if not stake:
            fail("stake", N_("Give the unit, or the road and stake."))
    direction = None
    try:
        direction = direction_word(text("direction", 8))
    except ValidationError as error:
        fail("direction", error)
    if stake:
        try:
            parse_stake(stake)
        except ValidationError:
            fail("stake", N_("Write the stake like K12+345."))
    family = text("family", 12) or None
    if family is not None and family not in FAMILIES:
        fail("family", N_("Choose pavement or subgrade."))
        family = None
    item_code = text("item_code", 64)
    if not item_code:
        fail("item_code", N_("Choose the distress type."))
    else:
        try:
            found_family, item_code = resolve_item(item_code)
        except ValidationError as error:
            fail("item_code", error)
        else:
            if family is not None and family != found_family:
                fail("family", N_("This item belongs to the other family."))
            family = found_family
    severity = None
    try:
        severity = severity_word(text("severity", 16))
    except ValidationError as error:
        fail("severity", error)
    quantity = 0.0
    if body.get("quantity") in (None, ""):
        fail("quantity", N_("This field is required."))
    else:
        try:
            quantity = quantity_value(body.get("quantity"))
        except ValidationError as error:
            fail("quantity", error)
    unit = None
    try:
        unit = unit_word(text("unit", 16))
    except ValidationError as error:
        fail("unit", error)
    note = text("note", 2000)
    record_uuid = None
    if body.get("client_uuid") not in (None, ""):
        try:
            record_uuid = uuid.UUID(str(body.get("client_uuid")))
        except ValueError:
            fail("client_uuid", N_("Not a valid UUID."))
    if fields:
        raise ValidationError(N_("Some fields are not valid."), fields=fields)
    return RecordInput(
        client_uuid=record_uuid,
        unit_id=unit_id,
        road=road,
        direction=direction,
        stake=stake,
        family=family,
        item_code=item_code,
        severity=severity,
        quantity=quantity,
        unit=unit,
        note=note,
    )
