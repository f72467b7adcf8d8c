"""OpenAPI descriptions of the routes for departments and sites (merged by `openapi.py`)."""

from __future__ import annotations

from typing import Any

from inspection.api.openapi_parts import (
    Operation,
    array,
    boolean,
    integer,
    number,
    obj,
    ref,
    string,
)
from inspection.errors import N_
from inspection.sites import schemas
from inspection.sites.kinds import DepartmentKind, SiteKind

SITE_KINDS = tuple(k.value for k in SiteKind)
DEPARTMENT_KINDS = tuple(k.value for k in DepartmentKind)

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
}

# Request bodies: the models the routes read (merged into `openapi.INPUT_MODELS`).
INPUT_MODELS = {
    "DepartmentInput": schemas.DepartmentBody,
    "SiteInput": schemas.SiteBody,
    "SiteChanges": schemas.SiteChangesBody,
}
EXAMPLES = {
    "DepartmentInput": {"name": "乌鲁木齐养护工区", "kind": "maintenance_area"},
    "SiteInput": {
        "name": "柴窝堡收费站",
        "kind": "toll_station",
        "road": "G30",
        "direction": "up",
        "stake": "K3510+000",
        "note": "示例",
    },
    "SiteChanges": {"note": "夜间值班电话 0991-0000000"},
}

OPERATIONS: dict[str, Operation] = {
    "api.list_sites": Operation(
        N_("List the sites, by name or nearest first from a point"),
        "SiteList",
        params=schemas.SitesQuery,
    ),
    "api.site": Operation(N_("A site"), "Site"),
    "api.create_site": Operation(N_("Create a site"), "Site", status=201, body="SiteInput"),
    "api.update_site": Operation(
        N_("Change a site, or deactivate it (active: false)"), "Site", body="SiteChanges"
    ),
    "api.list_departments": Operation(
        N_("List the departments"), "DepartmentList", params=schemas.ActiveQuery
    ),
    "api.create_department": Operation(
        N_("Create a department"), "Department", status=201, body="DepartmentInput"
    ),
}
