"""`make test-faults`: outbox-like clients against gunicorn while PostgreSQL and the disk fail.

Root only (tmpfs mount, the server as `postgres`), loopback only, a few minutes. It starts its own
cluster (port 55410, data under /tmp — never the shared dev/test clusters), migrates it, loads the
demo network and users, mounts a tmpfs as MEDIA_ROOT, and starts gunicorn on 127.0.0.1:55412
(gthread, 2 workers × 4 threads, a pool of 2 per worker with a 2 s timeout, keep-alive off so an
open connection to a worker is a request in flight). Then, phase by phase, crews submit patrols,
findings and photos and an officer raises and assigns hazards, each under its UUID and retried
until a 2xx names it, while one fault happens:

  baseline          nothing;
  pg restart        pg_ctl restart -m fast;
  worker killed     SIGKILL to a gunicorn worker that has a request in flight;
  pool exhausted    a table lock makes requests hold their connection, the rest must get 503;
  media full        the tmpfs shrunk to its use + 1 MiB, grown back after 6 s.

After each phase: every UUID answered 2xx is stored exactly once, nothing is stored that no client
sent, every photo row has its file (with the right SHA-256) and every file a row, and the hazard
audit chains verify. The table at the end must show lost = 0 and duplicated = 0; exit 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psutil
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from tests.faults.clients import Ledger, Outbox, crew_round, officer_round
from tests.faults.cluster import Cluster

ROOT = Path(__file__).resolve().parents[2]
BASE = Path("/tmp/inspection-faults-h10")
PG_PORT = 55410
APP_PORT = 55412
APP = f"http://127.0.0.1:{APP_PORT}"
# Room for every photo of the run (tmpfs takes memory only for what is written); the media-full
# phase shrinks it to its use + 1 MiB, then gives this back.
MEDIA_SIZE = "1g"
GUNICORN_LOG = Path("/tmp/inspection-faults-h10-gunicorn.log")  # kept after the run
TABLES = {
    "patrol": "patrols",
    "finding": "findings",
    "photo": "photos",
    "hazard": "hazards",
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Run:
    def __init__(self, crews: int, window: float) -> None:
        self.crews = crews
        self.window = window
        self.cluster = Cluster(BASE / "pg", PG_PORT, settings={"max_connections": "50"})
        self.media = BASE / "media"
        self.url = self.cluster.url("inspection")
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "MEDIA_ROOT": str(self.media),
            "SECRET_KEY": "fault-run-" + os.urandom(8).hex(),
            "INSPECTION_ENV": "production",
            "FLASK_APP": "wsgi:app",
            "DB_POOL_SIZE": "2",
            "DB_MAX_OVERFLOW": "0",
            "DB_POOL_TIMEOUT": "2",
            "DB_CONNECT_TIMEOUT": "3",
        }
        self.gunicorn: subprocess.Popen | None = None
        self.mounted = False
        self.rows: list[dict] = []
        self.failed = False

    # --- set-up and clean-up ---------------------------------------------------------------

    def set_up(self) -> None:
        log(f"own cluster on 127.0.0.1:{PG_PORT} under {BASE}")
        self.cluster.init()
        self.cluster.start()
        self.cluster.create_database("inspection")
        self.media.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "mount",
                "-t",
                "tmpfs",
                "-o",
                f"size={MEDIA_SIZE},mode=0755",
                "tmpfs",
                str(self.media),
            ],
            check=True,
        )
        self.mounted = True
        flask = str(ROOT / ".venv/bin/flask")
        subprocess.run(
            [flask, "db", "upgrade"], env=self.env, cwd=ROOT, check=True, capture_output=True
        )
        subprocess.run(
            [flask, "demo", "load"], env=self.env, cwd=ROOT, check=True, capture_output=True
        )
        self.tokens, self.officer, self.unit_id, self.assignee_id = self._users()
        log("migrated, demo network loaded, users and tokens made")
        self.gunicorn = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--keep-alive",
                "0",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--bind",
                f"127.0.0.1:{APP_PORT}",
                "wsgi:app",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=GUNICORN_LOG.open("w"),
            stderr=subprocess.STDOUT,
        )
        self._wait_healthy(60)
        log(f"gunicorn up on {APP} (master {self.gunicorn.pid})")

    def _users(self):
        os.environ.update(self.env)
        from inspection import create_app
        from inspection.auth import services as auth
        from inspection.extensions import db

        app = create_app()
        with app.app_context():
            session = db.session
            crews = [
                auth.create_user(session, f"faultcrew{n}", "fault-run-pass-1", ["patrol"])
                for n in range(self.crews)
            ]
            officer = auth.create_user(
                session, "faultofficer", "fault-run-pass-1", ["safety_officer"]
            )
            session.flush()
            tokens = [auth.issue_token(session, user).token for user in crews]
            officer_token = auth.issue_token(session, officer).token
            unit_id = session.scalar(text("SELECT min(id) FROM departments"))
            assignee_id = crews[0].id
            session.commit()
            db.engine.dispose()
        return tokens, officer_token, unit_id, assignee_id

    def _wait_healthy(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if requests.get(APP + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not become healthy")

    def clean_up(self) -> None:
        if self.gunicorn and self.gunicorn.poll() is None:
            self.gunicorn.send_signal(signal.SIGTERM)
            try:
                self.gunicorn.wait(15)
            except subprocess.TimeoutExpired:
                self.gunicorn.kill()
                self.gunicorn.wait(5)
        if self.mounted:
            self.mounted = subprocess.run(["umount", str(self.media)], check=False).returncode != 0
        self.cluster.stop(remove=True)
        if not self.mounted:
            shutil.rmtree(BASE, ignore_errors=True)
        log(f"gunicorn stopped (its log: {GUNICORN_LOG}), tmpfs unmounted, cluster removed")

    # --- faults ------------------------------------------------------------------------------

    def fault_pg_restart(self) -> str:
        seconds = self.cluster.restart()
        return f"pg_ctl restart -m fast took {seconds:.1f} s"

    def fault_kill_worker(self) -> str:
        master = psutil.Process(self.gunicorn.pid)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            for worker in master.children():
                busy = [
                    c
                    for c in worker.net_connections("tcp")
                    if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == APP_PORT
                ]
                if busy:
                    os.kill(worker.pid, signal.SIGKILL)
                    return f"SIGKILL to worker {worker.pid} with {len(busy)} request(s) in flight"
            time.sleep(0.01)
        return "no worker had a request in flight (nothing killed)"

    def fault_pool(self) -> str:
        engine = create_engine(self.url)
        with engine.connect() as connection:
            connection.execute(text("LOCK TABLE findings IN ACCESS EXCLUSIVE MODE"))
            time.sleep(6)
            connection.rollback()
        engine.dispose()
        return "findings locked for 6 s: requests holding connections, the pool (2/worker) empty"

    def fault_media_full(self) -> str:
        used = self._media_used()
        size = used + 1024 * 1024
        subprocess.run(["mount", "-o", f"remount,size={size}", str(self.media)], check=True)
        time.sleep(6)
        refused = self.ledger.answers.get("507", 0)
        subprocess.run(["mount", "-o", f"remount,size={MEDIA_SIZE}", str(self.media)], check=True)
        return f"tmpfs shrunk to {size // 1024} KiB ({used // 1024} used) for 6 s; {refused} × 507"

    def _media_used(self) -> int:
        stat = os.statvfs(self.media)
        return (stat.f_blocks - stat.f_bfree) * stat.f_frsize

    # --- one phase ---------------------------------------------------------------------------

    def phase(self, name: str, fault, fault_at: float = 2.0) -> None:
        self.ledger = Ledger()
        stop = threading.Event()
        window_end = time.monotonic() + self.window
        threads = [
            threading.Thread(
                target=crew_round,
                args=(Outbox(APP, token, self.ledger, stop), window_end, hash((name, n)) % 10**6),
            )
            for n, token in enumerate(self.tokens)
        ]
        threads.append(
            threading.Thread(
                target=officer_round,
                args=(
                    Outbox(APP, self.officer, self.ledger, stop),
                    window_end,
                    self.unit_id,
                    self.assignee_id,
                ),
            )
        )
        started = time.monotonic()
        for thread in threads:
            thread.start()
        what = "no fault"
        if fault is not None:
            time.sleep(fault_at)
            what = fault()
        for thread in threads:
            thread.join(timeout=180)
        stop.set()
        seconds = time.monotonic() - started
        self._wait_healthy(30)
        row = self.check(name, what, seconds)
        self.rows.append(row)
        log(f"{name}: {what}; {row['summary']}")

    # --- checks ------------------------------------------------------------------------------

    def check(self, name: str, what: str, seconds: float) -> dict:
        ledger = self.ledger
        items = ledger.items
        acked = [i for i in items if i.acknowledged]
        unacked = [i for i in items if not i.acknowledged]
        retried = sum(1 for i in items if i.attempts > 1)
        stored_once = lost_after_2xx = duplicated = 0
        engine = create_engine(self.url)
        with engine.connect() as connection:
            for kind, table in TABLES.items():
                sent = {i.uuid for i in items if i.kind == kind}
                if not sent:
                    continue
                counts = dict(
                    connection.execute(
                        text(
                            f"SELECT client_uuid::text, count(*) FROM {table}"
                            " WHERE client_uuid::text = ANY(:ids) GROUP BY 1"
                        ),
                        {"ids": list(sent)},
                    ).all()
                )
                for item in (i for i in acked if i.kind == kind):
                    found = counts.get(item.uuid, 0)
                    stored_once += found == 1
                    lost_after_2xx += found == 0
                    duplicated += max(0, found - 1)
            # Each acknowledged action is one audit event; each acknowledged end an ended patrol.
            events = dict(
                connection.execute(
                    text(
                        "SELECT payload->>'client_uuid', count(*) FROM hazard_events"
                        " WHERE payload->>'client_uuid' = ANY(:ids) GROUP BY 1"
                    ),
                    {"ids": [i.uuid for i in items if i.kind == "action"]},
                ).all()
            )
            ended = set(
                connection.scalars(
                    text(
                        "SELECT client_uuid::text FROM patrols WHERE ended_at IS NOT NULL"
                        " AND client_uuid::text = ANY(:ids)"
                    ),
                    {"ids": [i.uuid for i in items if i.kind == "patrol_end"]},
                )
            )
            for item in acked:
                if item.kind == "action":
                    found = events.get(item.uuid, 0)
                elif item.kind == "patrol_end":
                    found = int(item.uuid in ended)
                else:
                    continue
                stored_once += found == 1
                lost_after_2xx += found == 0
                duplicated += max(0, found - 1)
            photos = connection.execute(
                text("SELECT content_key, thumbnail_key, sha256 FROM photos")
            ).all()
            with Session(bind=connection) as session:
                from inspection.hazards import services

                breaks = services.verify_audit_chains(session)
        engine.dispose()
        named = set()
        rows_without_file = 0
        for key, thumb, sha in photos:
            named.update((key, thumb))
            path = self.media / key
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                rows_without_file += 1
            if not (self.media / thumb).is_file():
                rows_without_file += 1
        files = {str(p.relative_to(self.media)) for p in self.media.rglob("*") if p.is_file()}
        orphans = len(files - named)
        lost = lost_after_2xx + len(unacked)
        errors = Counter({k: v for k, v in ledger.answers.items() if not k.startswith("2")})
        ok = (
            lost == 0
            and duplicated == 0
            and rows_without_file == 0
            and orphans == 0
            and not breaks
            and ledger.hangs == 0
        )
        self.failed |= not ok
        return {
            "phase": name,
            "fault": what,
            "seconds": seconds,
            "uuids": len(items),
            "requests": sum(ledger.answers.values()),
            "errors": ", ".join(f"{k}×{v}" for k, v in sorted(errors.items())) or "—",
            "slowest_error_s": ledger.slowest_error_s,
            "stored": stored_once,
            "retried": retried,
            "lost": lost,
            "duplicated": duplicated,
            "needs_attention": [i.needs_attention for i in unacked if i.needs_attention],
            "samples": dict(ledger.samples),
            "rows_without_file": rows_without_file,
            "orphan_files": orphans,
            "audit": "intact" if not breaks else f"{len(breaks)} broken",
            "ok": ok,
            "summary": (
                f"{len(items)} UUIDs, stored {stored_once}, retried {retried}, lost {lost},"
                f" duplicated {duplicated}, errors {dict(errors)}, audit"
                f" {'intact' if not breaks else breaks[:3]}"
            ),
        }

    def table(self) -> str:
        head = (
            "| phase | fault | s | requests | error answers (slowest) | UUIDs | stored | retried"
            " | lost | dup | row w/o file | file w/o row | audit |\n"
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
        )
        lines = [head]
        for r in self.rows:
            lines.append(
                f"| {r['phase']} | {r['fault']} | {r['seconds']:.0f} | {r['requests']} |"
                f" {r['errors']} ({r['slowest_error_s']:.1f} s) | {r['uuids']} | {r['stored']} |"
                f" {r['retried']} | {r['lost']} | {r['duplicated']} | {r['rows_without_file']} |"
                f" {r['orphan_files']} | {r['audit']} |"
            )
        return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--crews", type=int, default=8)
    parser.add_argument("--window", type=float, default=10.0, help="seconds of work per phase")
    args = parser.parse_args()
    if os.getuid() != 0:
        print("test-faults needs root (tmpfs mount; PostgreSQL runs as postgres)", file=sys.stderr)
        return 2
    run = Run(args.crews, args.window)
    started = time.monotonic()
    try:
        run.set_up()
        run.phase("baseline", None)
        run.phase("pg restart", run.fault_pg_restart)
        run.phase("worker killed", run.fault_kill_worker)
        run.phase("pool exhausted", run.fault_pool, fault_at=1.0)
        run.phase("media full", run.fault_media_full, fault_at=1.0)
    finally:
        run.clean_up()
    print()
    print(run.table())
    for row in run.rows:
        for status, sample in sorted(row["samples"].items()):
            print(f"  {row['phase']}: {status} said {sample}")
        for note in row["needs_attention"][:5]:
            print(f"  {row['phase']}: needs attention: {note}")
    print(
        f"\ntotal {time.monotonic() - started:.0f} s;", "FAILED" if run.failed else "all phases OK"
    )
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
