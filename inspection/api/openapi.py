"""The OpenAPI 3.0 document of /api/v1/, built from the app's URL map, and its docs page.

Paths, methods and path parameters come from the routes themselves, so a route can never be left
out or outlive its description. What a route cannot tell — its summary, query parameters, request
body and answer — is one entry of ``OPERATIONS`` below, keyed by endpoint name; a route without an
entry still appears (with its docstring) and ``missing_descriptions`` names it, which a test checks.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, current_app, jsonify, url_for
from flask_babel import gettext
from pydantic import BaseModel

from inspection.api import params as query_models
from inspection.api.hazards import HazardsQuery
from inspection.api.openapi_docs import render_docs
from inspection.api.openapi_examples import EXAMPLES
from inspection.api.openapi_models import (
    COMPONENT_NAMES,
    model_components,
    query_parameters,
)
from inspection.api.openapi_parts import (
    ANY_OBJECT,
    DIRECTIONS,
    ERROR_WORDS,
    JSON,
    PREFIX,
    READ_ERRORS,
    WRITE_ERRORS,
    Operation,
    array,
    boolean,
    integer,
    number,
    obj,
    page_of,
    ref,
    string,
)
from inspection.api.schemas import VoidBody
from inspection.api.surveys import SurveyRecordBody
from inspection.api.views import TokenBody, bp
from inspection.errors import N_
from inspection.hazards import schemas as hazard_schemas
from inspection.hazards.workflow import HazardSource, HazardState, LocationType
from inspection.patrols import schemas as patrol_schemas
from inspection.patrols.kinds import FINDING_KINDS, FINDING_STATUSES, PATROL_KINDS
from inspection.repairs import schemas as repair_schemas
from inspection.repairs.rules import REPAIR_KINDS
from inspection.web import public

SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": obj(
        ("error",),
        error=obj(
            ("code", "message", "fields"),
            code=string(),
            message=string(),
            fields={"type": "object", "additionalProperties": {"type": "string"}},
        ),
    ),
    "Geometry": obj(("type",), type=string(), coordinates={}),
    "Photo": obj(
        ("uuid", "stage", "url", "thumbnail_url"),
        uuid=string(fmt="uuid"),
        stage=string(),
        sha256=string(),
        width=integer(),
        height=integer(),
        url=string(),
        thumbnail_url=string(),
        exif_taken_at=string(nullable=True),
        exif_lon=number(nullable=True),
        exif_lat=number(nullable=True),
    ),
    "Me": obj(
        ("username", "name", "roles", "csrf_token"),
        username=string(),
        name=string(),
        roles=array(string()),
        csrf_token=string(),
    ),
    "Token": obj(("id", "token"), id=integer(), token=string(), name=string(nullable=True)),
    "RevokedToken": obj(("id", "revoked_at"), id=integer(), revoked_at=string(fmt="date-time")),
    "RoadSummary": obj(
        ("code", "direction", "start_stake", "end_stake"),
        code=string(),
        name=string(),
        direction=string(enum=DIRECTIONS),
        road_class=string(),
        start_stake=string(),
        end_stake=string(),
        start_chainage=number(),
        end_chainage=number(),
        length_m=number(),
        chain_breaks={},
    ),
    "RoadDetail": {
        "allOf": [
            ref("RoadSummary"),
            obj(
                ("geometry", "calibration_points", "chain_breaks"),
                geometry_version=integer(),
                geometry=ref("Geometry"),
                calibration_points=array(obj(stake=string(), chainage=number(), measure=number())),
                chain_breaks=array(
                    obj(
                        kind=string(enum=("long", "short")),
                        back_stake=string(),
                        ahead_stake=string(),
                        back_chainage=number(),
                        ahead_chainage=number(),
                        measure=number(),
                        note=string(),
                    )
                ),
            ),
        ]
    },
    "Position": obj(
        ("road", "direction", "stake", "chainage", "lon", "lat"),
        road=string(),
        direction=string(),
        stake=string(),
        chainage=number(),
        lon=number(),
        lat=number(),
    ),
    "Candidate": obj(
        ("road", "direction", "chainage", "stake"),
        road=string(),
        road_name=string(),
        direction=string(),
        chainage=number(),
        stake=string(),
        offset_m=number(),
        distance_m=number(),
        side=string(nullable=True),
    ),
    "Patrol": obj(
        ("uuid", "road", "direction", "kind", "started_at", "voided"),
        uuid=string(fmt="uuid"),
        road=string(),
        direction=string(),
        kind=string(enum=PATROL_KINDS),
        crew=string(),
        vehicle=string(),
        vehicle_id=integer(nullable=True),
        vehicle_number=string(nullable=True),
        driver_id=integer(nullable=True),
        driver=string(nullable=True),
        weather=string(),
        started_at=string(fmt="date-time"),
        ended_at=string(fmt="date-time", nullable=True),
        start_stake=string(nullable=True),
        end_stake=string(nullable=True),
        patrolled_km=number(nullable=True),
        voided=boolean(),
    ),
    "Finding": obj(
        ("uuid", "kind", "status", "road", "direction", "stake", "geometry", "observed_at"),
        uuid=string(fmt="uuid"),
        patrol_uuid=string(fmt="uuid", nullable=True),
        kind=string(enum=FINDING_KINDS),
        status=string(enum=FINDING_STATUSES),
        item_code=string(nullable=True),
        severity=string(nullable=True),
        quantity=number(nullable=True),
        quantity_unit=string(nullable=True),
        depth_mm=number(nullable=True),
        count=integer(nullable=True),
        note=string(),
        onsite_action=string(),
        road=string(),
        direction=string(),
        side=string(nullable=True),
        lane=string(),
        stake=string(),
        end_stake=string(nullable=True),
        chainage=number(),
        location_source=string(enum=("stake", "gps")),
        gps=obj(
            nullable=True,
            lon=number(),
            lat=number(),
            accuracy=number(nullable=True),
            at=string(nullable=True),
        ),
        offset_m=number(nullable=True),
        geometry=ref("Geometry"),
        observed_at=string(fmt="date-time"),
        created_by=string(),
        voided=boolean(),
        void_reason=string(nullable=True),
        photos=array(ref("Photo"), nullable=True),
    ),
    "SubmittedFinding": {
        "allOf": [ref("Finding"), obj(near_duplicates=array(ref("Finding")))],
    },
    "FindingList": page_of("Finding", "findings"),
    "Hazard": obj(
        ("id", "number", "state", "version", "category", "grade", "road", "overdue"),
        id=integer(),
        uuid=string(fmt="uuid", nullable=True),
        number=string(),
        state=string(enum=[s.value for s in HazardState]),
        version=integer(),
        category=string(),
        grade=string(enum=("general", "major")),
        description=string(),
        source=string(enum=HazardSource),
        source_label=string(),
        inspection_id=integer(nullable=True),
        location_type=string(enum=LocationType),
        road=string(nullable=True),
        direction=string(nullable=True),
        stake=string(nullable=True),
        end_stake=string(nullable=True),
        site=obj(("id", "name", "kind"), nullable=True, id=integer(), name=string(), kind=string()),
        location_note=string(),
        geometry=ref("Geometry"),
        found_at=string(fmt="date-time"),
        found_by=string(),
        interim_measures=string(),
        responsible_unit=obj(("id", "name"), nullable=True, id=integer(), name=string()),
        responsible_person=string(),
        assignee=string(nullable=True),
        measures=string(),
        plan={"type": "object", "nullable": True},
        deadline=string(fmt="date", nullable=True),
        overdue=boolean(),
        days_overdue=integer(),
        closed_at=string(fmt="date-time", nullable=True),
        # Only in the answer to an action sent with its client_uuid (the phone's outbox).
        action_uuid=string(fmt="uuid"),
    ),
    "HazardDetail": {
        "allOf": [
            ref("Hazard"),
            obj(
                ("events", "photos", "available_actions"),
                events=array(
                    obj(
                        seq=integer(),
                        action=string(),
                        from_state=string(nullable=True),
                        to_state=string(),
                        actor=string(),
                        at=string(fmt="date-time"),
                        note=string(),
                        payload=ANY_OBJECT,
                        evidence=array(string()),
                        hash=string(),
                    )
                ),
                photos=array(ref("Photo")),
                available_actions=array(string()),
            ),
        ]
    },
    "HazardList": page_of("Hazard", "hazards"),
    "Repair": obj(
        ("uuid", "kind", "road", "direction", "stake", "completed_on", "voided"),
        uuid=string(fmt="uuid"),
        kind=string(enum=REPAIR_KINDS),
        road=string(),
        direction=string(),
        side=string(nullable=True),
        stake=string(),
        end_stake=string(nullable=True),
        chainage=number(),
        end_chainage=number(nullable=True),
        stake_text=string(),
        geometry=ref("Geometry"),
        geometry_version=integer(),
        completed_on=string(fmt="date"),
        area_m2=number(nullable=True),
        count=integer(nullable=True),
        depth_mm=number(nullable=True),
        materials=array(obj(name=string(), quantity=number(), unit=string())),
        crew=string(),
        method=string(),
        cost_yuan=number(nullable=True),
        note=string(),
        findings=array(string(fmt="uuid")),
        created_by=string(),
        created_at=string(fmt="date-time", nullable=True),
        voided=boolean(),
        void_reason=string(nullable=True),
        photos=array(ref("Photo"), nullable=True),
    ),
    "RepairList": page_of("Repair", "repairs"),
    "SurveyCampaign": obj(
        ("id", "name", "starts_on", "ends_on", "method"),
        id=integer(),
        name=string(),
        starts_on=string(fmt="date"),
        ends_on=string(fmt="date"),
        method=string(),
        unit_length_m=number(),
        note=string(),
        roads=array(ANY_OBJECT),
        units=integer(),
        length_m=number(),
        records=integer(),
        created_by=string(),
    ),
    "SurveyCampaignList": obj(("surveys",), surveys=array(ref("SurveyCampaign"))),
    "SurveyCampaignDetail": {
        "allOf": [ref("SurveyCampaign"), obj(not_measured=array(string()))],
    },
    "FeatureCollection": obj(
        ("type", "features"),
        type=string(enum=("FeatureCollection",)),
        features=array(
            obj(
                ("type", "geometry", "properties"),
                type=string(enum=("Feature",)),
                geometry=ref("Geometry"),
                properties=ANY_OBJECT,
            )
        ),
    ),
    "SurveyRecord": obj(
        ("id", "unit_id", "family", "item_code", "quantity"),
        id=integer(),
        unit_id=integer(),
        family=string(enum=("pavement", "subgrade")),
        item_code=string(),
        severity=string(nullable=True),
        quantity=number(),
        stake=string(nullable=True),
        chainage=number(nullable=True),
        note=string(),
        created_at=string(nullable=True),
        voided=boolean(),
        void_reason=string(nullable=True),
        unit=ANY_OBJECT,
    ),
    "OpenApiDocument": obj(("openapi", "paths"), openapi=string(), paths=ANY_OBJECT),
    # Request bodies.
    "PhotoUpload": obj(
        ("photo", "photo_uuid"),
        photo=string(fmt="binary"),
        photo_uuid=string(fmt="uuid"),
        stage=string(),
        sha256=string(),
        exif_taken_at=string(),
        exif_lon=number(),
        exif_lat=number(),
    ),
}


# --------------------------------------------------------------------------- declared inputs
# A request body or query string read through a declared model (`inspection.inputs`) is shown
# from that model's JSON Schema: the model is the one description of the input.

# component name → the model of a request body
INPUT_MODELS: dict[str, type[BaseModel]] = {
    "GpsFix": patrol_schemas.GpsFixBody,
    "PatrolStart": patrol_schemas.PatrolStartBody,
    "PatrolEnd": patrol_schemas.PatrolEndBody,
    "FindingInput": patrol_schemas.FindingBody,
    "FindingChanges": patrol_schemas.FindingChangesBody,
    "RepairInput": repair_schemas.RepairBody,
    "SurveyRecordInput": SurveyRecordBody,
    "TokenInput": TokenBody,
    "VoidInput": VoidBody,
    "HazardInput": hazard_schemas.HazardBody,
    "HazardActionInput": hazard_schemas.HazardActionBody,
    "HazardPlan": hazard_schemas.PlanBody,
}
COMPONENT_NAMES.update({model.__name__: name for name, model in INPUT_MODELS.items()})


SCHEMAS.update(model_components(INPUT_MODELS))

# Realistic request bodies (openapi_examples.py): documentation, and schemathesis's first cases.
for _name, _example in EXAMPLES.items():
    SCHEMAS[_name]["example"] = _example


OPERATIONS: dict[str, Operation] = {
    "api.openapi": Operation(N_("This OpenAPI document"), "OpenApiDocument"),
    "api.docs": Operation(N_("This document as a web page"), None, media_type="text/html"),
    "api.me": Operation(N_("Who the token or session belongs to"), "Me"),
    "api.issue_token": Operation(
        N_("Issue a new API token for yourself"), "Token", status=201, body="TokenInput"
    ),
    "api.revoke_token": Operation(N_("Revoke one of your API tokens"), "RevokedToken"),
    "api.roads": Operation(N_("List the roads")),
    "api.road": Operation(
        N_("A road with its geometry and chain breaks"),
        "RoadDetail",
        params=query_models.DirectionQuery,
    ),
    "api.road_position": Operation(
        N_("The point of a stake on a road"),
        "Position",
        params=query_models.PositionQuery,
    ),
    "api.locate": Operation(
        N_("The roads and stakes near a GPS fix"),
        None,
        params=query_models.LocateQuery,
    ),
    "api.start_patrol": Operation(
        N_("Start a patrol (idempotent by client_uuid)"),
        "Patrol",
        status=201,
        body="PatrolStart",
        created_or_replayed=True,
    ),
    "api.end_patrol": Operation(N_("End a patrol"), "Patrol", body="PatrolEnd"),
    "api.submit_finding": Operation(
        N_("Record a finding (idempotent by client_uuid)"),
        "SubmittedFinding",
        status=201,
        body="FindingInput",
        created_or_replayed=True,
    ),
    "api.list_findings": Operation(
        N_("List findings, newest first"),
        "FindingList",
        params=query_models.FindingsQuery,
    ),
    "api.nearby_findings": Operation(
        N_("Open findings of a kind near a stake or GPS fix (possible duplicates)"),
        None,
        params=query_models.NearbyQuery,
    ),
    "api.finding": Operation(N_("One finding with its photos"), "Finding"),
    "api.update_finding": Operation(
        N_("Correct a finding's details"), "Finding", body="FindingChanges"
    ),
    "api.void_finding": Operation(N_("Void a finding with a reason"), "Finding", body="VoidInput"),
    "api.upload_finding_photo": Operation(
        N_("Attach a photo to a finding (idempotent by photo_uuid)"),
        "Photo",
        status=201,
        multipart=True,
        created_or_replayed=True,
    ),
    "api.upload_survey_record_photo": Operation(
        N_("Attach a photo to a survey record (idempotent by photo_uuid)"),
        "Photo",
        status=201,
        multipart=True,
        created_or_replayed=True,
    ),
    "api.upload_survey_record_photo_by_uuid": Operation(
        N_("Attach a photo to a survey record named by its client_uuid (idempotent by photo_uuid)"),
        "Photo",
        status=201,
        multipart=True,
        created_or_replayed=True,
    ),
    "api.raise_hazard": Operation(
        N_("Raise a safety hazard (idempotent by client_uuid)"),
        "Hazard",
        status=201,
        body="HazardInput",
        created_or_replayed=True,
    ),
    "api.list_hazards": Operation(
        N_("List hazards, nearest deadline first"),
        "HazardList",
        params=HazardsQuery,
    ),
    "api.hazard": Operation(N_("One hazard with its events, photos and actions"), "HazardDetail"),
    "api.hazard_action": Operation(
        N_(
            "Act on a hazard (assign, submit, verify, reject, reopen…); with client_uuid, "
            "idempotent by it"
        ),
        "Hazard",
        body="HazardActionInput",
    ),
    "api.upload_hazard_photo": Operation(
        N_("Attach an evidence photo to a hazard"),
        "Photo",
        status=201,
        multipart=True,
        created_or_replayed=True,
    ),
    "api.submit_repair": Operation(
        N_("Record a repair (idempotent by client_uuid)"),
        "Repair",
        status=201,
        body="RepairInput",
        created_or_replayed=True,
    ),
    "api.list_repairs": Operation(
        N_("List repairs, newest first"),
        "RepairList",
        params=query_models.RepairsQuery,
    ),
    "api.repair": Operation(N_("One repair with its photos"), "Repair"),
    "api.void_repair": Operation(N_("Void a repair with a reason"), "Repair", body="VoidInput"),
    "api.upload_repair_photo": Operation(
        N_("Attach a photo to a repair"),
        "Photo",
        status=201,
        multipart=True,
        created_or_replayed=True,
    ),
    "api.list_surveys": Operation(N_("List the survey campaigns"), "SurveyCampaignList"),
    "api.survey": Operation(N_("A survey campaign with its road results"), "SurveyCampaignDetail"),
    "api.survey_units": Operation(
        N_("A campaign's units with their indices, as GeoJSON"),
        "FeatureCollection",
        params=query_models.SurveyUnitsQuery,
        media_type="application/geo+json",
    ),
    "api.add_survey_record": Operation(
        N_("Add a distress or subgrade record to a campaign"),
        "SurveyRecord",
        status=201,
        body="SurveyRecordInput",
        created_or_replayed=True,  # a repeated client_uuid answers 200 with the stored record
    ),
}

# Answers whose shape is a list under one key.
# Areas describe their own routes in a module of their own (one per area), merged here.
from inspection.api import (  # noqa: E402
    openapi_briefings,
    openapi_coverage,
    openapi_drivers,
    openapi_inspections,
    openapi_measurements,
    openapi_plan_execution,
    openapi_plans,
    openapi_pretrip_checks,
    openapi_reports,
    openapi_sites,
    openapi_supplies,
    openapi_tracks,
    openapi_vehicle_defects,
    openapi_vehicles,
    openapi_work_zones,
)

for _area in (
    openapi_reports,
    openapi_sites,
    openapi_inspections,
    openapi_tracks,
    openapi_coverage,
    openapi_vehicles,
    openapi_vehicle_defects,
    openapi_drivers,
    openapi_supplies,
    openapi_briefings,
    openapi_pretrip_checks,
    openapi_work_zones,
    openapi_plans,
    openapi_measurements,
    openapi_plan_execution,
):
    SCHEMAS.update(_area.SCHEMAS)
    OPERATIONS.update(_area.OPERATIONS)
    # An area's request bodies are its models too: one description of each input.
    _models = getattr(_area, "INPUT_MODELS", {})
    INPUT_MODELS.update(_models)
    COMPONENT_NAMES.update({model.__name__: name for name, model in _models.items()})
    SCHEMAS.update(model_components(_models))
    for _name, _example in getattr(_area, "EXAMPLES", {}).items():
        SCHEMAS[_name]["example"] = _example

LIST_ANSWERS = {
    "api.roads": obj(("roads",), roads=array(ref("RoadSummary"))),
    "api.locate": obj(("candidates",), candidates=array(ref("Candidate"))),
    "api.nearby_findings": obj(("findings",), findings=array(ref("Finding"))),
}

# --------------------------------------------------------------------------- building

_ARGUMENT = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>.*?)\))?:)?"
    r"(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>"
)


def _path_and_parameters(rule: str) -> tuple[str, list[dict[str, Any]]]:
    """Turn a Werkzeug rule into an OpenAPI path and its path parameters."""
    parameters = []

    def replace(match: re.Match) -> str:
        name, converter = match["name"], match["converter"] or "default"
        if converter == "int":
            schema = integer(minimum=0, maximum=2_147_483_647)
        elif converter == "any":
            schema = string(enum=[a.strip().strip("'\"") for a in match["args"].split(",")])
        elif name.endswith("uuid"):
            schema = string(fmt="uuid")
        else:
            schema = string(minLength=1, maxLength=40, pattern="^[^/]+$")
        parameter = {"name": name, "in": "path", "required": True, "schema": schema}
        if name == "code":
            parameter["example"] = "G30"
        parameters.append(parameter)
        return "{" + name + "}"

    return _ARGUMENT.sub(replace, rule), parameters


def _error_responses(statuses: tuple[int, ...]) -> dict[str, Any]:
    return {
        str(status): {
            "description": gettext(ERROR_WORDS[status]),
            "content": {JSON: {"schema": ref("Error")}},
        }
        for status in statuses
    }


def _success(endpoint: str, operation: Operation | None) -> dict[str, Any]:
    if operation is None:
        return {str(200): {"description": gettext("Success")}}
    if endpoint in LIST_ANSWERS:
        schema: dict[str, Any] | None = LIST_ANSWERS[endpoint]
    elif operation.response:
        schema = ref(operation.response)
    else:
        schema = {"type": "string"}
    answer = {
        "description": gettext("Success"),
        "content": {operation.media_type: {"schema": schema}},
    }
    answers = {str(operation.status): answer}
    if operation.created_or_replayed:
        answers["200"] = {**answer, "description": gettext("Already recorded (a retry)")}
    return answers


def _query_parameters(described: Operation | None) -> list[dict[str, Any]]:
    if described is None:
        return []
    if isinstance(described.params, type):
        return query_parameters(described.params)
    return [
        {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": gettext(p.description),
            "schema": p.schema,
            **({"example": p.example} if p.example is not None else {}),
        }
        for p in described.params
    ]


def _operation(app: Flask, endpoint: str, method: str, path_parameters: list) -> dict[str, Any]:
    view = app.view_functions[endpoint]
    described = OPERATIONS.get(endpoint)
    summary = gettext(described.summary) if described else (view.__doc__ or endpoint).strip()
    writes = method in ("POST", "PATCH", "PUT", "DELETE")
    errors = WRITE_ERRORS if writes or (described and described.body) else READ_ERRORS
    if getattr(view, "permission", None) == "__public__":
        errors = tuple(s for s in errors if s not in (401, 403))
    result: dict[str, Any] = {
        "operationId": endpoint.removeprefix("api."),
        "summary": summary,
        "tags": [view.__module__.rsplit(".", 1)[-1]],
        "parameters": [*path_parameters, *_query_parameters(described)],
        "responses": {**_success(endpoint, described), **_error_responses(errors)},
    }
    if getattr(view, "permission", None) == "__public__":
        result["security"] = []
    else:
        result["x-permission"] = getattr(view, "permission", None)
    if described and described.body:
        result["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": ref(described.body)}},
        }
    elif described and described.multipart:
        result["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": ref("PhotoUpload")}},
        }
    return result


def api_rules(app: Flask):
    """Return the URL rules under /api/v1/, in a stable order."""
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith(PREFIX)]
    return sorted(rules, key=lambda r: (r.rule, r.endpoint))


def missing_descriptions(app: Flask) -> list[str]:
    """Return the /api/v1/ endpoints that have no entry in OPERATIONS."""
    return sorted({r.endpoint for r in api_rules(app)} - set(OPERATIONS))


def _translated(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {
            k: gettext(v) if k == "description" and isinstance(v, str) else _translated(v)
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [_translated(v) for v in schema]
    return schema


def build_document(app: Flask) -> dict[str, Any]:
    """Build the OpenAPI 3.0 document of every /api/v1/ route of `app`."""
    paths: dict[str, dict[str, Any]] = {}
    for rule in api_rules(app):
        path, path_parameters = _path_and_parameters(rule.rule.removeprefix(PREFIX[:-1]))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(
                app, rule.endpoint, method, path_parameters
            )
    return {
        "openapi": "3.0.3",
        "info": {
            "title": gettext("Road inspection API"),
            "version": "1.0.0",
            "description": gettext(
                "The JSON API of the road inspection application, for the phone client and "
                "integrations. Authenticate with an API token (Authorization: Bearer …, issued "
                "on the account page) or the browser session; a session also needs its CSRF "
                'token (X-CSRFToken) on writes. Errors come as {"error": {"code", '
                '"message", "fields"}}.'
            ),
        },
        "servers": [{"url": url_for("api.me", _external=True).rsplit("/", 1)[0]}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": gettext("An API token from the account page."),
                }
            },
            "schemas": _translated(SCHEMAS),
        },
    }


# --------------------------------------------------------------------------- endpoints


@bp.route("/openapi.json")
@public
def openapi():
    """Return this API's OpenAPI document."""
    return jsonify(build_document(current_app))


@bp.route("/docs")
@public
def docs():
    """Show this API's OpenAPI document as a web page."""
    return render_docs(build_document(current_app), json_url=url_for("api.openapi"))
