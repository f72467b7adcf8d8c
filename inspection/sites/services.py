"""Departments and sites: create, change, deactivate (never delete), and import from a file.

A site's point comes from its longitude and latitude (WGS84), or from a road, direction and stake
on the stored network; when both are given the point is the longitude and latitude, and the road
and stake are checked and kept with it. Every check is made before anything is written, and all
that is wrong is reported at once (`ValidationError.fields`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import Point
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from inspection.errors import N_, DomainError, NotFound, ValidationError
from inspection.geo import from_db, to_db
from inspection.network import services as network
from inspection.network.models import Road
from inspection.network.stakes import format_stake, parse_stake
from inspection.sites.importing import NOTE_LENGTH, LineProblems, Problem, SiteFile, SiteRow
from inspection.sites.kinds import NAME_LENGTH, DepartmentKind, SiteKind
from inspection.sites.models import Department, Site

SOME_FIELDS = N_("Some fields are not valid.")


def _raise(problems: list[Problem]) -> None:
    """Raise one ValidationError naming every field with a problem (first problem per field)."""
    if not problems:
        return
    fields: dict[str, str] = {}
    for problem in problems:
        fields.setdefault(problem.field, problem.message)
    first = problems[0]
    if len(problems) == 1 and first.detail:
        raise ValidationError(first.detail, fields=fields, **dict(first.params))
    raise ValidationError(SOME_FIELDS, fields=fields)


def _name_problem(name: str) -> Problem | None:
    if not name:
        return Problem("name", N_("Give the name."))
    if len(name) > NAME_LENGTH:
        return Problem("name", N_("At most 128 characters."))
    return None


# --------------------------------------------------------------------------- departments


def get_department(session: Session, department_id: int) -> Department:
    """Return a department by id, or raise NotFound."""
    department = session.get(Department, department_id) if 0 < department_id < 2**31 else None
    if department is None:
        raise NotFound(N_("There is no such department."))
    return department


def _department_problems(
    session: Session, name: str, kind: Any, department: Department | None
) -> list[Problem]:
    problems = []
    name_problem = _name_problem(name)
    if name_problem is not None:
        problems.append(name_problem)
    else:
        taken = select(Department.id).where(func.lower(Department.name) == name.lower())
        if department is not None and department.id is not None:
            taken = taken.where(Department.id != department.id)
        if session.scalar(taken.limit(1)) is not None:
            problems.append(
                Problem(
                    "name",
                    N_("Another department has this name."),
                    N_("There is already a department named %(name)s."),
                    {"name": name},
                )
            )
    if kind not in tuple(DepartmentKind):
        problems.append(Problem("kind", N_("Not one of the allowed values.")))
    return problems


def create_department(session: Session, *, name: str, kind: str, actor: Any = None) -> Department:
    """Create a department (unique name of at most 128 characters, a DepartmentKind)."""
    name = (name or "").strip()
    _raise(_department_problems(session, name, kind, None))
    department = Department(name=name, kind=str(kind), active=True)
    session.add(department)
    session.flush()
    return department


def update_department(
    session: Session,
    department: Department,
    *,
    name: str,
    kind: str,
    active: bool = True,
    actor: Any = None,
) -> Department:
    """Rename a department, change its kind, deactivate or reactivate it."""
    name = (name or "").strip()
    _raise(_department_problems(session, name, kind, department))
    department.name = name
    department.kind = str(kind)
    department.active = bool(active)
    session.flush()
    return department


def deactivate_department(session: Session, department: Department, *, actor: Any = None):
    """Deactivate a department: kept for the records naming it, no longer offered."""
    department.active = False
    session.flush()
    return department


# --------------------------------------------------------------------------- sites


@dataclass(frozen=True)
class SiteInput:
    """What a site is made of, as a form, the API or a line of a file gives it."""

    name: str
    kind: str | None
    lon: float | None = None
    lat: float | None = None
    road: str = ""
    direction: str | None = None
    stake: str = ""
    department_id: int | None = None
    note: str = ""
    active: bool = True


@dataclass(frozen=True)
class Placement:
    """A checked site: where it is and who owns it, ready to be written."""

    point: Point
    road: Road | None
    chainage: float | None
    department: Department | None


def get_site(session: Session, site_id: int) -> Site:
    """Return a site by id, or raise NotFound."""
    site = session.get(Site, site_id) if 0 < site_id < 2**31 else None
    if site is None:
        raise NotFound(N_("There is no such site."))
    return site


def _stake_text(chainage: float | None) -> str:
    if chainage is None:
        return ""
    return format_stake(chainage, 1 if chainage % 1 else 0)


def site_input_of(site: Site) -> SiteInput:
    """Return a stored site as an input (what an edit form starts from)."""
    point = from_db(site.geom)
    return SiteInput(
        name=site.name,
        kind=site.kind,
        lon=point.x,
        lat=point.y,
        road=site.road.code if site.road else "",
        direction=site.road.direction if site.road else None,
        stake=_stake_text(site.chainage),
        department_id=site.department_id,
        note=site.note,
        active=site.active,
    )


def _coordinates(data: SiteInput, problems: list[Problem]) -> tuple[float, float] | None:
    if data.lon is None and data.lat is None:
        return None
    if data.lon is None or data.lat is None:
        problems.append(
            Problem("lat" if data.lat is None else "lon", N_("Give both longitude and latitude."))
        )
        return None
    lon, lat = float(data.lon), float(data.lat)
    good = True
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        problems.append(Problem("lon", N_("Longitude must lie between -180 and 180.")))
        good = False
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        problems.append(Problem("lat", N_("Latitude must lie between -90 and 90.")))
        good = False
    return (lon, lat) if good else None


def _road_and_stake(
    session: Session,
    data: SiteInput,
    near: tuple[float, float] | None,
    problems: list[Problem],
) -> tuple[Road, float, Point] | None:
    road_code, stake = (data.road or "").strip(), (data.stake or "").strip()
    if not road_code and not stake:
        return None
    if not road_code:
        problems.append(Problem("road", N_("Give the road the stake is on.")))
        return None
    if not stake:
        problems.append(Problem("stake", N_("Give the stake on the road.")))
        return None
    if data.direction is not None and data.direction not in ("up", "down", "both"):
        problems.append(Problem("direction", N_("Not one of the allowed values.")))
        return None
    try:
        road = network.get_road(session, road_code, data.direction)
    except NotFound as error:
        problems.append(Problem("road", N_("No road has this code."), error.message, error.params))
        return None
    except ValidationError as error:  # several carriageways and no direction
        problems.append(
            Problem("direction", N_("Choose a direction."), error.message, error.params)
        )
        return None
    try:
        chainage = parse_stake(stake)
    except ValidationError as error:
        detail, params = error.message, error.params
        problems.append(Problem("stake", N_("Write the stake like K12+345."), detail, params))
        return None
    try:
        position = network.position_of_stake(session, road, chainage, near=near)
    except DomainError as error:
        problems.append(
            Problem("stake", N_("The stake is not on this road."), error.message, error.params)
        )
        return None
    return road, chainage, Point(position.lon, position.lat)


def _department_of(
    session: Session, department_id: int | None, site: Site | None, problems: list[Problem]
) -> Department | None:
    if department_id is None:
        return None
    department = None
    if isinstance(department_id, int) and 0 < department_id < 2**31:
        department = session.get(Department, department_id)
    # A site keeps the department it has even after that department was deactivated.
    keeps = site is not None and site.department_id == department_id
    if department is None or not (department.active or keeps):
        problems.append(Problem("department_id", N_("Choose an active department from the list.")))
        return None
    return department


def check_site(
    session: Session, data: SiteInput, *, site: Site | None = None
) -> tuple[Placement | None, list[Problem]]:
    """Check a site's input against the rules and the database without writing anything."""
    problems: list[Problem] = []
    name = (data.name or "").strip()
    name_problem = _name_problem(name)
    if name_problem is not None:
        problems.append(name_problem)
    else:
        taken = select(Site.id).where(func.lower(Site.name) == name.lower())
        if site is not None and site.id is not None:
            taken = taken.where(Site.id != site.id)
        if session.scalar(taken.limit(1)) is not None:
            problems.append(
                Problem(
                    "name",
                    N_("Another site has this name."),
                    N_("There is already a site named %(name)s."),
                    {"name": name},
                )
            )
    if data.kind not in tuple(SiteKind):
        problems.append(Problem("kind", N_("Not one of the allowed values.")))
    if len(data.note or "") > NOTE_LENGTH:
        problems.append(Problem("note", N_("Too long.")))
    department = _department_of(session, data.department_id, site, problems)
    coordinates = _coordinates(data, problems)
    located = _road_and_stake(session, data, coordinates, problems)
    point = None
    if coordinates is not None:
        point = Point(*coordinates)
    elif located is not None:
        point = located[2]
    elif not any(p.field in ("lon", "lat", "road", "stake", "direction") for p in problems):
        problems.append(Problem("lon", N_("Give the longitude and latitude, or a road and stake.")))
    if problems or point is None:
        return None, problems
    road, chainage = (located[0], located[1]) if located else (None, None)
    return Placement(point, road, chainage, department), problems


