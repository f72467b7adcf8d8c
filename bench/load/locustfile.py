"""Locust scenario of a branch's working day (issue #14): 200 crews, 10 officers, 3 managers.

Run by bench/load/run_load.py against gunicorn on loopback; it writes the users' tokens and a few
road positions to the JSON file named by LOAD_CONFIG. Every record carries a UUID and is sent
like the phone's outbox sends it: again, with back-off, until a 2xx names it (a bounded number of
times here — a load run must stop by itself); each attempt shows in locust's figures.

- Crew (fixed 200): start a patrol, GPS → stake (`/api/v1/locate`), a finding every 10-30 s with
  a photo for one finding in five, end the patrol after 4-8 findings and start the next.
- Officer (fixed 10): the hazard board (HTML and JSON), a hazard's page, assign a reported hazard,
  now and then raise one.
- Manager (fixed 3): the annual report (JSON), the map page and its findings layer (OGC items).
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import random
import struct
import time
import uuid
from datetime import date, timedelta

from locust import HttpUser, between, task

CONFIG = json.loads(open(os.environ["LOAD_CONFIG"], encoding="utf-8").read())  # noqa: SIM115
_tokens = {role: itertools.cycle(CONFIG[role]) for role in ("crews", "officers", "managers")}
ATTEMPTS = 6  # then the item is left (and counted as lost); the phone would keep it


def _photos() -> list[bytes]:
    """Five phone-sized JPEGs (1600×1200, a gradient with noise, ~0.4-0.7 MB)."""
    import numpy as np
    from PIL import Image

    made = []
    rng = np.random.default_rng(14)
    y, x = np.mgrid[0:1200, 0:1600]
    for n in range(5):
        base = np.stack([(x + 40 * n) % 256, (y + 70 * n) % 256, (x + y) % 256], axis=-1)
        pixels = np.clip(base + rng.normal(0, 18, base.shape), 0, 255).astype(np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, "JPEG", quality=82)
        made.append(buffer.getvalue())
    return made


PHOTOS = _photos()
_serial = itertools.count()
_officer_numbers = itertools.cycle(range(10))


def unique_photo() -> bytes:
    """One of the five photos with a unique JPEG comment, so each upload has its own bytes."""
    data = random.choice(PHOTOS)
    note = f"load {next(_serial)} {uuid.uuid4()}".encode()
    return data[:2] + b"\xff\xfe" + struct.pack(">H", len(note) + 2) + note + data[2:]


class Outbox:
    """Send a record until a 2xx names its UUID (at most ATTEMPTS times), like the phone."""

    def __init__(self, user: HttpUser) -> None:
        self.user = user

    def send(self, method: str, path: str, name: str, item_uuid: str, key: str, **kwargs):
        for attempt in range(ATTEMPTS):
            with self.user.client.request(
                method, path, name=name, catch_response=True, **kwargs
            ) as answer:
                body = None
                try:
                    body = answer.json()
                except Exception:
                    body = None
                if 200 <= answer.status_code < 300 and isinstance(body, dict):
                    if body.get(key) == item_uuid:
                        answer.success()
                        return body
                    answer.failure(f"2xx without the UUID in {key}")
                    return None
                if 400 <= answer.status_code < 500:
                    answer.failure(f"{answer.status_code}: needs attention")
                    return None
                answer.failure(f"{answer.status_code or 'no answer'}: retried")
                retry = answer.headers.get("Retry-After") if answer.headers else None
            pause = float(retry) if retry and retry.isdigit() else 0.5 * 2**attempt
            time.sleep(min(pause, 10) * random.uniform(0.5, 1))
        self.user.environment.events.request.fire(
            request_type="OUTBOX",
            name=f"lost {name}",
            response_time=0,
            response_length=0,
            exception=RuntimeError("gave up"),
            context={},
        )
        return None


class Crew(HttpUser):
    fixed_count = 200
    wait_time = between(10, 30)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {next(_tokens['crews'])}"
        self.outbox = Outbox(self)
        self.patrol = None
        self.left = 0

    def start_patrol(self) -> None:
        self.patrol = str(uuid.uuid4())
        self.left = random.randint(4, 8)
        self.outbox.send(
            "POST",
            "/api/v1/patrols",
            "POST /api/v1/patrols",
            self.patrol,
            "uuid",
            json={
                "client_uuid": self.patrol,
                "road": "G30",
                "direction": "up",
                "kind": "routine",
                "start_stake": "K3505+000",
            },
        )

    @task
    def finding(self) -> None:
        if self.patrol is None:
            self.start_patrol()
        stake, lon, lat = random.choice(CONFIG["positions"])
        self.client.get(f"/api/v1/locate?lon={lon}&lat={lat}&road=G30", name="GET /api/v1/locate")
        finding = str(uuid.uuid4())
        stored = self.outbox.send(
            "POST",
            "/api/v1/findings",
            "POST /api/v1/findings",
            finding,
            "uuid",
            json={
                "client_uuid": finding,
                "patrol_uuid": self.patrol,
                "kind": "pothole",
                "road": "G30",
                "direction": "up",
                "gps": {"lon": lon, "lat": lat, "accuracy": 5},
                "quantity": round(random.uniform(0.2, 3), 1),
                "depth_mm": random.randint(10, 80),
                "note": f"load {stake}",
            },
        )
        if stored and random.random() < 0.2:
            data = unique_photo()
            photo = str(uuid.uuid4())
            self.outbox.send(
                "POST",
                f"/api/v1/findings/{finding}/photos",
                "POST /api/v1/findings/{uuid}/photos",
                photo,
                "uuid",
                data={"photo_uuid": photo, "sha256": hashlib.sha256(data).hexdigest()},
                files={"photo": ("photo.jpg", data, "image/jpeg")},
            )
        self.left -= 1
        if self.left <= 0:
            self.outbox.send(
                "PATCH",
                f"/api/v1/patrols/{self.patrol}",
                "PATCH /api/v1/patrols/{uuid}",
                self.patrol,
                "uuid",
                json={"end_stake": "K3507+000"},
            )
            self.patrol = None


class Officer(HttpUser):
    fixed_count = 10
    wait_time = between(3, 8)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {next(_tokens['officers'])}"
        self.outbox = Outbox(self)
        # Each officer works their own share of the board, as a branch splits it by section:
        # two officers assigning one hazard at once is a real 409, not a load figure.
        self.share = next(_officer_numbers)

    @task(3)
    def board(self) -> None:
        self.client.get("/hazards/", name="GET /hazards/ (board)")
        answer = self.client.get(
            "/api/v1/hazards?state=reported&per_page=100", name="GET /api/v1/hazards"
        )
        hazards = answer.json().get("hazards", []) if answer.ok else []
        hazards = [h for h in hazards if h["id"] % Officer.fixed_count == self.share]
        if not hazards:
            return
        hazard = random.choice(hazards)
        self.client.get(f"/api/v1/hazards/{hazard['id']}", name="GET /api/v1/hazards/{id}")
        action = str(uuid.uuid4())
        self.outbox.send(
            "POST",
            f"/api/v1/hazards/{hazard['id']}/actions",
            "POST /api/v1/hazards/{id}/actions",
            action,
            "action_uuid",
            json={
                "action": "assign",
                "version": hazard["version"],
                "client_uuid": action,
                "responsible_unit": CONFIG["unit_id"],
                "responsible_person": "load",
                "assignee_user_id": random.choice(CONFIG["assignee_ids"]),
                "measures": "load run",
                "deadline": (date.today() + timedelta(days=5)).isoformat(),
            },
        )

    @task(1)
    def raise_hazard(self) -> None:
        hazard = str(uuid.uuid4())
        stake = random.choice(CONFIG["positions"])[0]
        self.outbox.send(
            "POST",
            "/api/v1/hazards",
            "POST /api/v1/hazards",
            hazard,
            "uuid",
            json={
                "client_uuid": hazard,
                "road": "G30",
                "direction": "up",
                "stake": stake,
                "category": "guardrail_damage",
                "grade": "general",
                "description": "load run",
            },
        )


class Manager(HttpUser):
    fixed_count = 3
    wait_time = between(5, 15)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {next(_tokens['managers'])}"

    @task(2)
    def report(self) -> None:
        year = CONFIG["year"]
        self.client.get(f"/api/v1/reports/annual?year={year}", name="GET /api/v1/reports/annual")

    @task(2)
    def map(self) -> None:
        self.client.get("/map", name="GET /map")
        self.client.get(
            f"/ogc/collections/findings/items?bbox={CONFIG['bbox']}&limit=500",
            name="GET /ogc/collections/findings/items",
        )
