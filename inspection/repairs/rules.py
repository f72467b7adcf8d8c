"""The rules of repair records: kinds, plausible quantities, material units (no Flask, no database).

Plausibility of the area (DESIGN §5 totals are sums of these areas, so a typo of 10× shows in the
annual report):

- Over a stake range, area ≤ range length × the kind's maximum width. The range length is the real
  length of the centreline between the stakes (not the nominal chainage difference, which a chain
  break makes longer or shorter than the ground). Default widths: a shoulder 3.0 m, a slope 60 m
  (measured along its face), a pothole treatment 15 m (a whole carriageway). The branch overrides
  them with the app setting ``REPAIR_MAX_WIDTH_M``, e.g. ``{"shoulder": 2.5}``.
- A **single stake** is allowed only for pothole treatment: potholes are spot repairs, while a
  shoulder or slope repair is measured over a length, and its area can only be judged against
  that length. At a single stake the area is capped per site: area ≤ count × 50 m² (setting
  ``REPAIR_MAX_SITE_AREA_M2``). Anything bigger is a stake range.
- Pothole treatment needs the number of potholes (the annual report states it); other kinds may
  give a count of sites.

Adding a kind: a row in ``REPAIR_KINDS`` and a migration widening the ``ck_repairs_kind`` check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final

from inspection.errors import N_, ValidationError

# A width or site cap above these is a configuration mistake, not a road.
_MAX_CONFIGURED_WIDTH_M = 500.0
_MAX_CONFIGURED_SITE_AREA_M2 = 10_000.0
# Rounding in the client (area typed to 0.1 m²) must not make an exact fit fail.
_TOLERANCE_M2 = 0.05


@dataclass(frozen=True, slots=True)
class RepairKind:
    """A kind of repair with its words and the limits its quantities are checked against."""

    code: str
    zh: str
    en: str
    max_width_m: float
    area_required: bool = True
    count_required: bool = False
    single_stake: bool = False
    max_site_area_m2: float | None = None

    def label(self, locale: str) -> str:
        """Return the kind's word for a locale (Chinese for any ``zh*``)."""
        return self.zh if locale.lower().startswith("zh") else self.en


REPAIR_KINDS: Final[Mapping[str, RepairKind]] = MappingProxyType(
    {
        "shoulder": RepairKind("shoulder", "整修路肩", "Shoulder repair", max_width_m=3.0),
        "slope": RepairKind("slope", "整修边坡", "Slope repair", max_width_m=60.0),
        "pothole": RepairKind(
            "pothole",
            "处治坑槽",
            "Pothole treatment",
            max_width_m=15.0,
            count_required=True,
            single_stake=True,
            max_site_area_m2=50.0,
        ),
    }
)


@dataclass(frozen=True, slots=True)
class MaterialUnit:
    code: str
    zh: str
    en: str

    def label(self, locale: str) -> str:
        return self.zh if locale.lower().startswith("zh") else self.en


# Materials are summed per (name, unit): one list of units keeps "t" and "吨" from splitting a sum.
MATERIAL_UNITS: Final[Mapping[str, MaterialUnit]] = MappingProxyType(
    {
        "t": MaterialUnit("t", "吨", "t"),
        "kg": MaterialUnit("kg", "千克", "kg"),
        "m3": MaterialUnit("m3", "立方米", "m³"),
        "m2": MaterialUnit("m2", "平方米", "m²"),
        "L": MaterialUnit("L", "升", "L"),
        "bag": MaterialUnit("bag", "袋", "bags"),
        "piece": MaterialUnit("piece", "个", "pieces"),
    }
)

