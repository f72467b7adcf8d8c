"""Hash-chain a hazard's audit events so that editing or removing one is detectable (pure)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

GENESIS = "0" * 64


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """Return the SHA-256 of the previous hash and the event's fields in canonical JSON."""
    canonical = json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default
    )
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def _json_default(value: Any) -> str:
    if isinstance(value, date):  # dates in payloads (deadlines), and datetimes
        return value.isoformat()
    raise TypeError(f"cannot hash a {type(value).__name__}")


def hashed_fields(
    *,
    hazard_id: int,
    seq: int,
    action: str,
    from_state: str | None,
    to_state: str,
    actor_id: int,
    at: datetime,
    note: str,
    payload: Mapping[str, Any],
    evidence: Iterable[str],
) -> dict[str, Any]:
    """Return the fields of an event that its hash covers (every field but the hashes)."""
    return {
        "hazard_id": hazard_id,
        "seq": seq,
        "action": action,
        "from_state": from_state,
        "to_state": to_state,
        "actor_id": actor_id,
        # UTC with microseconds, so the database's round trip gives the same text.
        "at": _utc_text(at),
        "note": note,
        "payload": dict(payload),
        "evidence": list(evidence),
    }


def _utc_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Break:
    hazard_id: int
    seq: int
    reason: str


def verify_chain(hazard_id: int, events: Iterable[Mapping[str, Any]]) -> Break | None:
    """Return the first event whose hash or link does not hold, or None when the chain is intact.

    Each event mapping carries the `hashed_fields` keys plus `prev_hash` and `hash`, in seq order.
    """
    previous = GENESIS
    expected_seq = 1
    for event in events:
        seq = event["seq"]
        if seq != expected_seq:
            return Break(hazard_id, seq, f"expected event {expected_seq}, found {seq}")
        if event["prev_hash"] != previous:
            return Break(hazard_id, seq, "its link to the previous event is broken")
        fields = hashed_fields(**{k: event[k] for k in HASHED_FIELDS})
        if event_hash(previous, fields) != event["hash"]:
            return Break(hazard_id, seq, "its content does not match its hash")
        previous = event["hash"]
        expected_seq += 1
    return None


HASHED_FIELDS = (
    "hazard_id",
    "seq",
    "action",
    "from_state",
    "to_state",
    "actor_id",
    "at",
    "note",
    "payload",
    "evidence",
)
