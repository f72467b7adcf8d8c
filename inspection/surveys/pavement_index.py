"""Compute pavement and subgrade condition indices (JTG 5210-2018) from visual survey records.

Pure module: numbers and dataclasses in and out, no Flask and no database. It holds the one copy of
the distress tables (DESIGN §3a) and the subgrade deduction table (DESIGN §3b).

Decisions worth knowing:

* Severity keys are ``light`` / ``medium`` / ``heavy`` (:class:`Severity`, a ``StrEnum``, so plain
  strings work too). Items the standard weights with a single value (bleeding, patching, pumping,
  pit, blow-up, exposed aggregate, dirty shoulder, kerb damage) are *ungraded*: their only severity
  key is ``None`` and any other value is rejected, so a record never pretends to have a grade it
  cannot have. A form should hide the severity field for them and send ``None``.
* Length-recorded items (unit ``m``) are converted to area with an influence width: asphalt
  longitudinal/transverse cracks 0.2 m, rutting 0.4 m; every cement-concrete length item 1.0 m by
  default. ``influence_widths={code: metres}`` overrides the width of any length-recorded item of
  the pavement type in hand (DESIGN asks for concrete; asphalt is allowed for the same reason).
* ``dr`` returns a percentage (0.5 means 0.5 %). It is not capped: overlapping records can push it
  past 100, and ``pci`` then clamps at 0 (asphalt reaches 0 at about DR 100 %, concrete at about
  128 %). PCI, SCI and MQI are never outside [0, 100].
* Per-site subgrade deductions need a whole number of sites.
* :func:`grade` grades the number it is given, unrounded. If a page shows indices rounded to two
  decimals, round before grading so that the grade matches the number printed next to it.
* Road-level shares and 优良路率 are percentages of the length that has a PCI.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from inspection.errors import N_, ValidationError

__all__ = [
    "CONCRETE_DEFAULT_INFLUENCE_WIDTH_M",
    "DISTRESS_TABLE",
    "INDEX_NAMES",
    "PCI_COEFFICIENTS",
    "SUBGRADE_TABLE",
    "VISUAL_SURVEY_NOT_MEASURED",
    "Deduction",
    "DistressRecord",
    "DistressType",
    "Grade",
    "Label",
    "Pavement",
    "RoadSummary",
    "Severity",
    "SubgradeItem",
    "SubgradeItemType",
    "Unit",
    "UnitResult",
    "damaged_area",
    "distress_type",
    "dr",
    "grade",
    "mqi",
    "pci",
    "road_summary",
    "sci",
    "subgrade_item_type",
]


# --------------------------------------------------------------------------- vocabularies


@dataclass(frozen=True)
class Label:
    """Hold a term in Simplified Chinese and English."""

    zh: str
    en: str


class Pavement(StrEnum):
    """Pavement type of an evaluation unit."""

    ASPHALT = "asphalt"
    CONCRETE = "concrete"

    @property
    def zh(self) -> str:
        return _PAVEMENT_LABELS[self].zh

    @property
    def en(self) -> str:
        return _PAVEMENT_LABELS[self].en


_PAVEMENT_LABELS = {
    Pavement.ASPHALT: Label("沥青路面", "Asphalt pavement"),
    Pavement.CONCRETE: Label("水泥混凝土路面", "Cement concrete pavement"),
}


class Severity(StrEnum):
    """Severity of a distress (轻 / 中 / 重)."""

    LIGHT = "light"
    MEDIUM = "medium"
    HEAVY = "heavy"

    @property
    def zh(self) -> str:
        return _SEVERITY_LABELS[self].zh

    @property
    def en(self) -> str:
        return _SEVERITY_LABELS[self].en


_SEVERITY_LABELS = {
    Severity.LIGHT: Label("轻", "light"),
    Severity.MEDIUM: Label("中", "medium"),
    Severity.HEAVY: Label("重", "heavy"),
}


class Unit(StrEnum):
    """Unit a quantity is recorded in."""

    M = "m"
    M2 = "m2"
    SITE = "site"

    @property
    def zh(self) -> str:
        return _UNIT_LABELS[self].zh

    @property
    def en(self) -> str:
        return _UNIT_LABELS[self].en


_UNIT_LABELS = {
    Unit.M: Label("米", "m"),
    Unit.M2: Label("平方米", "m²"),
    Unit.SITE: Label("处", "site"),
}


class Grade(StrEnum):
    """Condition grade shared by PCI, SCI, PQI and MQI (优 / 良 / 中 / 次 / 差)."""

    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    VERY_POOR = "very_poor"

    @property
    def zh(self) -> str:
        return _GRADE_LABELS[self].zh

    @property
    def en(self) -> str:
        return _GRADE_LABELS[self].en

    @property
    def lower_bound(self) -> float:
        """Return the smallest index value in this grade's band."""
        return _GRADE_BANDS[self]