def _write(site: Site, data: SiteInput, placement: Placement) -> None:
    site.name = data.name.strip()
    site.kind = str(data.kind)
    site.geom = to_db(placement.point)
    site.road = placement.road
    site.road_id = placement.road.id if placement.road else None
    site.chainage = placement.chainage
    site.department = placement.department
    site.department_id = placement.department.id if placement.department else None
    site.note = (data.note or "").strip()
    site.active = bool(data.active)


def create_site(session: Session, data: SiteInput, *, actor: Any = None) -> Site:
    """Create a site; raise ValidationError naming every bad field."""
    placement, problems = check_site(session, data)
    _raise(problems)
    site = Site()
    _write(site, data, placement)  # type: ignore[arg-type]
    session.add(site)
    session.flush()
    return site


def update_site(session: Session, site: Site, data: SiteInput, *, actor: Any = None) -> Site:
    """Change a site (all of it: start from `site_input_of`); raise ValidationError if bad."""
    placement, problems = check_site(session, data, site=site)
    _raise(problems)
    _write(site, data, placement)  # type: ignore[arg-type]
    session.flush()
    _move_hazards(session, site)
    return site


def _move_hazards(session: Session, site: Site) -> None:
    """Give the site's hazards its (new) point: their geometry is derived from the site's."""
    from inspection.hazards.models import Hazard  # hazards depend on sites, not the reverse

    session.execute(
        update(Hazard)
        .where(Hazard.site_id == site.id)
        .values(geom=site.geom)
        .execution_options(synchronize_session=False)
    )


