"""Read statements for the pages, the API and the workbook (no writes)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.network.models import DIRECTION_LABELS, Road
from inspection.plans import statement_xlsx as xlsx
from inspection.plans.kinds import AmountSource, StatementState
from inspection.plans.labels import kind_label, source_label, unit_label
from inspection.plans.models import PlanVersion, Statement, StatementLine
from inspection.plans.statements_rules import NO_PRICE


def road_labels(session: Session, road_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {i for i in road_ids if i is not None}
    if not ids:
        return {}
    roads = session.scalars(select(Road).where(Road.id.in_(ids))).all()
    return {
        r.id: r.code
        if r.direction == "both"
        else f"{r.code} {gettext(DIRECTION_LABELS.get(r.direction, r.direction))}"
        for r in roads
    }


def _money(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def statement_dict(session: Session, statement: Statement) -> dict:
    """Return a statement in the API's shape."""
    lines = list(statement.lines)
    roads = road_labels(session, [line.road_id for line in lines])
    corrected = {
        s.id: s
        for s in session.scalars(
            select(Statement).where(
                Statement.id.in_({line.corrects_statement_id for line in lines} - {None})
            )
        )
    }
    version = (
        session.get(PlanVersion, statement.plan_version_id) if statement.plan_version_id else None
    )
    confirmer = session.get(User, statement.confirmed_by_id) if statement.confirmed_by_id else None

    def line_dict(line: StatementLine) -> dict:
        target = corrected.get(line.corrects_statement_id)
        return {
            "id": line.id,
            "road": roads.get(line.road_id),
            "road_id": line.road_id,
            "work_kind": line.work_kind,
            "unit": line.unit,
            "quantity": float(line.quantity),
            "unit_price_yuan": _money(line.unit_price_yuan),
            "amount_yuan": float(line.amount_yuan),
            "amount_source": line.amount_source,
            "corrects": {"year": target.year, "month": target.month} if target else None,
            "note": line.note,
        }

    normal = [line for line in lines if line.amount_source != AmountSource.difference]
    diffs = [line for line in lines if line.amount_source == AmountSource.difference]
    return {
        "year": statement.year,
        "month": statement.month,
        "state": statement.state,
        "plan_version": version.number if version else None,
        "built_at": statement.built_at.isoformat(),
        "confirmed_at": statement.confirmed_at.isoformat() if statement.confirmed_at else None,
        "confirmed_by": str(confirmer) if confirmer else None,
        "repairs_counted": sum(1 for r in statement.repairs if r.corrects_statement_id is None),
        "lines": [line_dict(line) for line in normal],
        "differences": [line_dict(line) for line in diffs],
        "total_yuan": float(sum((line.amount_yuan for line in lines), Decimal(0))),
    }


def year_months(session: Session, year: int) -> list[dict]:
    """Return the twelve months of a year with their statement's state and total."""
    totals = dict(
        session.execute(
            select(Statement.month, func.coalesce(func.sum(StatementLine.amount_yuan), 0))
            .outerjoin(StatementLine, StatementLine.statement_id == Statement.id)
            .where(Statement.year == year)
            .group_by(Statement.month)
        ).all()
    )
    found = {s.month: s for s in session.scalars(select(Statement).where(Statement.year == year))}
    months = []
    for month in range(1, 13):
        statement = found.get(month)
        months.append(
            {
                "month": month,
                "state": statement.state if statement else None,
                "built_at": statement.built_at.isoformat() if statement else None,
                "confirmed_at": (
                    statement.confirmed_at.isoformat()
                    if statement and statement.confirmed_at
                    else None
                ),
                "total_yuan": float(totals[month]) if month in totals else None,
            }
        )
    return months


def state_label(state: str | None) -> str:
    if state == StatementState.confirmed:
        return gettext("Confirmed")
    if state == StatementState.draft:
        return gettext("Draft")
    return gettext("Not built")


def sheet_of(session: Session, statement: Statement, branch: str) -> xlsx.Sheet:
    """Return a statement as one sheet of the clerk's workbook."""
    data = statement_dict(session, statement)
    rows = []
    for line, difference in [(x, False) for x in data["lines"]] + [
        (x, True) for x in data["differences"]
    ]:
        note = gettext(line["note"]) if line["note"] == NO_PRICE else line["note"]
        if difference and line["corrects"]:
            marker = gettext(
                "Difference: corrects %(year)d-%(month)02d",
                year=line["corrects"]["year"],
                month=line["corrects"]["month"],
            )
            note = f"{marker} {note}".strip()
        rows.append(
            xlsx.Row(
                kind=kind_label(line["work_kind"]),
                road=line["road"] or gettext("Whole branch"),
                unit=unit_label(line["unit"]),
                quantity=Decimal(str(line["quantity"])),
                unit_price=(
                    Decimal(str(line["unit_price_yuan"]))
                    if line["unit_price_yuan"] is not None
                    else None
                ),
                amount=Decimal(str(line["amount_yuan"])),
                source=source_label(line["amount_source"]),
                note=note,
                difference=difference,
            )
        )
    version = data["plan_version"]
    subtitle = " · ".join(
        [
            state_label(statement.state),
            gettext("priced by plan version %(n)d", n=version) if version else gettext("no plan"),
        ]
    )
    title = gettext(
        "%(branch)s %(year)d-%(month)02d maintenance works measurement statement",
        branch=branch,
        year=statement.year,
        month=statement.month,
    ).strip()
    return xlsx.Sheet(f"{statement.year}-{statement.month:02d}", title, subtitle, rows)


def xlsx_words() -> xlsx.Words:
    return xlsx.Words(
        headers=(
            gettext("Serial No."),
            gettext("Work item"),
            gettext("Road"),
            gettext("Unit"),
            gettext("Quantity"),
            gettext("Unit price (yuan)"),
            gettext("Amount (yuan)"),
            gettext("Amount source"),
            gettext("Note"),
        ),
        subtotal=gettext("Subtotal: %s"),
        per_road=gettext("Total per road"),
        grand_total=gettext("Grand total"),
        signatures=(gettext("Compiled by"), gettext("Reviewed by"), gettext("Approved by")),
        date=gettext("Date"),
        empty=gettext("No repairs were measured this month."),
    )