_GRADE_LABELS = {
    Grade.EXCELLENT: Label("优", "Excellent"),
    Grade.GOOD: Label("良", "Good"),
    Grade.FAIR: Label("中", "Fair"),
    Grade.POOR: Label("次", "Poor"),
    Grade.VERY_POOR: Label("差", "Very poor"),
}

# Highest band first; an index belongs to the first band whose lower bound it reaches.
_GRADE_BANDS = {
    Grade.EXCELLENT: 90.0,
    Grade.GOOD: 80.0,
    Grade.FAIR: 70.0,
    Grade.POOR: 60.0,
    Grade.VERY_POOR: 0.0,
}


# --------------------------------------------------------------------------- distress table (§3a)


@dataclass(frozen=True)
class DistressType:
    """One row of a pavement distress table.

    ``weights`` maps each allowed severity to its weight w; an ungraded item has the single key
    ``None``. ``influence_width_m`` is set only for length-recorded items (``unit == "m"``).
    ``guide`` is the severity help text for the survey form, where DESIGN §3a gives one.
    """

    code: str
    zh: str
    en: str
    unit: Unit
    weights: Mapping[Severity | None, float] = field(hash=False)
    influence_width_m: float | None = None
    guide: Label | None = None

    @property
    def severities(self) -> tuple[Severity | None, ...]:
        """Return the allowed severity keys, lightest first."""
        return tuple(self.weights)

    @property
    def graded(self) -> bool:
        """Return whether records of this item carry a severity."""
        return None not in self.weights


CONCRETE_DEFAULT_INFLUENCE_WIDTH_M = 1.0

_L, _M, _H = Severity.LIGHT, Severity.MEDIUM, Severity.HEAVY

_CRACK_GUIDE = Label("轻：缝宽 ≤ 3 mm；重：缝宽 > 3 mm", "Light: width ≤ 3 mm; heavy: width > 3 mm")
_POTHOLE_GUIDE = Label(
    "轻：深度 ≤ 25 mm；重：深度 > 25 mm", "Light: depth ≤ 25 mm; heavy: depth > 25 mm"
)
_DEPTH_10_25_GUIDE = Label(
    "轻：深度 10–25 mm；重：深度 > 25 mm", "Light: depth 10–25 mm; heavy: depth > 25 mm"
)
_RUT_GUIDE = Label(
    "轻：辙深 10–15 mm；重：辙深 > 15 mm", "Light: rut depth 10–15 mm; heavy: > 15 mm"
)
_FAULTING_GUIDE = Label(
    "轻：高差 3–10 mm；重：高差 > 10 mm", "Light: step 3–10 mm; heavy: step > 10 mm"
)


def _row(
    code: str,
    zh: str,
    en: str,
    unit: Unit,
    weights: dict[Severity | None, float],
    influence_width_m: float | None = None,
    guide: Label | None = None,
) -> tuple[str, DistressType]:
    return code, DistressType(
        code, zh, en, unit, MappingProxyType(weights), influence_width_m, guide
    )


