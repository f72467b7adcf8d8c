"""Read a plan's XLSX (the template handed out at /plans/template.xlsx) into lines (#17).

Decisions:

* The first sheet only; another sheet holding data, or a merged header cell, refuses the file
  whole (``inspection.imports.xlsx_lines`` and the header check); a merged cell in a line is
  refused on that line. Headers match ignoring case, spaces and a bracketed hint (单价(元)).
* 月份 is 1–12 ("7", "7月"), or a date or "2026-07" that must lie in the plan's year.
  工作内容 is the kind's Chinese or English name or code; 单位 is m²/平方米, 米/m, 处, 项, 吨/t.
  An empty 路线 is the whole branch; an empty 预算 is quantity × unit price.
* All or nothing: any bad line refuses the file, every bad line is reported with its row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from inspection.errors import N_, ValidationError
from inspection.imports import (
    LineProblems,
    MergedCell,
    Problem,
    check_size,
    table_rows,
    word_key,
    xlsx_lines,
)
from inspection.plans import plan_rules as rules
from inspection.plans import plans as services
from inspection.plans.kinds import WORK_KINDS, Unit
from inspection.plans.models import PlanVersion

MAX_BYTES = 5 * 1024 * 1024
ZERO = Decimal("0.00")
MAX_ROWS = 5000
MAX_LINES = 5 * MAX_ROWS

#: Column → headers naming it; the first is the template's.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "month": ("月份", "月", "month"),
    "road": ("路线(空=全分局)", "路线", "路线编号", "road"),
    "work_kind": ("工作内容", "项目", "工作项目", "work_kind", "kind"),
    "unit": ("单位", "unit"),
    "quantity": ("计划数量", "数量", "quantity"),
    "unit_price_yuan": ("单价(元)", "单价", "unit_price_yuan", "unit price"),
    "budget_yuan": ("预算(元)", "预算", "budget_yuan", "budget"),
    "note": ("备注", "说明", "note"),
}
REQUIRED = ("month", "work_kind", "unit", "quantity", "unit_price_yuan")
_HINT = re.compile(r"\(.*\)$")
_BY_HEADER = {word_key(a): name for name, aliases in COLUMNS.items() for a in aliases}
_KIND_WORDS = {
    word_key(word): kind.code
    for kind in WORK_KINDS.values()
    for word in (kind.code, kind.zh, kind.en, kind.zh.replace("整修", ""))
}
_KIND_WORDS.update({word_key("其它"): "other", word_key("坑槽"): "pothole"})
_UNIT_WORDS = {
    word_key(word): unit.value
    for unit, words in {
        Unit.m2: ("m2", "m²", "㎡", "平方米", "平米", "平方"),
        Unit.m: ("m", "米", "延米"),
        Unit.site: ("site", "处", "个"),
        Unit.item: ("item", "项"),
        Unit.t: ("t", "吨"),
    }.items()
    for word in words
}
_MONTH = re.compile(r"^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*(?:月)?(?:[-/.]\d{1,2}日?)?$")


@dataclass
class PlanFile:
    """A read file: the lines (with their row) and the problems of the bad ones."""

    lines: list[tuple[int, rules.LineInput]] = field(default_factory=list)
    problems: list[LineProblems] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _header(cell: Any) -> str | None:
    key = word_key(_text(cell))
    return _BY_HEADER.get(key) or _BY_HEADER.get(_HINT.sub("", key))


def _columns(header: list[Any]) -> dict[int, str]:
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
        name = _header(cell)
        if name is not None and name not in found.values():
            found[position] = name
    missing = [COLUMNS[name][0] for name in REQUIRED if name not in found.values()]
    if missing:
        raise ValidationError(
            N_("The first line must be the header; these columns are missing: %(columns)s."),
            fields={"file": N_("The header is incomplete.")},
            columns=", ".join(missing),
        )
    return found


def _month(value: Any, year: int, problems: list[Problem]) -> int:
    outside = Problem(
        "month",
        N_("The date is outside the plan's year."),
        N_("%(value)s is not in %(year)d."),
        {"value": _text(value)[:20], "year": year},
    )
    if isinstance(value, datetime | date):
        if value.year != year:
            problems.append(outside)
        return value.month
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and float(value).is_integer()
        and 1 <= value <= 12
    ):
        return int(value)
    match = _MONTH.match(_text(value))
    if match and 1 <= int(match.group(2)) <= 12:
        if match.group(1) and int(match.group(1)) != year:
            problems.append(outside)
        return int(match.group(2))
    problems.append(Problem("month", N_("The month must be 1 to 12.")))
    return 0


def _number(value: Any, name: str, problems: list[Problem], *, required: bool) -> Decimal | None:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = _text(value).replace(",", "")
        if not text:
            if required:
                problems.append(Problem(name, N_("This field is required.")))
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal("NaN")
    if not number.is_finite():
        problems.append(Problem(name, N_("Enter a number.")))
        return None
    return number.quantize(rules.FEN)


def read_row(line: int, cells: Mapping[str, Any], year: int) -> rules.LineInput | LineProblems:
    """Return a row as a line input, or its problems."""
    problems: list[Problem] = []
    merged = [name for name, value in cells.items() if isinstance(value, MergedCell)]
    if merged:
        problems.append(Problem(merged[0], N_("A merged cell; unmerge it.")))
        return LineProblems(line, tuple(problems))
    month = _month(cells.get("month"), year, problems)
    kind = _KIND_WORDS.get(word_key(_text(cells.get("work_kind"))))
    if kind is None:
        problems.append(Problem("work_kind", N_("Not one of the kinds of work.")))
    unit = _UNIT_WORDS.get(word_key(_text(cells.get("unit"))))
    if unit is None:
        problems.append(Problem("unit", N_("Not one of the units.")))
    quantity = _number(cells.get("quantity"), "quantity", problems, required=True)
    price = _number(cells.get("unit_price_yuan"), "unit_price_yuan", problems, required=True)
    budget = _number(cells.get("budget_yuan"), "budget_yuan", problems, required=False)
    road = _text(cells.get("road")) or None
    note = _text(cells.get("note"))
    if problems:
        return LineProblems(line, tuple(problems))
    return rules.LineInput(month, road, kind, unit, quantity, price, budget, note)


def _empty() -> ValidationError:
    return ValidationError(N_("The file is empty."), fields={"file": N_("The file is empty.")})


def _too_many() -> ValidationError:
    return ValidationError(
        N_("The file has more than %(limit)d lines; split it into smaller files."),
        fields={"file": N_("Too many lines.")},
        limit=MAX_ROWS,
    )


def read_xlsx(data: bytes, filename: str, year: int) -> PlanFile:
    """Read an uploaded plan (.xlsx); refuse the file whole when it cannot be read as one."""
    check_size(data, MAX_BYTES)
    if not (filename or "").lower().endswith(".xlsx"):
        raise ValidationError(
            N_("Upload the plan as .xlsx."), fields={"file": N_("Choose a .xlsx file.")}
        )
    result = PlanFile()
    rows = table_rows(
        xlsx_lines(data, max_lines=MAX_LINES),
        _columns,
        text=_text,
        max_rows=MAX_ROWS,
        empty=_empty,
        too_many=_too_many,
    )
    for line, cells in rows:
        if cells is None:
            continue
        read = read_row(line, cells, year)
        if isinstance(read, LineProblems):
            result.problems.append(read)
        else:
            result.lines.append((line, read))
    return result


@dataclass(frozen=True)
class KindTotal:
    """What a file plans of one kind in one unit over its months."""

    work_kind: str
    unit: str
    quantity: Decimal
    budget_yuan: Decimal
    months: tuple[int, ...]


def totals_of(lines: list[rules.LineInput]) -> list[KindTotal]:
    """Sum a file's lines per kind and unit (what the check shows before anything is stored)."""
    sums: dict[tuple[str, str], tuple[Decimal, Decimal, set[int]]] = {}
    for line in lines:
        quantity, budget, months = sums.get((line.work_kind, line.unit), (ZERO, ZERO, set()))
        months.add(line.month)
        sums[(line.work_kind, line.unit)] = (
            quantity + line.quantity,
            budget + rules.budget_of(line),
            months,
        )
    order = list(WORK_KINDS)
    return [
        KindTotal(kind, unit, quantity, budget, tuple(sorted(months)))
        for (kind, unit), (quantity, budget, months) in sorted(
            sums.items(), key=lambda item: (order.index(item[0][0]), item[0][1])
        )
    ]


