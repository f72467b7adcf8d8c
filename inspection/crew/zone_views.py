"""Pages of work zones (routes on inspection.crew.blueprint.bp).

The phone page /field/work-zone embeds the roads, the crew's recent repairs, its open patrol and
zones, and the branch's part minimums, so the copy the service worker keeps works without
signal: its script flags short parts as they are typed, saves the zone and its set-up photos
into the outbox and sends them when there is signal; the removal is queued the same way later.
Without the script the form posts here (with one photo) and the same service stores it.
Desktop: the list with filters, one zone, the table of minimums.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime, timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from inspection.api.schemas import VoidBody
from inspection.api.uploads import parse_photo_upload
from inspection.crew import work_zones
from inspection.crew.blueprint import bp
from inspection.crew.kinds import (
    COUNTED_DEVICES,
    ZONE_DEVICE_LABELS,
    ZONE_PART_LABELS,
    ZoneDevice,
    ZonePart,
)
from inspection.crew.zone_schemas import MinimumsBody, WorkZoneBody, WorkZoneFilter, WorkZonePatch
from inspection.errors import DomainError
from inspection.extensions import db
from inspection.inputs import parse_query, validate
from inspection.media.services import attach_photo, storage_for
from inspection.network import queries as network_queries
from inspection.network.models import DIRECTION_LABELS, Road
from inspection.network.stakes import format_stake
from inspection.patrols import services as patrol_services
from inspection.repairs.models import Repair
from inspection.repairs.rules import REPAIR_KINDS
from inspection.web import branch_today, branch_zone, permission_required, translate_error

PER_PAGE = 50
MAX_PHOTOS = 6
RECENT_REPAIR_DAYS = 30


def parts_shown() -> list[dict]:
    return [{"code": p.value, "label": gettext(ZONE_PART_LABELS[p])} for p in ZonePart]


def devices_shown() -> list[dict]:
    return [
        {"code": d.value, "label": gettext(ZONE_DEVICE_LABELS[d]), "counted": d in COUNTED_DEVICES}
        for d in ZoneDevice
    ]


def _error_args(error: DomainError | None) -> dict:
    if error is None:
        return {"error": None, "fields": {}}
    return {
        "error": translate_error(error),
        "fields": {k: gettext(v) for k, v in error.fields.items()},
    }


def _roads() -> list[dict]:
    return [
        {
            "key": f"{r.code}/{r.direction}",
            "code": r.code,
            "direction": r.direction,
            "name": r.name,
            "road_class": r.road_class,
            "first": format_stake(r.start_chainage),
            "last": format_stake(r.end_chainage),
        }
        for r in network_queries.list_roads(db.session)
    ]


def _flash_text(error: DomainError) -> str:
    """The message and what it says of each field (a page without the form's fields)."""
    return " ".join([translate_error(error), *(gettext(v) for v in error.fields.values())])


def _repair_choice(repair: Repair, locale: str) -> dict:
    kind = REPAIR_KINDS.get(repair.kind)
    return {
        "uuid": str(repair.client_uuid),
        "label": f"{kind.label(locale) if kind else repair.kind} · {repair.road.code}"
        f" {repair.stake_text} · {repair.completed_on.isoformat()}",
        "road": repair.road.code,
        "direction": repair.direction,
        "stake": format_stake(repair.chainage),
        "end_stake": format_stake(repair.end_chainage) if repair.end_chainage is not None else "",
    }


def _repairs(chosen: str | None) -> list[dict]:
    since = branch_today() - timedelta(days=RECENT_REPAIR_DAYS)
    rows = list(
        db.session.scalars(
            select(Repair)
            .where(Repair.voided_at.is_(None), Repair.completed_on >= since)
            .order_by(Repair.completed_on.desc(), Repair.id.desc())
            .limit(100)
        )
    )
    if chosen and not any(str(r.client_uuid) == chosen for r in rows):
        try:
            extra = db.session.scalar(select(Repair).where(Repair.client_uuid == uuid.UUID(chosen)))
        except ValueError:
            extra = None
        if extra is not None and extra.voided_at is None:
            rows.insert(0, extra)
    from inspection import select_locale

    locale = select_locale()
    return [_repair_choice(r, locale) for r in rows]


def _open_patrol() -> dict | None:
    patrol = patrol_services.open_patrol_of(db.session, current_user)
    if patrol is None:
        return None
    return {
        "uuid": str(patrol.client_uuid),
        "road": patrol.road.code,
        "direction": patrol.direction,
        "start_stake": format_stake(patrol.start_chainage) if patrol.start_chainage else None,
    }


def _open_zones() -> list[dict]:
    tz = branch_zone()
    return [
        {
            "uuid": str(z.client_uuid),
            "label": f"{db.session.get(Road, z.road_id).code}"
            f" {format_stake(z.from_chainage)}–{format_stake(z.to_chainage)}",
            "set_up": z.set_up_at.astimezone(tz).strftime("%m-%d %H:%M"),
            "set_up_at": z.set_up_at.isoformat(),
        }
        for z in work_zones.open_zones_of(db.session, current_user)
    ]


def _render_field(error: DomainError | None = None, values: dict | None = None, status=200):
    chosen = (values or {}).get("repair_uuid") or request.args.get("repair") or ""
    page = render_template(
        "crew/work_zone_field.html",
        roads=_roads(),
        repairs=_repairs(chosen),
        patrol=_open_patrol(),
        open_zones=_open_zones(),
        parts=parts_shown(),
        part_labels={p["code"]: p["label"] for p in parts_shown()},
        devices=devices_shown(),
        minimums=work_zones.minimum_table(db.session),
        directions={k.value: gettext(v) for k, v in DIRECTION_LABELS.items()},
        client_uuid=str(uuid.uuid4()),
        chosen_repair=chosen,
        values=values or {},
        max_photos=MAX_PHOTOS,
        **_error_args(error),
    )
    return page, status


def local_time(text: str) -> str:
    """A datetime-local value (no zone: the branch's time) with its zone; anything else as is
    (the input layer judges it)."""
    if text and len(text) <= 19 and "+" not in text:
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(text).replace(tzinfo=branch_zone()).isoformat()
    return text


def form_body(form) -> dict:
    """The API body of the page's form (also what the script builds)."""
    road = form.get("road", "")
    code, _, direction = road.partition("/")
    set_up = local_time(form.get("set_up_at", ""))
    parts = [
        {"part": p.value, "length_m": form.get(f"part_{p.value}", "")}
        for p in ZonePart
        if form.get(f"part_{p.value}", "").strip()
    ]
    devices = [
        {"device": d.value, "count": form.get(f"count_{d.value}", "")}
        for d in ZoneDevice
        if form.get(f"device_{d.value}")
    ]
    link = form.get("link", "")
    return {
        "client_uuid": form.get("client_uuid", ""),
        "repair_uuid": form.get("repair_uuid", "") if link != "patrol" else "",
        "patrol_uuid": form.get("patrol_uuid", "") if link != "repair" else "",
        "road": code,
        "direction": form.get("direction", "") or direction,
        "from_stake": form.get("from_stake", ""),
        "to_stake": form.get("to_stake", ""),
        "lanes_closed": form.get("lanes_closed", ""),
        "lanes_note": form.get("lanes_note", ""),
        "speed_limit_kmh": form.get("speed_limit_kmh", ""),
        "set_up_at": set_up or datetime.now(branch_zone()).isoformat(),
        "parts": parts,
        "devices": devices,
        "note": form.get("note", ""),
    }


@bp.route("/field/work-zone", methods=["GET", "POST"])
@permission_required("crew.record")
def work_zone_field():
    if request.method == "GET":
        return _render_field()
    photo = request.files.get("photo")
    try:
        data = validate(WorkZoneBody, form_body(request.form))
        saved = work_zones.record_zone(db.session, data, actor=current_user)
        if photo is not None and photo.filename:
            attach_photo(
                db.session,
                storage_for(current_app.config["MEDIA_ROOT"]),
                parse_photo_upload(request),
                owner=saved.zone,
                actor=current_user,
                max_bytes=current_app.config["PHOTO_MAX_BYTES"],
            )
    except DomainError as error:
        db.session.rollback()
        return _render_field(error, request.form.to_dict(), error.status)
    db.session.commit()
    flash(gettext("Work zone recorded."), "success")
    return redirect(url_for("crew.work_zone_detail", zone_uuid=saved.zone.client_uuid))


@bp.route("/crew/work-zones")
@permission_required("crew.read")
def work_zone_list():
    query = parse_query(WorkZoneFilter)
    tz = branch_zone()
    rows, total = work_zones.list_zones(
        db.session,
        zone=tz,
        day_from=query.day_from,
        day_to=query.day_to,
        road=query.road,
        alarm=query.alarm,
        flagged=query.flagged,
        open_only=query.open == "1",
        page=query.page,
        per_page=PER_PAGE,
    )
    table = work_zones.minimum_table(db.session)
    counts = work_zones.photo_counts(db.session, rows)
    shown = []
    for row in rows:
        item = work_zones.zone_dict(db.session, row, tz, table)
        item["photo_count"] = counts.get(row.id, 0)
        shown.append(item)
    args = {k: v for k, v in request.args.items() if k != "page" and v.strip()}
    return render_template(
        "crew/work_zone_list.html",
        zones=shown,
        directions={k.value: gettext(v) for k, v in DIRECTION_LABELS.items()},
        total=total,
        page=query.page,
        per_page=PER_PAGE,
        query=query,
        args=args,
        part_labels={p["code"]: p["label"] for p in parts_shown()},
        device_labels={d["code"]: d["label"] for d in devices_shown()},
    )


@bp.route("/crew/work-zones/<zone_uuid>")
@permission_required("crew.read")
def work_zone_detail(zone_uuid: str):
    found = work_zones.get_zone(db.session, zone_uuid)
    may_change = found.voided_at is None and (
        current_user.can("crew.record")
        and (found.created_by_id == current_user.id or current_user.can("crew.settings"))
    )
    return render_template(
        "crew/work_zone_detail.html",
        zone=work_zones.full_dict(db.session, found, branch_zone()),
        may_change=may_change,
        part_labels={p["code"]: p["label"] for p in parts_shown()},
        device_labels={d["code"]: d["label"] for d in devices_shown()},
        directions={k.value: gettext(v) for k, v in DIRECTION_LABELS.items()},
        now=datetime.now(branch_zone()).strftime("%Y-%m-%dT%H:%M"),
    )


@bp.route("/crew/work-zones/<zone_uuid>/removed", methods=["POST"])
@permission_required("crew.record")
def work_zone_removed(zone_uuid: str):
    found = work_zones.get_zone(db.session, zone_uuid)
    body = {"removed_at": local_time(request.form.get("removed_at", ""))}
    try:
        data = validate(WorkZonePatch, body)
        work_zones.update_zone(db.session, found, data, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(_flash_text(error), "error")
        return redirect(url_for("crew.work_zone_detail", zone_uuid=zone_uuid))
    db.session.commit()
    flash(gettext("The removal is recorded."), "success")
    return redirect(url_for("crew.work_zone_detail", zone_uuid=zone_uuid))


@bp.route("/crew/work-zones/<zone_uuid>/void", methods=["POST"])
@permission_required("crew.record")
def void_work_zone(zone_uuid: str):
    found = work_zones.get_zone(db.session, zone_uuid)
    try:
        data = validate(VoidBody, {"reason": request.form.get("reason", "")})
        work_zones.void_zone(db.session, found, data.reason, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(_flash_text(error), "error")
        return redirect(url_for("crew.work_zone_detail", zone_uuid=zone_uuid))
    db.session.commit()
    flash(gettext("The work zone is void."), "success")
    return redirect(url_for("crew.work_zone_detail", zone_uuid=zone_uuid))


def _minimum_rows(form) -> list[dict]:
    """The table's rows from the page: one speed per row (`speed_<i>`), a length per part."""
    rows = []
    index = 0
    while f"speed_{index}" in form:
        speed = form.get(f"speed_{index}", "").strip()
        for part in ZonePart:
            length = form.get(f"min_{index}_{part.value}", "").strip()
            if speed and length:
                rows.append({"speed_limit_kmh": speed, "part": part.value, "length_m": length})
        index += 1
    return rows


@bp.route("/crew/work-zone-minimums", methods=["GET", "POST"])
@permission_required("crew.settings")
def work_zone_minimums():
    error = None
    if request.method == "POST":
        try:
            data = validate(MinimumsBody, {"minimums": _minimum_rows(request.form)})
            work_zones.set_minimums(db.session, data.minimums)
        except DomainError as domain_error:
            db.session.rollback()
            error = domain_error
        else:
            db.session.commit()
            flash(gettext("The minimum lengths are saved."), "success")
            return redirect(url_for("crew.work_zone_minimums"))
    if error is not None:  # show what was typed again
        form = request.form
        count = len([k for k in form if k.startswith("speed_")])
        rows = [
            (
                form.get(f"speed_{i}", ""),
                {p.value: form.get(f"min_{i}_{p.value}", "") for p in ZonePart},
            )
            for i in range(count)
        ]
    else:
        table = sorted(work_zones.minimum_table(db.session).items(), reverse=True)
        rows = [(str(s), {p: f"{m:g}" for p, m in parts.items()}) for s, parts in table]
        rows += [("", {})] * 2
    page = render_template(
        "crew/work_zone_minimums.html",
        rows=rows,
        parts=parts_shown(),
        **_error_args(error),
    )
    return page, (error.status if error else 200)
