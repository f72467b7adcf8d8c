"""Replay an outbox exported from a phone (the last resort when a phone cannot send).

The file holds what the phone would have sent, in the order it was made. Each entry's address is
matched against the API's own routes and replayed through that endpoint's input model and service
(the table in outbox_replay.py), as the user who made it, each in its own savepoint: a record
already on the server is recognised by its UUID and nothing is stored twice; a refused entry
stops only the entries that wait for it.

Who acts: the entry's maker (the user signed in on the phone when it was made), or the importer
when the entry names none. Importing another user's entries is a safety officer's work (a crew
member imports only their own); the maker must then hold the endpoint's permission.
"""

from __future__ import annotations

import base64
import binascii
import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter, RoutingException

from inspection.api.uploads import PhotoForm, exif_position
from inspection.auth.models import User
from inspection.errors import N_, DomainError, NotFound, NotPermitted, ValidationError
from inspection.inputs import validate
from inspection.media.services import PhotoUpload, Storage
from inspection.patrols.outbox_replay import HANDLERS, Branch, Call, Handler
from inspection.repairs import rules as repair_rules

# Who may import entries other users made (a safety officer), as media.may_add_photo asks it.
_FOR_OTHERS = "hazards.officer"
_CANNOT = N_("This kind of entry cannot be imported: %(what)s.")


@dataclass(frozen=True)
class Routes:
    """The app's routes: which endpoint an address reaches, and the permission its view asks."""

    adapter: MapAdapter
    permissions: Mapping[str, str]

    @classmethod
    def of(cls, app) -> Routes:
        permissions = {
            name: view.permission
            for name, view in app.view_functions.items()
            if isinstance(getattr(view, "permission", None), str)
        }
        return cls(app.url_map.bind("localhost"), permissions)

    def match(self, method: str, url: str) -> tuple[str, dict[str, Any]]:
        """(endpoint, arguments) of an address, or a refusal naming it."""
        try:
            return self.adapter.match(url, method=method)
        except (HTTPException, RoutingException):
            raise ValidationError(_CANNOT, what=f"{method} {url}") from None


@dataclass(frozen=True)
class EntryResult:
    index: int
    kind: str
    uuid: str
    outcome: str  # "created", "already stored" or "refused"
    error: DomainError | None = None


def read_document(document: Any) -> list[dict]:
    """Return the entries of an exported outbox, refusing a file of another shape."""
    if not isinstance(document, dict) or document.get("version") != 1:
        raise ValidationError(N_("This is not an outbox file exported by the field pages."))
    entries = document.get("entries")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValidationError(N_("This is not an outbox file exported by the field pages."))
    return entries


def import_outbox(
    session: Session,
    storage: Storage,
    entries: list[dict],
    *,
    actor: User,
    routes: Routes,
    max_bytes: int,
    today: date,
    timezone: str,
    repair_limits: repair_rules.Limits | None = None,
) -> list[EntryResult]:
    """Replay the entries in their made order, each in its own savepoint, an entry after those
    of the same file it waits for (a photo after its record); return what became of each, in
    the file's order.

    `today`, `timezone` and `repair_limits` are the branch's, as the API passes them on.
    """
    branch = Branch(
        today=today,
        timezone=timezone,
        max_bytes=max_bytes,
        storage=storage,
        repair_limits=repair_limits,
    )
    order, waits = replay_order(entries)
    results: dict[int, EntryResult] = {}
    for position in order:
        entry = entries[position]
        kind = "photo" if entry.get("kind") == "photo" else "record"
        label = str(entry.get("photo_uuid") if kind == "photo" else entry.get("uuid") or "")
        index = position + 1
        refused = sorted(
            w + 1 for w in waits[position] if w in results and results[w].outcome == "refused"
        )
        try:
            with session.begin_nested():
                created = _replay(session, entry, kind, actor, routes, branch, refused)
        except DomainError as error:
            results[position] = EntryResult(index, kind, label, "refused", error)
            continue
        outcome = "created" if created else "already stored"
        results[position] = EntryResult(index, kind, label, outcome)
    return [results[position] for position in sorted(results)]


def replay_order(entries: list[dict]) -> tuple[list[int], dict[int, set[int]]]:
    """Return the positions in the order to replay them, and what each waits for.

    The file's order is the order the phone made them in; an entry that waits for a record or
    photo made by a LATER entry of the file (its `deps`, a photo's record) moves after it.
    """
    makers: dict[str, int] = {}  # a UUID → the position of the entry that stores it
    for position, entry in enumerate(entries):
        own = _own_uuid(entry)
        if own:
            makers.setdefault(own, position)
    waits = {
        position: {makers[d] for d in _needs(entry) if makers.get(d, position) != position}
        for position, entry in enumerate(entries)
    }
    blocking = {position: set(before) for position, before in waits.items()}
    followers: dict[int, list[int]] = {}
    for position, before in waits.items():
        for other in before:
            followers.setdefault(other, []).append(position)
    ready = [position for position, before in blocking.items() if not before]
    heapq.heapify(ready)
    order: list[int] = []
    left = set(range(len(entries)))
    while left:
        # A cycle (a file edited by hand) is broken in the file's order.
        position = heapq.heappop(ready) if ready else min(left)
        if position not in left:
            continue
        left.discard(position)
        order.append(position)
        for follower in followers.get(position, ()):
            blocking[follower].discard(position)
            if not blocking[follower] and follower in left:
                heapq.heappush(ready, follower)
    return order, waits