def deactivate_site(session: Session, site: Site, *, actor: Any = None) -> Site:
    """Deactivate a site: kept for the hazards and inspections at it, no longer offered."""
    site.active = False
    session.flush()
    return site


# --------------------------------------------------------------------------- import


@dataclass
class ImportReport:
    """What an import did (or would have done): per line created/updated/unchanged, or why not."""

    unit: str = "line"
    created: list[tuple[int, str]] = field(default_factory=list)
    updated: list[tuple[int, str]] = field(default_factory=list)
    unchanged: list[tuple[int, str]] = field(default_factory=list)
    problems: list[LineProblems] = field(default_factory=list)
    blank_lines: int = 0
    saved: bool = False

    @property
    def lines_read(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged) + len(self.problems)

    def outcomes(self) -> list[tuple[int, str, str]]:
        """Return (line, name, created/updated/unchanged) by line."""
        rows = [(line, name, "created") for line, name in self.created]
        rows += [(line, name, "updated") for line, name in self.updated]
        rows += [(line, name, "unchanged") for line, name in self.unchanged]
        return sorted(rows)


def _same(site: Site, data: SiteInput, placement: Placement) -> bool:
    chainage_same = (site.chainage is None and placement.chainage is None) or (
        site.chainage is not None
        and placement.chainage is not None
        and abs(site.chainage - placement.chainage) < 1e-6
    )
    return (
        site.active
        and site.name == data.name
        and site.kind == data.kind
        and site.note == data.note
        and site.department_id == (placement.department.id if placement.department else None)
        and site.road_id == (placement.road.id if placement.road else None)
        and chainage_same
        and from_db(site.geom).equals_exact(placement.point, 1e-9)
    )


def _department_by_name(
    departments: dict[str, Department], row: SiteRow, problems: list[Problem]
) -> int | None:
    if not row.department:
        return None
    department = departments.get(row.department.lower())
    if department is None:
        problems.append(
            Problem(
                "department",
                N_("No department has this name."),
                N_("There is no department %(name)s; create it first."),
                {"name": row.department},
            )
        )
        return None
    if not department.active:
        problems.append(
            Problem(
                "department",
                N_("The department is no longer active."),
                N_("The department %(name)s is no longer active."),
                {"name": department.name},
            )
        )
        return None
    return department.id


def import_sites(session: Session, parsed: SiteFile, *, actor: Any = None) -> ImportReport:
    """Create or update the sites of a file, all or nothing: one bad line and nothing is saved.

    A site is matched by name (ignoring case): an existing one is updated (and reactivated),
    or left alone when nothing differs.
    """
    report = ImportReport(unit=parsed.unit, blank_lines=parsed.blank_lines)
    report.problems = list(parsed.problems)
    moved: list[Site] = []
    departments = {d.name.lower(): d for d in session.scalars(select(Department))}
    existing = {s.name.lower(): s for s in session.scalars(select(Site))}
    first_line: dict[str, int] = {}
    planned: list[tuple[SiteRow, SiteInput, Placement, Site | None]] = []
    for row in parsed.rows:
        problems: list[Problem] = []
        key = row.name.lower()
        if key in first_line:
            problems.append(
                Problem(
                    "name",
                    N_("The name is used twice in the file."),
                    N_("The name %(name)s is also on line %(line)d."),
                    {"name": row.name, "line": first_line[key]},
                )
            )
        else:
            first_line[key] = row.line
        department_id = _department_by_name(departments, row, problems)
        data = SiteInput(
            name=row.name,
            kind=row.kind,
            lon=row.lon,
            lat=row.lat,
            road=row.road,
            direction=row.direction,
            stake=row.stake,
            department_id=department_id,
            note=row.note,
        )
        site = existing.get(key)
        placement, found = check_site(session, data, site=site)
        problems += found
        if problems or placement is None:
            report.problems.append(LineProblems(row.line, tuple(problems)))
            continue
        planned.append((row, data, placement, site))
    report.problems.sort(key=lambda p: p.line)
    if report.problems:
        return report
    for row, data, placement, site in planned:
        if site is not None and _same(site, data, placement):
            report.unchanged.append((row.line, row.name))
            continue
        if site is None:
            site = Site()
            session.add(site)
            report.created.append((row.line, row.name))
        else:
            report.updated.append((row.line, row.name))
        _write(site, data, placement)
        moved.append(site)
    session.flush()
    for site in moved:
        _move_hazards(session, site)
    report.saved = True
    return report