@dataclass
class ImportReport:
    problems: list[LineProblems]
    version: PlanVersion | None = None
    line_count: int = 0
    totals: list[KindTotal] = field(default_factory=list)

    @property
    def budget_yuan(self) -> Decimal:
        return sum((t.budget_yuan for t in self.totals), ZERO)


def import_plan(
    session: Session,
    year: int,
    parsed: PlanFile,
    *,
    actor,
    name: str = "",
    from_month: int | None = None,
    note: str = "",
) -> ImportReport:
    """Store a read file as the year's original plan, or (with from_month) an adjustment."""
    plan = services.find_plan(session, year)
    if plan is None and from_month is not None:
        raise ValidationError(
            N_("There is no plan for %(year)d to adjust; import the original plan first."),
            fields={"from_month": N_("Leave it empty for the original plan.")},
            year=year,
        )
    if plan is not None and from_month is None:
        raise ValidationError(
            N_("The plan of %(year)d exists; give the first month the adjustment changes."),
            fields={"from_month": N_("Give the first month the adjustment changes.")},
            year=year,
        )
    numbers = [number for number, _line in parsed.lines]
    lines = [line for _number, line in parsed.lines]
    road_ids, found = services.resolve_lines(
        session, lines, first_month=from_month or 1, numbers=numbers
    )
    problems = list(parsed.problems) + [
        LineProblems(numbers[index], tuple(found[index])) for index in found
    ]
    problems.sort(key=lambda p: p.line)
    if problems:
        return ImportReport(problems)
    if not lines:
        raise ValidationError(
            N_("The file has no lines."), fields={"file": N_("The file is empty.")}
        )
    if plan is None:
        name = name.strip() or f"{year}年度养护计划"
        plan = services.create_plan(session, year, name, lines, actor=actor, road_ids=road_ids)
        version = services.newest_version(session, plan)
    else:
        version = services.adjust_plan(
            session, plan, from_month, lines, note=note, actor=actor, road_ids=road_ids
        )
    return ImportReport([], version, len(lines), totals_of(lines))


# --------------------------------------------------------------------------- the template


def template_header() -> list[str]:
    """The template's header (Chinese), as the branch's clerks write it."""
    return [aliases[0] for aliases in COLUMNS.values()]


def template_rows() -> list[list[Any]]:
    """The template's one example line."""
    return [[7, "G30", "整修路肩", "平方米", 1200, 35.5, None, "汛前路肩整修"]]