# fmt: off
_ASPHALT = dict(
    [
        _row(
            "alligator_cracking", "龟裂", "Alligator cracking", Unit.M2,
            {_L: 0.6, _M: 0.8, _H: 1.0},
        ),
        _row(
            "block_cracking", "块状裂缝", "Block cracking", Unit.M2, {_L: 0.6, _H: 0.8},
            guide=_CRACK_GUIDE,
        ),
        _row(
            "longitudinal_crack", "纵向裂缝", "Longitudinal crack", Unit.M, {_L: 0.6, _H: 1.0},
            0.2, _CRACK_GUIDE,
        ),
        _row(
            "transverse_crack", "横向裂缝", "Transverse crack", Unit.M, {_L: 0.6, _H: 1.0},
            0.2, _CRACK_GUIDE,
        ),
        _row("pothole", "坑槽", "Pothole", Unit.M2, {_L: 0.8, _H: 1.0}, guide=_POTHOLE_GUIDE),
        _row("ravelling", "松散", "Ravelling", Unit.M2, {_L: 0.6, _H: 1.0}),
        _row(
            "depression", "沉陷", "Depression", Unit.M2, {_L: 0.6, _H: 1.0},
            guide=_DEPTH_10_25_GUIDE,
        ),
        _row("rutting", "车辙", "Rutting", Unit.M, {_L: 0.6, _H: 1.0}, 0.4, _RUT_GUIDE),
        _row(
            "corrugation", "波浪拥包", "Corrugation", Unit.M2, {_L: 0.6, _H: 1.0},
            guide=_DEPTH_10_25_GUIDE,
        ),
        _row("bleeding", "泛油", "Bleeding", Unit.M2, {None: 0.2}),
        _row("patching", "修补", "Patching", Unit.M2, {None: 0.1}),
    ]
)
# fmt: on

_CW = CONCRETE_DEFAULT_INFLUENCE_WIDTH_M

# fmt: off
_CONCRETE = dict(
    [
        _row("crack", "裂缝", "Crack", Unit.M, {_L: 0.6, _M: 0.8, _H: 1.0}, _CW),
        _row("corner_break", "板角断裂", "Corner break", Unit.M2, {_L: 0.6, _M: 0.8, _H: 1.0}),
        _row(
            "edge_spalling", "边角剥落", "Edge spalling", Unit.M, {_L: 0.6, _M: 0.8, _H: 1.0}, _CW
        ),
        _row("shattered_slab", "破碎板", "Shattered slab", Unit.M2, {_L: 0.8, _H: 1.0}),
        _row(
            "faulting", "错台", "Faulting", Unit.M, {_L: 0.6, _H: 1.0}, _CW, _FAULTING_GUIDE
        ),
        _row(
            "joint_seal_damage", "接缝料损坏", "Joint seal damage", Unit.M, {_L: 0.4, _H: 0.6}, _CW
        ),
        _row("pumping", "唧泥", "Pumping", Unit.M, {None: 1.0}, _CW),
        _row("pit", "坑洞", "Pit", Unit.M2, {None: 1.0}),
        _row("blow_up", "拱起", "Blow-up", Unit.M2, {None: 1.0}),
        _row("exposed_aggregate", "露骨", "Exposed aggregate", Unit.M2, {None: 0.3}),
        _row("patching", "修补", "Patching", Unit.M2, {None: 0.1}),
    ]
)
# fmt: on

#: Pavement type → distress code → row. The one source of distress weights (DESIGN §3a).
DISTRESS_TABLE: Mapping[Pavement, Mapping[str, DistressType]] = MappingProxyType(
    {
        Pavement.ASPHALT: MappingProxyType(_ASPHALT),
        Pavement.CONCRETE: MappingProxyType(_CONCRETE),
    }
)

#: PCI = 100 − a0 × DR^a1, by pavement type: (a0, a1).
PCI_COEFFICIENTS: Mapping[Pavement, tuple[float, float]] = MappingProxyType(
    {Pavement.ASPHALT: (15.00, 0.412), Pavement.CONCRETE: (10.66, 0.461)}
)


# --------------------------------------------------------------------------- subgrade table (§3b)


@dataclass(frozen=True)
class Deduction:
    """Points deducted per unit of quantity."""

    points: float
    per: Unit


@dataclass(frozen=True)
class SubgradeItemType:
    """One row of the subgrade table: deductions by severity and the item's weight in SCI.

    An ungraded item has the single severity key ``None``. The unit can differ between severities
    (blocked drainage: light per metre, heavy per site).
    """

    code: str
    zh: str
    en: str
    deductions: Mapping[Severity | None, Deduction] = field(hash=False)
    weight: float

    @property
    def severities(self) -> tuple[Severity | None, ...]:
        """Return the allowed severity keys, lightest first."""
        return tuple(self.deductions)

    @property
    def graded(self) -> bool:
        """Return whether records of this item carry a severity."""
        return None not in self.deductions


