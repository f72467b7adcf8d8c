"""Reads of reports, OGC API, tiles and the map from a streaming replica; the rest on the primary.

With DATABASE_REPLICA_URL set (config.py), Flask-SQLAlchemy holds a second engine under the bind
key ``replica``. A request is *replica-routed* when its view is in one of READ_BLUEPRINTS or is
marked with ``@reads_from_replica``; the mark is taken after access control (the user and the
API token's last use are read and written on the primary), and RoutingSession.get_bind then
sends that request's reads to the replica. Writes never go there:

- the session's flush, INSERT/UPDATE/DELETE statements and SELECT … FOR UPDATE go to the primary
  even in a replica-routed request (so do statements carrying db.ON_PRIMARY: the tile cache);
- a write the router cannot recognise (an INSERT in ``text()``) reaches the replica and fails
  loudly there: its sessions are read-only (default_transaction_read_only), a 500 in the log.

When the replica cannot be reached, its engine connects to the primary instead (read-only all
the same) and tries the replica again after DB_REPLICA_RETRY seconds: the pages keep working,
only the primary does the work meanwhile. Unset, nothing here is installed and every request
uses the primary exactly as before. docs/scaling.md says what a lagging replica means to users.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, exc

from inspection.config import REPLICA_BIND
from inspection.db import ON_PRIMARY

log = logging.getLogger(__name__)

# Blueprints whose every view only reads: the annual report pages and exports, OGC API –
# Features and its vector tiles (the tile cache, the one write, is marked ON_PRIMARY), the map.
READ_BLUEPRINTS = frozenset({"reports", "ogc", "mapview"})
_FALLBACK = "inspection_replica_fallback"  # on a pooled connection: it went to the primary


def reads_from_replica(view: Callable) -> Callable:
    """Mark a view outside READ_BLUEPRINTS (an /api/v1 report) as reading from the replica."""
    view.replica_reads = True
    return view


def is_write(clause: Any) -> bool:
    """Tell whether a statement must run on the primary: it writes, locks or says so."""
    if clause is None:
        return False
    if isinstance(clause, sa.sql.dml.UpdateBase):  # INSERT, UPDATE, DELETE (Core or ORM)
        return True
    if getattr(clause, "_for_update_arg", None) is not None:  # SELECT … FOR UPDATE / SHARE
        return True
    options = getattr(clause, "_execution_options", None) or {}
    return any(options.get(key) for key in ON_PRIMARY)


def replica_routed() -> bool:
    """Tell whether this request's reads go to the replica."""
    return has_app_context() and bool(g.get("replica_reads"))


class RoutingSession(FlaskSession):
    """Flask-SQLAlchemy's session, sending a replica-routed request's reads to the replica."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and not self._flushing and replica_routed() and not is_write(clause):
            replica = self._db.engines.get(REPLICA_BIND)
            if replica is not None:
                return replica
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def mark_replica_request() -> None:
    """Route this request's reads to the replica when its view only reads (before_request)."""
    if request.endpoint is None:
        return
    view = current_app.view_functions.get(request.endpoint)
    if request.blueprint in READ_BLUEPRINTS or getattr(view, "replica_reads", False):
        g.replica_reads = True


def register(app: Flask, db) -> None:
    """Install the routing and the fallback when the app has a replica; else do nothing."""
    if not app.config.get("SQLALCHEMY_BINDS", {}).get(REPLICA_BIND):
        return
    # Registered after access control's hook: the user and the token are read on the primary.
    app.before_request(mark_replica_request)
    with app.app_context():
        install_fallback(
            db.engines[REPLICA_BIND], db.engines[None], app.config.get("DB_REPLICA_RETRY", 30)
        )


def install_fallback(replica: sa.Engine, primary: sa.Engine, retry_seconds: float) -> None:
    """Connect the replica engine to the primary while the replica cannot be reached.

    A failed connection to the replica marks it down for `retry_seconds`: meanwhile new
    connections go straight to the primary (no connect timeout paid per request), keeping the
    replica engine's own settings (read-only, jit off). Such a connection is dropped at its
    first checkout after that time, so the pool returns to the replica by itself.
    """
    state = {"down_until": 0.0}
    _, replica_identity = replica.dialect.create_connect_args(replica.url)
    _, primary_identity = primary.dialect.create_connect_args(primary.url)

    @event.listens_for(replica, "do_connect")
    def connect(dialect, record, cargs, cparams):
        if time.monotonic() >= state["down_until"]:
            try:
                connection = dialect.connect(*cargs, **cparams)
            except dialect.loaded_dbapi.OperationalError as error:
                state["down_until"] = time.monotonic() + retry_seconds
                log.warning(
                    "replica unreachable (%s); reading from the primary for %s s",
                    str(error).strip().splitlines()[0] if str(error).strip() else error,
                    retry_seconds,
                )
            else:
                record.info.pop(_FALLBACK, None)
                return connection
        settings = {k: v for k, v in cparams.items() if k not in replica_identity}
        record.info[_FALLBACK] = True
        return dialect.connect(**{**settings, **primary_identity})

    @event.listens_for(replica, "checkout")
    def back_to_replica(dbapi_connection, record, proxy):
        if record.info.get(_FALLBACK) and time.monotonic() >= state["down_until"]:
            raise exc.DisconnectionError("try the replica again")
