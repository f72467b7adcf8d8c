"""Clients that behave like the phone's outbox: every record under its UUID, retried until a 2xx
whose body names that UUID (OFFLINE.md rule 3). A 4xx is a failure of the run ("needs
attention"); a 5xx, a refused or cut connection or a time-out is retried with back-off and jitter,
honouring Retry-After (capped, so a run stays short).
"""

from __future__ import annotations

import hashlib
import io
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import requests
from PIL import Image

RETRY_CAP_S = 2.0
ITEM_DEADLINE_S = 90.0
TIMEOUT = (3, 30)  # connect, read: an answer slower than this counts as a hang


@dataclass
class Item:
    kind: str  # patrol, finding, photo, hazard, action, patrol_end
    uuid: str
    attempts: int = 0
    statuses: list = field(default_factory=list)
    acknowledged: bool = False
    needs_attention: str | None = None


@dataclass
class Ledger:
    """What every client sent and what it was told, shared by the threads of one run."""

    items: list[Item] = field(default_factory=list)
    answers: Counter = field(default_factory=Counter)  # status code or error name → count
    samples: dict = field(default_factory=dict)  # error status → one answer's error message
    slowest_error_s: float = 0.0
    hangs: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, item: Item) -> None:
        with self.lock:
            self.items.append(item)

    def note(self, answer: str, seconds: float, error: bool) -> None:
        with self.lock:
            self.answers[answer] += 1
            if error:
                self.slowest_error_s = max(self.slowest_error_s, seconds)
            if answer == "timeout":
                self.hangs += 1


def photo_bytes(seed: int) -> bytes:
    """A distinct JPEG of about 100-200 KB (noise does not compress), like a resized phone photo."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=(360, 480, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class Outbox:
    """One user's outbox: sends items in order, each until acknowledged or its deadline."""

    def __init__(self, base: str, token: str, ledger: Ledger, stop: threading.Event) -> None:
        self.base = base
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.ledger = ledger
        self.stop = stop

    def send(self, kind: str, item_uuid: str, method: str, path: str, names, **kwargs) -> dict:
        """Send until a 2xx whose body `names(body)` is item_uuid; return that body."""
        item = Item(kind, item_uuid)
        self.ledger.add(item)
        deadline = time.monotonic() + ITEM_DEADLINE_S
        while time.monotonic() < deadline:
            item.attempts += 1
            started = time.monotonic()
            retry_after = None
            try:
                answer = self.http.request(method, self.base + path, timeout=TIMEOUT, **kwargs)
            except requests.Timeout:
                status, body = "timeout", None
            except requests.ConnectionError:
                status, body = "connection_error", None
            else:
                status = answer.status_code
                try:
                    body = answer.json()
                except ValueError:
                    body = None
                retry_after = answer.headers.get("Retry-After")
            seconds = time.monotonic() - started
            item.statuses.append(status)
            ok = isinstance(status, int) and 200 <= status < 300
            self.ledger.note(str(status), seconds, error=not ok)
            if not ok and isinstance(body, dict) and "error" in body:
                error = body["error"]
                self.ledger.samples.setdefault(
                    str(status),
                    f"{error.get('code')}: {error.get('message')} (Retry-After {retry_after})",
                )
            if ok and body is not None and names(body) == item_uuid:
                item.acknowledged = True
                return body
            if isinstance(status, int) and 400 <= status < 500 and status not in (408, 429):
                item.needs_attention = f"{status}: {body}"
                return {}
            delay = min(RETRY_CAP_S, 0.2 * 2 ** min(item.attempts, 6)) * random.uniform(0.5, 1)
            if retry_after and retry_after.isdigit():
                delay = min(RETRY_CAP_S, float(retry_after)) * random.uniform(0.8, 1)
            time.sleep(delay)
        return {}


def crew_round(outbox: Outbox, window_end: float, seed: int, *, road="G30") -> None:
    """A patrol: start, findings with a photo each until the window closes, end."""
    rng = random.Random(seed)
    patrol = str(uuid.uuid4())
    outbox.send(
        "patrol",
        patrol,
        "POST",
        "/api/v1/patrols",
        lambda b: b.get("uuid"),
        json={
            "client_uuid": patrol,
            "road": road,
            "direction": "up",
            "kind": "routine",
            "start_stake": "K3505+000",
        },
    )
    number = 0
    while time.monotonic() < window_end and not outbox.stop.is_set():
        number += 1
        finding = str(uuid.uuid4())
        stake = 3505000 + rng.randrange(0, 2000)
        outbox.send(
            "finding",
            finding,
            "POST",
            "/api/v1/findings",
            lambda b: b.get("uuid"),
            json={
                "client_uuid": finding,
                "patrol_uuid": patrol,
                "kind": "pothole",
                "road": road,
                "direction": "up",
                "stake": f"K{stake // 1000}+{stake % 1000:03d}",
                "quantity": round(rng.uniform(0.2, 3), 1),
                "depth_mm": rng.randrange(10, 80),
                "note": "fault run",
            },
        )
        data = photo_bytes(seed * 1000 + number)
        photo = str(uuid.uuid4())
        outbox.send(
            "photo",
            photo,
            "POST",
            f"/api/v1/findings/{finding}/photos",
            lambda b: b.get("uuid"),
            data={"photo_uuid": photo, "sha256": hashlib.sha256(data).hexdigest()},
            files={"photo": ("photo.jpg", data, "image/jpeg")},
        )
        time.sleep(rng.uniform(0.05, 0.3))
    outbox.send(
        "patrol_end",
        patrol,
        "PATCH",
        f"/api/v1/patrols/{patrol}",
        lambda b: b.get("uuid") if b.get("ended_at") else None,
        json={"end_stake": "K3507+000"},
    )


def officer_round(outbox: Outbox, window_end: float, unit_id: int, assignee_id: int) -> None:
    """Raise hazards and assign them (each action under its own UUID) until the window closes."""
    while time.monotonic() < window_end and not outbox.stop.is_set():
        hazard_uuid = str(uuid.uuid4())
        body = outbox.send(
            "hazard",
            hazard_uuid,
            "POST",
            "/api/v1/hazards",
            lambda b: b.get("uuid"),
            json={
                "client_uuid": hazard_uuid,
                "road": "G30",
                "direction": "up",
                "stake": "K3506+500",
                "category": "guardrail_damage",
                "grade": "general",
                "description": "fault run",
            },
        )
        if not body:
            continue
        action = str(uuid.uuid4())
        outbox.send(
            "action",
            action,
            "POST",
            f"/api/v1/hazards/{body['id']}/actions",
            lambda b: b.get("action_uuid"),
            json={
                "action": "assign",
                "version": body["version"],
                "client_uuid": action,
                "responsible_unit": unit_id,
                "responsible_person": "fault run",
                "assignee_user_id": assignee_id,
                "measures": "fault run",
                "deadline": (date.today() + timedelta(days=5)).isoformat(),
            },
        )
        time.sleep(0.3)