def _sites(light: float, medium: float, heavy: float) -> dict[Severity | None, Deduction]:
    return {
        _L: Deduction(light, Unit.SITE),
        _M: Deduction(medium, Unit.SITE),
        _H: Deduction(heavy, Unit.SITE),
    }


def _subgrade_row(
    code: str, zh: str, en: str, deductions: dict[Severity | None, Deduction], weight: float
) -> tuple[str, SubgradeItemType]:
    return code, SubgradeItemType(code, zh, en, MappingProxyType(deductions), weight)


# fmt: off
#: Subgrade item code → row. The one source of SCI deductions and weights (DESIGN §3b).
SUBGRADE_TABLE: Mapping[str, SubgradeItemType] = MappingProxyType(
    dict(
        [
            _subgrade_row(
                "dirty_shoulder_ditch", "路肩边沟不洁", "Dirty shoulder or side ditch",
                {None: Deduction(0.5, Unit.M)}, 0.05,
            ),
            _subgrade_row(
                "shoulder_damage", "路肩损坏", "Shoulder damage",
                {_L: Deduction(1, Unit.M2), _H: Deduction(2, Unit.M2)}, 0.10,
            ),
            _subgrade_row("slope_collapse", "边坡坍塌", "Slope collapse", _sites(20, 30, 50), 0.25),
            _subgrade_row(
                "erosion_gully", "水毁冲沟", "Water erosion gully", _sites(20, 30, 50), 0.25
            ),
            _subgrade_row(
                "subgrade_structure_damage", "路基构造物损坏", "Subgrade structure damage",
                _sites(20, 30, 50), 0.10,
            ),
            _subgrade_row(
                "kerb_damage", "路缘石缺损", "Kerb damage", {None: Deduction(4, Unit.M)}, 0.05
            ),
            _subgrade_row(
                "subgrade_settlement", "路基沉降", "Subgrade settlement", _sites(20, 30, 50), 0.10
            ),
            _subgrade_row(
                "drainage_blocked", "排水系统淤塞", "Blocked drainage",
                {_L: Deduction(1, Unit.M), _H: Deduction(20, Unit.SITE)}, 0.10,
            ),
        ]
    )
)
# fmt: on

#: Index code → name, for listing what a visual survey did not measure.
INDEX_NAMES: Mapping[str, Label] = MappingProxyType(
    {
        "PCI": Label("路面损坏状况指数", "Pavement condition index"),
        "SCI": Label("路基技术状况指数", "Subgrade condition index"),
        "RQI": Label("路面行驶质量指数", "Riding quality index"),
        "RDI": Label("路面车辙深度指数", "Rutting depth index"),
        "PBI": Label("路面跳车指数", "Pavement bumping index"),
        "PWI": Label("路面磨耗指数", "Pavement wear index"),
        "SRI": Label("路面抗滑性能指数", "Skid resistance index"),
        "PSSI": Label("路面结构强度指数", "Pavement structural strength index"),
        "PQI": Label("路面使用性能指数", "Pavement quality index"),
        "BCI": Label("桥隧构造物技术状况指数", "Bridge, tunnel and culvert condition index"),
        "TCI": Label("沿线设施技术状况指数", "Roadside facilities condition index"),
        "MQI": Label("公路技术状况指数", "Highway maintenance quality index"),
    }
)

#: Indices a visual survey cannot give: they need instrument data (RQI … PSSI), other
#: inspections (BCI, TCI), or those missing inputs (PQI needs RQI and more; MQI needs PQI).
VISUAL_SURVEY_NOT_MEASURED: tuple[str, ...] = (
    "RQI",
    "RDI",
    "PBI",
    "PWI",
    "SRI",
    "PSSI",
    "PQI",
    "BCI",
    "TCI",
    "MQI",
)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class DistressRecord:
    """One pavement distress in an evaluation unit: quantity in the item's unit (m² or m)."""

    code: str
    severity: Severity | str | None
    quantity: float


@dataclass(frozen=True)
class SubgradeItem:
    """One subgrade finding in an evaluation unit: quantity in m, m² or sites per the table."""

    code: str
    severity: Severity | str | None
    quantity: float


# --------------------------------------------------------------------------- validation helpers