# Names the forms offer; any other name may be typed.
COMMON_MATERIALS: Final[tuple[str, ...]] = (
    "沥青混合料",
    "冷补料",
    "乳化沥青",
    "水泥",
    "水泥混凝土",
    "碎石",
    "砂",
    "砂砾",
    "土方",
    "浆砌片石",
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Hold the maximum widths (m) and single-stake site areas (m²) by kind in force."""

    max_width_m: Mapping[str, float]
    max_site_area_m2: Mapping[str, float]

    def width(self, kind: str) -> float:
        return self.max_width_m[kind]

    def site_area(self, kind: str) -> float | None:
        return self.max_site_area_m2.get(kind)


def limits_from(
    max_width_m: Mapping[str, float] | None = None,
    max_site_area_m2: Mapping[str, float] | None = None,
) -> Limits:
    """Return the defaults of ``REPAIR_KINDS`` overridden by the branch's settings.

    A setting naming an unknown kind or a width that is not a positive number is a configuration
    mistake and raises ValueError, so it is noticed rather than silently ignored.
    """
    widths = {code: kind.max_width_m for code, kind in REPAIR_KINDS.items()}
    widths.update(_checked(max_width_m or {}, "REPAIR_MAX_WIDTH_M", _MAX_CONFIGURED_WIDTH_M))
    sites = {
        code: kind.max_site_area_m2
        for code, kind in REPAIR_KINDS.items()
        if kind.max_site_area_m2 is not None
    }
    overrides = _checked(
        max_site_area_m2 or {}, "REPAIR_MAX_SITE_AREA_M2", _MAX_CONFIGURED_SITE_AREA_M2
    )
    for code in overrides:
        if not REPAIR_KINDS[code].single_stake:
            raise ValueError(f"REPAIR_MAX_SITE_AREA_M2: {code} repairs are never at a single stake")
    sites.update(overrides)
    return Limits(MappingProxyType(widths), MappingProxyType(sites))


def _checked(values: Mapping[str, float], setting: str, ceiling: float) -> dict[str, float]:
    checked = {}
    for code, value in values.items():
        if code not in REPAIR_KINDS:
            raise ValueError(f"{setting}: unknown repair kind {code!r}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{setting}[{code!r}] must be a number, not {value!r}")
        if not 0 < value <= ceiling:
            raise ValueError(f"{setting}[{code!r}] = {value} is outside 0–{ceiling:g}")
        checked[code] = float(value)
    return checked


def repair_kind(code: str) -> RepairKind:
    """Return a kind from the table, or raise ValidationError naming the field."""
    try:
        return REPAIR_KINDS[code]
    except KeyError:
        raise ValidationError(
            N_("Unknown kind of repair %(kind)s."),
            fields={"kind": N_("Not one of the allowed values.")},
            kind=code,
        ) from None


def check_single_stake(kind: str, has_end_stake: bool) -> None:
    """Refuse a single stake for a kind that is measured over a stake range."""
    if not has_end_stake and not repair_kind(kind).single_stake:
        raise ValidationError(
            N_("This kind of repair is measured over a stake range; give the end stake too."),
            fields={"end_stake": N_("Give the end stake.")},
        )


def check_completed_on(completed_on: date, today: date) -> None:
    """Refuse a completion date after today (both in the branch's time zone)."""
    if completed_on > today:
        raise ValidationError(
            N_("The completion date %(date)s is after today, %(today)s."),
            fields={"completed_on": N_("In the future.")},
            date=completed_on.isoformat(),
            today=today.isoformat(),
        )


def check_quantities(
    kind: str,
    *,
    area_m2: float | None,
    count: int | None,
    length_m: float | None,
    limits: Limits,
    range_text: str = "",
) -> None:
    """Check the area and count of a repair against its kind and stake range.

    ``length_m`` is the real length of the stake range in metres, or None for a single stake.
    Raises ValidationError whose message states the numbers that were compared.
    """
    spec = repair_kind(kind)
    missing = area_m2 is None and spec.area_required
    if missing or (area_m2 is not None and area_m2 <= 0):
        raise ValidationError(
            N_("Give the repaired area in m²."),
            fields={"area_m2": N_("Enter an area greater than 0 m².")},
        )
    if count is not None and count < 1:
        raise ValidationError(
            N_("The count must be 1 or more."),
            fields={"count": N_("Enter a whole number of 1 or more.")},
        )
    if spec.count_required and count is None:
        raise ValidationError(
            N_("Give the number of potholes treated."),
            fields={"count": N_("Enter the number of potholes.")},
        )
    if area_m2 is None:
        return
    if length_m is not None:
        width = limits.width(kind)
        limit = length_m * width
        if area_m2 > limit + _TOLERANCE_M2:
            raise ValidationError(
                N_(
                    "An area of %(area).1f m² is too large for the stake range %(range)s: "
                    "%(length).1f m long × %(width).1f m maximum width = %(limit).1f m² at most."
                ),
                fields={"area_m2": N_("More than the stake range can hold.")},
                area=area_m2,
                range=range_text,
                length=length_m,
                width=width,
                limit=limit,
            )
        return
    check_single_stake(kind, has_end_stake=False)
    site_area = limits.site_area(kind)
    sites = count or 1
    if site_area is not None and area_m2 > sites * site_area + _TOLERANCE_M2:
        raise ValidationError(
            N_(
                "An area of %(area).1f m² is too large for a single stake: %(count)d sites × "
                "%(site).1f m² per site = %(limit).1f m² at most; give the stake range instead."
            ),
            fields={"area_m2": N_("More than a single stake can hold.")},
            area=area_m2,
            count=sites,
            site=site_area,
            limit=sites * site_area,
        )