def _own_uuid(entry: dict) -> str | None:
    """The UUID an entry stores: a photo's, or a new record's (a PATCH changes a stored one)."""
    if entry.get("kind") == "photo":
        return _lower(entry.get("photo_uuid"))
    return _lower(entry.get("uuid")) if entry.get("method", "POST") == "POST" else None


def _needs(entry: dict) -> set[str]:
    deps = entry.get("deps") if isinstance(entry.get("deps"), list) else []
    needs = {_lower(d) for d in deps}
    if entry.get("kind") == "photo":
        needs.add(_lower(entry.get("parent_uuid") or entry.get("finding_uuid")))
    return {n for n in needs if n}


def _lower(value: Any) -> str | None:
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def _replay(
    session: Session,
    entry: dict,
    kind: str,
    importer: User,
    routes: Routes,
    branch: Branch,
    refused: list[int],
) -> bool:
    """Replay one entry; `refused` numbers the refused entries of the file it waits for."""
    if kind == "photo":
        method, url = "POST", _photo_url(entry)
    else:
        method, url = str(entry.get("method") or "POST"), str(entry.get("url") or "")
    endpoint, args = routes.match(method, url)
    handler = HANDLERS.get(endpoint)
    if handler is None or handler.photo != (kind == "photo"):
        raise ValidationError(_CANNOT, what=f"{method} {url}")
    actor = _acting_user(session, entry, importer)
    _check_permission(actor, handler, routes.permissions.get(endpoint), f"{method} {url}")
    if refused:
        raise ValidationError(
            N_("It waits for entry %(number)s, which was refused."), number=refused[0]
        )
    if kind == "photo":
        call = Call(args=args, actor=actor, branch=branch, photo=_photo_upload(entry))
    else:
        body = entry.get("body")
        if not isinstance(body, dict):
            raise ValidationError(N_("The record entry is damaged."))
        call = Call(args=args, actor=actor, branch=branch, body=body)
    return handler.replay(session, call)


def _photo_url(entry: dict) -> str:
    # A finding's photo (older entries) names only finding_uuid; a photo of anything else names
    # the address the phone sends it to (outbox/entries.js photoUrl).
    url = entry.get("url")
    if url:
        return str(url)
    return f"/api/v1/findings/{entry.get('finding_uuid') or entry.get('parent_uuid')}/photos"


def _acting_user(session: Session, entry: dict, importer: User) -> User:
    """The entry's maker, as the API's X-Outbox-Maker names them (case and spaces aside)."""
    maker = entry.get("maker")
    if not isinstance(maker, str) or not maker.strip():
        return importer
    name = maker.strip()
    if name.lower() == importer.username.strip().lower():
        return importer
    if not importer.can(_FOR_OTHERS):
        raise NotPermitted(
            N_("This entry was made by %(maker)s: only they or a safety officer may import it."),
            maker=name,
        )
    user = session.scalar(select(User).where(func.lower(func.trim(User.username)) == name.lower()))
    if user is None or not user.active:
        raise NotFound(N_("There is no active user %(maker)s."), maker=name)
    return user


def _check_permission(actor: User, handler: Handler, permission: str | None, what: str) -> None:
    # Before the body is read: a user who may not send it learns nothing else.
    if permission is None or not actor.can(permission):
        raise NotPermitted(handler.refused, user=actor.username, what=what)


def _photo_upload(entry: dict) -> PhotoUpload:
    """The photo of an entry, its fields read as the photo API reads its form (PhotoForm)."""
    fields = {
        name: str(entry[name])
        for name in ("photo_uuid", "stage", "sha256", "exif_taken_at", "exif_lon", "exif_lat")
        if entry.get(name) is not None and not isinstance(entry.get(name), bool | dict | list)
    }
    form = validate(PhotoForm, fields)
    try:
        data = base64.b64decode(entry.get("bytes_base64") or "", validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(N_("The photo entry is damaged.")) from None
    if not data:
        raise ValidationError(N_("The photo entry is damaged."))
    lon, lat = exif_position(form.exif_lon, form.exif_lat)
    return PhotoUpload(
        client_uuid=form.photo_uuid,
        data=data,
        stage=form.stage,
        checksum=form.sha256,
        exif_taken_at=form.exif_taken_at,
        exif_lon=lon,
        exif_lat=lat,
    )