def _pavement(value: Any) -> Pavement:
    try:
        return Pavement(value)
    except ValueError:
        raise ValidationError(
            N_("Unknown pavement type %(pavement)s; expected one of: %(allowed)s."),
            fields={"pavement": N_("Unknown pavement type.")},
            pavement=value,
            allowed=", ".join(Pavement),
        ) from None


def _allowed_text(severities: Iterable[Severity | None]) -> str:
    return ", ".join(s.value for s in severities if s is not None)


def _severity(value: Any, code: str, allowed: tuple[Severity | None, ...]) -> Severity | None:
    """Return the severity key for an item, or raise when the item does not take it."""
    if None in allowed:
        if value is None:
            return None
        raise ValidationError(
            N_("%(code)s has no severity grades; leave the severity empty (got %(severity)s)."),
            fields={"severity": N_("This item has no severity grades.")},
            code=code,
            severity=value,
        )
    if value is None:
        raise ValidationError(
            N_("%(code)s needs a severity; allowed: %(allowed)s."),
            fields={"severity": N_("Choose a severity.")},
            code=code,
            allowed=_allowed_text(allowed),
        )
    try:
        severity = Severity(value)
    except ValueError:
        severity = None
    if severity is None or severity not in allowed:
        raise ValidationError(
            N_("Severity %(severity)s is not allowed for %(code)s; allowed: %(allowed)s."),
            fields={"severity": N_("This severity is not allowed for this item.")},
            code=code,
            severity=value,
            allowed=_allowed_text(allowed),
        )
    return severity


