"""Read a file of sites — CSV or GeoJSON — into checked rows and per-line problems.

Pure module: no Flask, no database. Whether a road, a stake on it or a department exists, and
whether a name is already taken, is the services' part (``services.import_sites``).

Decisions:

* A CSV file is UTF-8 (with or without a byte-order mark); Excel in China saves "CSV" as GBK, so a
  file that is not UTF-8 is read as GB18030 (a superset of GBK). A GeoJSON file is a
  FeatureCollection of Point features (a feature without geometry takes its place from its road
  and stake); its properties have the CSV's column names.
* Headers are matched case-insensitively, ignoring spaces, ``_`` and ``-``, in English or Chinese
  (:data:`COLUMNS`); unknown columns are ignored; ``name`` and ``kind`` columns are required.
* Line numbers are the file's own: the CSV header is line 1 (a quoted cell spanning lines counts
  them all, as a text editor does); GeoJSON features are numbered from 1. Blank lines are skipped.
* The kind is the code (``toll_station``), the English label or a Chinese word (``收费站``).
* The place is the longitude and latitude (WGS84), or a road, direction and stake, or both (then
  the point is the longitude and latitude and the road and stake are kept with it).
* At most :data:`MAX_BYTES` bytes and :data:`MAX_ROWS` rows: a larger file is refused whole.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from inspection.errors import N_, ValidationError
from inspection.imports import (  # Problem, LineProblems: re-exported for the site services
    DIRECTION_WORDS,
    LineProblems,
    Problem,
    check_size,
    csv_lines,
    decode_text,
    table_rows,
    word_key,
)
from inspection.inputs import MAX_DEPTH, json_depth
from inspection.network.stakes import parse_stake
from inspection.sites.kinds import NAME_LENGTH, SITE_KIND_LABELS, SiteKind

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
NOTE_LENGTH = 2000
DIRECTIONS = ("up", "down", "both")

# --------------------------------------------------------------------------- words


#: Column → the headers (and GeoJSON property names) that name it; the first English and first
#: Chinese one are what the template writes.
COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "name": ("name", "名称", "站点名称", "场所名称", "site"),
        "kind": ("kind", "类型", "站点类型", "场所类型", "type"),
        "lon": ("lon", "经度", "longitude", "lng", "x"),
        "lat": ("lat", "纬度", "latitude", "y"),
        "road": ("road", "路线", "路线编号", "road code"),
        "direction": ("direction", "方向", "行车方向", "上下行"),
        "stake": ("stake", "桩号", "中心桩号"),
        "department": ("department", "所属部门", "部门", "管理部门", "责任单位"),
        "note": ("note", "备注", "说明"),
    }
)
REQUIRED_COLUMNS = ("name", "kind")
_COLUMN_BY_HEADER = {
    word_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases
}

_KIND_WORDS: dict[str, SiteKind] = {
    "收费站": SiteKind.toll_station,
    "服务区": SiteKind.service_area,
    "停车区": SiteKind.service_area,
    "养护工区": SiteKind.maintenance_depot,
    "工区": SiteKind.maintenance_depot,
    "道班": SiteKind.maintenance_depot,
    "养护站": SiteKind.maintenance_depot,
    "机修车间": SiteKind.machinery_workshop,
    "机务车间": SiteKind.machinery_workshop,
    "机械车间": SiteKind.machinery_workshop,
    "办公楼": SiteKind.office,
    "办公室": SiteKind.office,
    "食堂": SiteKind.office,
    "宿舍": SiteKind.office,
    "办公及生活场所": SiteKind.office,
    "办公楼、食堂或宿舍": SiteKind.office,
    "隧道": SiteKind.tunnel,
    "桥梁": SiteKind.bridge,
    "桥": SiteKind.bridge,
    "其他": SiteKind.other,
    "其他场所": SiteKind.other,
    **{label: kind for kind, label in SITE_KIND_LABELS.items()},
    **{kind.value: kind for kind in SiteKind},
}
_KIND_WORDS = {word_key(word): kind for word, kind in _KIND_WORDS.items()}


def kind_word(text: Any) -> str | None:
    """Return the site kind a cell names (code, English label or Chinese word), or None."""
    found = _KIND_WORDS.get(word_key(_text(text)))
    return str(found) if found is not None else None


def direction_word(text: Any) -> str | None:
    """Return up/down/both for a cell (上行, 下行, 双向 too); None for an empty or unknown one."""
    return DIRECTION_WORDS.get(word_key(_text(text)))


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class SiteRow:
    """One line of a file, read and checked on its own (not yet against the database)."""

    line: int
    name: str
    kind: str
    lon: float | None = None
    lat: float | None = None
    road: str = ""
    direction: str | None = None
    stake: str = ""
    department: str = ""
    note: str = ""


@dataclass
class SiteFile:
    """The rows of a file, the lines refused, and what a line is called (line or feature)."""

    rows: list[SiteRow] = field(default_factory=list)
    problems: list[LineProblems] = field(default_factory=list)
    blank_lines: int = 0
    unit: str = "line"  # "feature" for GeoJSON


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _coordinate(value: Any, name: str, low: float, high: float, problems: list[Problem]):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        number = math.nan
    elif isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(_text(value))
        except ValueError:
            number = math.nan
    if not math.isfinite(number):
        problems.append(Problem(name, N_("Enter a number.")))
        return None
    if not low <= number <= high:
        problems.append(
            Problem(
                name,
                N_("Longitude must lie between -180 and 180.")
                if name == "lon"
                else N_("Latitude must lie between -90 and 90."),
            )
        )
        return None
    return number


def read_row(line: int, cells: Mapping[str, Any]) -> SiteRow | LineProblems:
    """Read one line (column name → cell value) into a row, or say everything wrong with it."""
    problems: list[Problem] = []
    name = _text(cells.get("name"))
    if not name:
        problems.append(Problem("name", N_("Give the name.")))
    elif len(name) > NAME_LENGTH:
        problems.append(Problem("name", N_("At most 128 characters.")))
    kind_text = _text(cells.get("kind"))
    kind = kind_word(kind_text)
    if not kind_text:
        problems.append(Problem("kind", N_("Give the kind of site.")))
    elif kind is None:
        problems.append(
            Problem(
                "kind",
                N_("Not one of the allowed values."),
                N_("Unknown kind of site %(kind)s."),
                {"kind": kind_text[:40]},
            )
        )
    lon = _coordinate(cells.get("lon"), "lon", -180, 180, problems)
    lat = _coordinate(cells.get("lat"), "lat", -90, 90, problems)
    lon_given, lat_given = bool(_text(cells.get("lon"))), bool(_text(cells.get("lat")))
    if lon_given != lat_given:
        missing = "lat" if lon_given else "lon"
        problems.append(Problem(missing, N_("Give both longitude and latitude.")))
    road = _text(cells.get("road")).upper()
    if len(road) > 16:
        problems.append(Problem("road", N_("Too long.")))
    direction_text = _text(cells.get("direction"))
    direction = direction_word(direction_text)
    if direction_text and direction is None:
        problems.append(Problem("direction", N_("Write up, down or both (上行, 下行, 双向).")))
    stake = _text(cells.get("stake"))
    if stake:
        try:
            parse_stake(stake[:40])
        except ValidationError as error:
            problems.append(
                Problem("stake", N_("Write the stake like K12+345."), error.message, error.params)
            )
        if not road:
            problems.append(Problem("road", N_("Give the road the stake is on.")))
    elif road:
        problems.append(Problem("stake", N_("Give the stake on the road.")))
    if not (lon_given or lat_given or stake):
        problems.append(Problem("lon", N_("Give the longitude and latitude, or a road and stake.")))
    department = _text(cells.get("department"))
    if len(department) > NAME_LENGTH:
        problems.append(Problem("department", N_("At most 128 characters.")))
    note = _text(cells.get("note"))
    if len(note) > NOTE_LENGTH:
        problems.append(Problem("note", N_("Too long.")))
    if problems:
        return LineProblems(line, tuple(problems))
    return SiteRow(
        line=line,
        name=name,
        kind=kind,  # type: ignore[arg-type]
        lon=lon,
        lat=lat,
        road=road,
        direction=direction,
        stake=stake,
        department=department,
        note=note,
    )


def _columns(header: Iterable[Any]) -> dict[int, str]:
    """Return cell position → column name for the header cells that name a column."""
    found: dict[int, str] = {}
    for position, cell in enumerate(header):
        name = _COLUMN_BY_HEADER.get(word_key(_text(cell)))
        if name is not None and name not in found.values():
            found[position] = name
    missing = [name for name in REQUIRED_COLUMNS if name not in found.values()]
    if missing:
        raise ValidationError(
            N_("The first line must be the header; these columns are missing: %(columns)s."),
            fields={"file": N_("The header is incomplete.")},
            columns=", ".join(missing),
        )
    return found


def _too_many() -> ValidationError:
    return ValidationError(
        N_("The file has more than %(limit)d sites; split it into smaller files."),
        fields={"file": N_("Too many lines.")},
        limit=MAX_ROWS,
    )


def read_lines(lines: Iterable[tuple[int, list[Any]]]) -> SiteFile:
    """Read (line number, cells) of a table whose first non-blank line is the header."""
    result = SiteFile()
    for line, named in table_rows(
        lines,
        _columns,
        text=_text,
        max_rows=MAX_ROWS,
        empty=_empty,
        too_many=_too_many,
    ):
        if named is None:
            result.blank_lines += 1
        else:
            _add(result, read_row(line, named))
    return result


def _empty() -> ValidationError:
    return ValidationError(N_("The file is empty."), fields={"file": N_("The file is empty.")})


def _add(result: SiteFile, read: SiteRow | LineProblems) -> None:
    (result.problems if isinstance(read, LineProblems) else result.rows).append(read)


def _not_geojson() -> ValidationError:
    return ValidationError(
        N_("The file is not a GeoJSON FeatureCollection."),
        fields={"file": N_("The file cannot be read as GeoJSON.")},
    )


def read_geojson(data: bytes) -> SiteFile:
    """Read a GeoJSON FeatureCollection of Point features; features are numbered from 1."""
    if json_depth(data) > MAX_DEPTH:  # before parsing: 100,000 brackets are no site list
        raise ValidationError(
            N_("The file nests more than %(depth)d levels deep: it is no list of sites."),
            fields={"file": N_("The file cannot be read as GeoJSON.")},
            depth=MAX_DEPTH,
        )
    try:
        document = json.loads(decode_text(data))
    except ValueError:
        raise _not_geojson() from None
    if not isinstance(document, dict) or not isinstance(document.get("features"), list):
        raise _not_geojson()
    features = document["features"]
    if len(features) > MAX_ROWS:
        raise _too_many()
    result = SiteFile(unit="feature")
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            result.problems.append(
                LineProblems(number, (Problem("file", N_("Not a GeoJSON feature.")),))
            )
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        cells: dict[str, Any] = {}
        for key, value in properties.items():
            column = _COLUMN_BY_HEADER.get(word_key(_text(key)))
            if column is not None and column not in cells and not isinstance(value, dict | list):
                cells[column] = value
        geometry = feature.get("geometry")
        point_problem = None
        if geometry is not None:
            coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
            if (
                not isinstance(geometry, dict)
                or geometry.get("type") != "Point"
                or not isinstance(coordinates, list)
                or len(coordinates) < 2
            ):
                point_problem = Problem("lon", N_("The geometry must be a Point."))
            else:
                cells["lon"], cells["lat"] = coordinates[0], coordinates[1]
        read = read_row(number, cells)
        if point_problem is not None:
            earlier = read.problems if isinstance(read, LineProblems) else ()
            earlier = tuple(p for p in earlier if p.field != "lon")  # the geometry says it all
            read = LineProblems(number, (point_problem, *earlier))
        _add(result, read)
    return result


def read_upload(data: bytes, filename: str) -> SiteFile:
    """Read an uploaded file of sites (.csv, .txt, .geojson or .json)."""
    check_size(data, MAX_BYTES)
    name = (filename or "").lower()
    if name.endswith((".geojson", ".json")):
        return read_geojson(data)
    if name.endswith((".csv", ".txt")):
        return read_lines(csv_lines(data))
    raise ValidationError(
        N_("Upload the sites as .csv or .geojson."),
        fields={"file": N_("Choose a .csv or .geojson file.")},
    )


def template_header(chinese: bool) -> list[str]:
    """Return the header line of the CSV template, in Chinese or English."""
    index = 1 if chinese else 0
    return [COLUMNS[name][index] for name in COLUMNS]
