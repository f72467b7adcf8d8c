"""Declared inputs of the measurement statements (the API and the pages)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from inspection.errors import N_
from inspection.inputs import Input, Int


class MeasurementsQuery(Input):
    """Which year's statements to list."""

    year: Annotated[
        Int(2000, 2100) | None, Field(description=N_("The year (default: this year)."))
    ] = None


class StatementExportQuery(Input):
    """Which statements to put in the workbook."""

    month: Annotated[
        Int(1, 12) | None,
        Field(description=N_("Only this month (default: every built month of the year).")),
    ] = None