def _number(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise ValidationError(
            N_("%(name)s must be a finite number (got %(value)s)."),
            fields={name: N_("Enter a number.")},
            name=name,
            value=value,
        )
    return number


def _quantity(value: Any, code: str) -> float:
    quantity = _number(value, "quantity")
    if quantity < 0:
        raise ValidationError(
            N_("The quantity of %(code)s must not be negative (got %(quantity)s)."),
            fields={"quantity": N_("The quantity must not be negative.")},
            code=code,
            quantity=value,
        )
    return quantity


def _index(value: Any, name: str) -> float:
    number = _number(value, name)
    if not 0.0 <= number <= 100.0:
        raise ValidationError(
            N_("%(name)s must be between 0 and 100 (got %(value)s)."),
            fields={name: N_("Enter a value between 0 and 100.")},
            name=name,
            value=value,
        )
    return number


# --------------------------------------------------------------------------- pavement


def distress_type(pavement: Pavement | str, code: str) -> DistressType:
    """Return the table row of a distress code for a pavement type."""
    table = DISTRESS_TABLE[_pavement(pavement)]
    try:
        return table[code]
    except (KeyError, TypeError):
        raise ValidationError(
            N_("Unknown distress code %(code)s for %(pavement)s pavement; known: %(known)s."),
            fields={"code": N_("Unknown distress for this pavement type.")},
            code=code,
            pavement=str(_pavement(pavement)),
            known=", ".join(table),
        ) from None


def _widths(pavement: Pavement, overrides: Mapping[str, float] | None) -> dict[str, float]:
    """Return influence widths by code for a pavement type, with overrides checked and applied."""
    widths = {
        code: row.influence_width_m
        for code, row in DISTRESS_TABLE[pavement].items()
        if row.influence_width_m is not None
    }
    for code, value in (overrides or {}).items():
        row = distress_type(pavement, code)
        if row.unit is not Unit.M:
            raise ValidationError(
                N_("%(code)s is recorded in m²; it has no influence width."),
                fields={"influence_widths": N_("Only length-recorded items have a width.")},
                code=code,
            )
        width = _number(value, "influence_width")
        if width <= 0:
            raise ValidationError(
                N_("The influence width of %(code)s must be greater than 0 m (got %(width)s)."),
                fields={"influence_widths": N_("The width must be greater than 0 m.")},
                code=code,
                width=value,
            )
        widths[code] = width
    return widths


def _weighted_area(
    pavement: Pavement, record: DistressRecord, widths: Mapping[str, float]
) -> tuple[float, float]:
    """Return (w_i, A_i) of one record after checking its code, severity and quantity."""
    row = distress_type(pavement, record.code)
    severity = _severity(record.severity, row.code, row.severities)
    quantity = _quantity(record.quantity, row.code)
    area = quantity * widths[row.code] if row.unit is Unit.M else quantity
    return row.weights[severity], area


def damaged_area(
    pavement: Pavement | str,
    record: DistressRecord,
    *,
    influence_widths: Mapping[str, float] | None = None,
) -> float:
    """Return the damaged area A_i in m² of one record (length × influence width for m items)."""
    kind = _pavement(pavement)
    return _weighted_area(kind, record, _widths(kind, influence_widths))[1]


def dr(
    records: Iterable[DistressRecord],
    unit_area_m2: float,
    pavement: Pavement | str = Pavement.ASPHALT,
    *,
    influence_widths: Mapping[str, float] | None = None,
) -> float:
    """Return the damage ratio DR in percent: 100 × Σ(w_i × A_i) / A."""
    kind = _pavement(pavement)
    area = _number(unit_area_m2, "unit_area_m2")
    if area <= 0:
        raise ValidationError(
            N_("The unit's pavement area must be greater than 0 m² (got %(area)s)."),
            fields={"unit_area_m2": N_("The area must be greater than 0 m².")},
            area=unit_area_m2,
        )
    widths = _widths(kind, influence_widths)
    weighted = (w * a for w, a in (_weighted_area(kind, r, widths) for r in records))
    return 100.0 * math.fsum(weighted) / area


def pci(dr_value: float, pavement: Pavement | str) -> float:
    """Return PCI = 100 − a0 × DR^a1, clamped at 0 for very large DR."""
    a0, a1 = PCI_COEFFICIENTS[_pavement(pavement)]
    ratio = _number(dr_value, "dr")
    if ratio < 0:
        raise ValidationError(
            N_("DR must not be negative (got %(dr)s)."),
            fields={"dr": N_("DR must not be negative.")},
            dr=dr_value,
        )
    return max(0.0, 100.0 - a0 * ratio**a1)


# --------------------------------------------------------------------------- subgrade


def subgrade_item_type(code: str) -> SubgradeItemType:
    """Return the table row of a subgrade item code."""
    try:
        return SUBGRADE_TABLE[code]
    except (KeyError, TypeError):
        raise ValidationError(
            N_("Unknown subgrade item %(code)s; known: %(known)s."),
            fields={"code": N_("Unknown subgrade item.")},
            code=code,
            known=", ".join(SUBGRADE_TABLE),
        ) from None


def _deduction(item: SubgradeItem) -> float:
    row = subgrade_item_type(item.code)
    severity = _severity(item.severity, row.code, row.severities)
    quantity = _quantity(item.quantity, row.code)
    rule = row.deductions[severity]
    if rule.per is Unit.SITE and not quantity.is_integer():
        raise ValidationError(
            N_(
                "%(code)s is counted in sites; the quantity must be a whole number"
                " (got %(quantity)s)."
            ),
            fields={"quantity": N_("Enter a whole number of sites.")},
            code=row.code,
            quantity=item.quantity,
        )
    return rule.points * quantity


def sci(items: Iterable[SubgradeItem]) -> float:
    """Return SCI = 100 − Σ w_i × min(100, GD_i), GD_i summed over the unit's records of item i."""
    totals: dict[str, list[float]] = {}
    for item in items:
        totals.setdefault(item.code, []).append(_deduction(item))
    penalty = math.fsum(
        SUBGRADE_TABLE[code].weight * min(100.0, math.fsum(parts)) for code, parts in totals.items()
    )
    return min(100.0, max(0.0, 100.0 - penalty))


# --------------------------------------------------------------------------- grades and road level


def grade(index: float) -> Grade:
    """Return the grade band of an index in [0, 100].

    优 ≥ 90, 良 ≥ 80, 中 ≥ 70, 次 ≥ 60, 差 < 60; the value is compared as given, unrounded.
    """
    value = _index(index, "index")
    for band, lower in _GRADE_BANDS.items():
        if value >= lower:
            return band
    raise AssertionError("unreachable: the lowest band starts at 0")  # pragma: no cover


def _weighted_mean(pairs: list[tuple[float, float]]) -> float:
    """Return Σ w·x / Σ w, kept inside [min x, max x] against rounding."""
    mean = math.fsum(w * x for w, x in pairs) / math.fsum(w for w, _ in pairs)
    values = [x for _, x in pairs]
    return min(max(values), max(min(values), mean))


def mqi(pqi: float | None, sci: float | None, bci: float | None, tci: float | None) -> float | None:
    """Return MQI = 0.70·PQI + 0.08·SCI + 0.12·BCI + 0.10·TCI, or None when any input is missing."""
    inputs = {"pqi": pqi, "sci": sci, "bci": bci, "tci": tci}
    if any(value is None for value in inputs.values()):
        return None
    values = {name: _index(value, name) for name, value in inputs.items()}
    weights = {"pqi": 0.70, "sci": 0.08, "bci": 0.12, "tci": 0.10}
    return _weighted_mean([(weights[name], values[name]) for name in weights])


@dataclass
class UnitResult:
    """Indices of one evaluation unit; None where the unit was not surveyed for that index."""

    length_m: float
    pci: float | None = None
    sci: float | None = None


@dataclass(frozen=True)
class RoadSummary:
    """Road-level condition from evaluation units.

    ``pci``/``sci`` are length-weighted means over the units that have them. ``grade_share_pct``
    (every grade, by PCI) and ``excellent_good_pct`` (优良路率) are percentages of ``pci_length_m``;
    both are empty/None when no unit has a PCI. ``units_without_pci``/``units_without_sci`` are
    0-based positions in the input. ``not_measured`` lists index codes (see :data:`INDEX_NAMES`)
    that could not be given — never filled with invented values.
    """

    length_m: float
    pci: float | None
    pci_grade: Grade | None
    pci_length_m: float
    sci: float | None
    sci_grade: Grade | None
    sci_length_m: float
    grade_share_pct: Mapping[Grade, float]
    excellent_good_pct: float | None
    units_without_pci: tuple[int, ...]
    units_without_sci: tuple[int, ...]
    not_measured: tuple[str, ...]


def road_summary(units: Iterable[UnitResult]) -> RoadSummary:
    """Return a road's length-weighted PCI and SCI, grade shares, 优良路率 and missing indices."""
    units = list(units)
    lengths: list[float] = []
    with_pci: list[tuple[float, float]] = []
    with_sci: list[tuple[float, float]] = []
    no_pci: list[int] = []
    no_sci: list[int] = []
    for position, unit in enumerate(units):
        length = _number(unit.length_m, "length_m")
        if length <= 0:
            raise ValidationError(
                N_("Unit %(position)s: the length must be greater than 0 m (got %(length)s)."),
                fields={"length_m": N_("The length must be greater than 0 m.")},
                position=position,
                length=unit.length_m,
            )
        lengths.append(length)
        if unit.pci is None:
            no_pci.append(position)
        else:
            with_pci.append((length, _index(unit.pci, "pci")))
        if unit.sci is None:
            no_sci.append(position)
        else:
            with_sci.append((length, _index(unit.sci, "sci")))

    pci_length = math.fsum(length for length, _ in with_pci)
    sci_length = math.fsum(length for length, _ in with_sci)
    road_pci = _weighted_mean(with_pci) if with_pci else None
    road_sci = _weighted_mean(with_sci) if with_sci else None

    shares: dict[Grade, float] = {}
    excellent_good: float | None = None
    if with_pci:
        by_grade: dict[Grade, list[float]] = {band: [] for band in Grade}
        for length, value in with_pci:
            by_grade[grade(value)].append(length)
        shares = {band: 100.0 * math.fsum(parts) / pci_length for band, parts in by_grade.items()}
        good_length = math.fsum(by_grade[Grade.EXCELLENT] + by_grade[Grade.GOOD])
        excellent_good = 100.0 * good_length / pci_length

    missing = [code for code, found in (("PCI", with_pci), ("SCI", with_sci)) if not found]
    return RoadSummary(
        length_m=math.fsum(lengths),
        pci=road_pci,
        pci_grade=None if road_pci is None else grade(road_pci),
        pci_length_m=pci_length,
        sci=road_sci,
        sci_grade=None if road_sci is None else grade(road_sci),
        sci_length_m=sci_length,
        grade_share_pct=MappingProxyType(shares),
        excellent_good_pct=excellent_good,
        units_without_pci=tuple(no_pci),
        units_without_sci=tuple(no_sci),
        not_measured=(*missing, *VISUAL_SURVEY_NOT_MEASURED),
    )
