"""OpenAPI descriptions of the routes for departments and sites (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi import (
    Operation,
    Param,
    array,
    boolean,
    integer,
    number,
    obj,
    ref,
    string,
)
from inspection.errors import N_
from inspection.sites.kinds import NAME_LENGTH, DepartmentKind, SiteKind

SITE_KINDS = tuple(k.value for k in SiteKind)
DEPARTMENT_KINDS = tuple(k.value for k in DepartmentKind)
DIRECTIONS = ("up", "down", "both")
ACTIVE = Param(
    "active",
    N_("Which to list: true (the default), false or all."),
    string(enum=("true", "false", "all")),
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "Department": obj(
        ("id", "name", "kind", "kind_label", "active"),
        id=integer(),
        name=string(),
        kind=string(enum=DEPARTMENT_KINDS),
        kind_label=string(),
        active=boolean(),
    ),
    "DepartmentList": obj(("departments",), departments=array(ref("Department"))),
    "DepartmentInput": {
        **obj(
            ("name",),
            name=string(minLength=1, maxLength=NAME_LENGTH),
            kind=string(enum=DEPARTMENT_KINDS),
        ),
        "example": {"name": "乌鲁木齐养护工区", "kind": "maintenance_area"},
    },
    "Site": obj(
        (
            "id",
            "name",
            "kind",
            "kind_label",
            "lon",
            "lat",
            "road",
            "direction",
            "stake",
            "department",
            "note",
            "active",
        ),
        id=integer(),
        name=string(),
        kind=string(enum=SITE_KINDS),
        kind_label=string(),
        lon=number(),
        lat=number(),
        road=string(nullable=True),
        direction=string(nullable=True),
        stake=string(nullable=True),
        department=obj(("id", "name"), nullable=True, id=integer(), name=string()),
        note=string(),
        active=boolean(),
        distance_m=number(description=N_("Metres from the `near` point (only when it was given).")),
    ),
    "SiteList": obj(("sites",), sites=array(ref("Site"))),
    "SiteInput": {
        **obj(
            ("name", "kind"),
            name=string(minLength=1, maxLength=NAME_LENGTH),
            kind=string(enum=SITE_KINDS),
            lon=number(minimum=-180, maximum=180),
            lat=number(minimum=-90, maximum=90),
            road=string(maxLength=16),
            direction=string(enum=DIRECTIONS),
            stake=string(maxLength=40),
            department_id=integer(nullable=True, minimum=1),
            note=string(maxLength=2000),
        ),
        "description": N_(
            "The place is lon and lat, or road, direction and stake, or both (then the point is "
            "lon and lat, and the road and stake are kept with it)."
        ),
        "example": {
            "name": "柴窝堡收费站",
            "kind": "toll_station",
            "road": "G30",
            "direction": "up",
            "stake": "K3510+000",
            "note": "示例",
        },
    },
    "SiteChanges": {
        **obj(
            name=string(minLength=1, maxLength=NAME_LENGTH),
            kind=string(enum=SITE_KINDS),
            lon=number(minimum=-180, maximum=180),
            lat=number(minimum=-90, maximum=90),
            road=string(maxLength=16),
            direction=string(enum=DIRECTIONS),
            stake=string(maxLength=40),
            department_id=integer(nullable=True, minimum=1),
            note=string(maxLength=2000),
            active=boolean(),
        ),
        "description": N_(
            "Only the fields sent change. The place changes as a whole: sending any of lon, lat, "
            "road, direction or stake clears the others not sent."
        ),
        "example": {"note": "夜间值班电话 0991-0000000"},
    },
}

OPERATIONS: dict[str, Operation] = {
    "api.list_sites": Operation(
        N_("List the sites, by name or nearest first from a point"),
        "SiteList",
        params=(
            Param("kind", N_("Kind of site."), string(enum=SITE_KINDS)),
            Param(
                "department_id",
                N_("Owning department's id."),
                integer(minimum=1, maximum=2_147_483_647),
            ),
            Param(
                "near",
                N_("lon,lat: nearest first, with distance_m."),
                string(),
                example="87.62,43.86",
            ),
            Param(
                "limit",
                N_("At most this many sites (default 100)."),
                integer(minimum=1, maximum=1000),
            ),
            ACTIVE,
        ),
    ),
    "api.site": Operation(N_("A site"), "Site"),
    "api.create_site": Operation(N_("Create a site"), "Site", status=201, body="SiteInput"),
    "api.update_site": Operation(
        N_("Change a site, or deactivate it (active: false)"), "Site", body="SiteChanges"
    ),
    "api.list_departments": Operation(
        N_("List the departments"), "DepartmentList", params=(ACTIVE,)
    ),
    "api.create_department": Operation(
        N_("Create a department"), "Department", status=201, body="DepartmentInput"
    ),
}
