"""Run the locust scenario (bench/load/locustfile.py) against gunicorn on loopback; print figures.

    .venv/bin/python -m bench.load.run_load [--duration 180] [--configs sync:3,gthread:3x4]

Its own cluster (port 55420, data under /tmp, removed at the end; never the shared dev or test
cluster), migrated, with the demo data and 200 crews, 10 officers and 3 managers with API tokens.
For each gunicorn configuration (class:workers[xthreads]): gunicorn on 127.0.0.1:55421 as
`make serve` runs it, locust headless (-u 213 -r 20 -t DURATION), bounded in time and aimed at
loopback only. Printed per configuration: requests/s, p50/p95 per endpoint, failures, and the CPU
seconds of gunicorn, PostgreSQL and locust itself (all on the same 2 cores). Beside the app's
/api/v1/locate, the same statement (network.locating.nearest_piece_rows) on a bare connection,
sampled during the same run, and the ratio.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import psutil
import requests
from sqlalchemy import create_engine

from tests.faults.cluster import Cluster

ROOT = Path(__file__).resolve().parents[2]
BASE = Path("/tmp/inspection-load-h10")
PG_PORT = 55420
APP_PORT = 55421
HOST = f"http://127.0.0.1:{APP_PORT}"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def prepare(cluster: Cluster, env: dict) -> dict:
    """Migrate, load the demo data, make the users and tokens; return the locust config."""
    flask = str(ROOT / ".venv/bin/flask")
    subprocess.run([flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([flask, "demo", "load"], env=env, cwd=ROOT, check=True, capture_output=True)
    os.environ.update(env)
    from sqlalchemy import text

    from inspection import create_app
    from inspection.auth import services as auth
    from inspection.extensions import db
    from inspection.network import services as network
    from inspection.network.stakes import format_stake

    app = create_app()
    config: dict = {"crews": [], "officers": [], "managers": []}
    with app.app_context():
        session = db.session
        crews = []
        for role, key, count in (
            ("patrol", "crews", 200),
            ("safety_officer", "officers", 10),
            ("manager", "managers", 3),
        ):
            for n in range(count):
                user = auth.create_user(session, f"load-{key}-{n}", "load-run-pass-1", [role])
                session.flush()
                config[key].append(auth.issue_token(session, user).token)
                if role == "patrol":
                    crews.append(user.id)
        road = network.get_road(session, "G30", "up")
        positions = []
        for chainage in range(3505000, 3507001, 100):
            spot = network.position_of_stake(session, road, chainage)
            positions.append([format_stake(chainage), round(spot.lon, 7), round(spot.lat, 7)])
        lons = [p[1] for p in positions]
        lats = [p[2] for p in positions]
        config.update(
            positions=positions,
            bbox=f"{min(lons) - 0.05},{min(lats) - 0.05},{max(lons) + 0.05},{max(lats) + 0.05}",
            unit_id=session.scalar(text("SELECT min(id) FROM departments")),
            assignee_ids=crews[:20],
            year=time.gmtime().tm_year,
        )
        session.commit()
        db.engine.dispose()
    return config


class CpuMeter:
    """CPU seconds of process groups, summed over every process seen (backends come and go)."""

    def __init__(self, groups: dict) -> None:
        self.groups = groups  # name → callable returning the group's processes
        self.first: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.started = time.monotonic()
        self._sample(initial=True)
        self.thread.start()

    def _sample(self, initial: bool = False) -> None:
        for name, processes in self.groups.items():
            for process in processes():
                try:
                    times = process.cpu_times()
                except psutil.Error:
                    continue
                used = times.user + times.system
                self.first.setdefault(process.pid, used if initial else 0.0)
                self.last[process.pid] = (name, used)

    def _run(self) -> None:
        while not self.stop.wait(0.5):
            self._sample()

    def finish(self) -> dict[str, float]:
        self.stop.set()
        self.thread.join()
        self._sample()
        seconds = time.monotonic() - self.started
        totals: dict[str, float] = {}
        for pid, (name, used) in self.last.items():
            totals[name] = totals.get(name, 0.0) + used - self.first.get(pid, 0.0)
        shares = {name: 100 * value / seconds for name, value in totals.items()}
        return {**shares, "cpu_seconds": totals, "seconds": seconds}


def tree(pid: int):
    def processes():
        try:
            root = psutil.Process(pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    return processes


def raw_locate(url: str, positions: list, stop: threading.Event, out: list) -> None:
    """The locate statement on a bare connection, twice a second, while the load runs."""
    from inspection.network.locating import nearest_piece_rows

    engine = create_engine(url, connect_args={"options": "-c jit=off"})
    with engine.connect() as connection:
        index = 0
        while not stop.wait(0.5):
            _, lon, lat = positions[index % len(positions)]
            index += 1
            started = time.perf_counter()
            nearest_piece_rows(connection, lon, lat, tolerance_m=100, limit=5, road_code="G30")
            out.append((time.perf_counter() - started) * 1000)
            connection.rollback()
    engine.dispose()


def run_config(spec: str, env: dict, config_path: Path, args, cluster: Cluster, config: dict):
    kind, _, size = spec.partition(":")
    workers, _, threads = size.partition("x")
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "--workers",
        workers,
        "--worker-class",
        kind,
        "--bind",
        f"127.0.0.1:{APP_PORT}",
        # As behind nginx, whose upstream connections are one request each by default; with
        # keep-alive on, gthread closes idle connections that locust then reuses (cut requests).
        "--keep-alive",
        "0",
        "wsgi:app",
    ]
    if threads:
        command[1:1] = ["--threads", threads]
    log_path = BASE.parent / f"inspection-load-h10-{spec.replace(':', '-')}.log"
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log_path.open("w"), stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(HOST + "/healthz", timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        prefix = BASE / f"locust-{spec.replace(':', '-')}"
        locust_cmd = [
            str(ROOT / ".venv/bin/locust"),
            "-f",
            str(ROOT / "bench/load/locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "-t",
            f"{args.duration}s",
            "--stop-timeout",
            "10",
            "--host",
            HOST,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
        raw: list[float] = []
        stop = threading.Event()
        sampler = threading.Thread(
            target=raw_locate, args=(cluster.url(), config["positions"], stop, raw)
        )
        locust = subprocess.Popen(
            locust_cmd,
            env={**env, "LOAD_CONFIG": str(config_path)},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(BASE / f"locust-{spec.replace(':', '-')}.err").open("w"),
        )
        meter = CpuMeter(
            {"gunicorn": tree(server.pid), "postgres": tree(postmaster), "locust": tree(locust.pid)}
        )
        sampler.start()
        locust.wait(timeout=args.duration + 120)
        cpu = meter.finish()
        stop.set()
        sampler.join()
        return read_stats(prefix), cpu, raw
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def report(spec: str, stats: list[dict], cpu: dict, raw: list[float], duration: int) -> str:
    lines = [
        f"### {spec}",
        "",
        "| endpoint | requests | failures | req/s | p50 ms | p95 ms |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    app_locate = None
    for row in stats:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        lines.append(
            f"| {row['Type']} {name} | {row['Request Count']} | {row['Failure Count']} |"
            f" {float(row['Requests/s']):.2f} | {row['50%']} | {row['95%']} |"
        )
        if row["Name"] == "GET /api/v1/locate":
            app_locate = float(row["50%"])
    total = next((int(r["Request Count"]) for r in stats if r["Name"] == "Aggregated"), 0)
    per_request = {
        name: 1000 * seconds / total for name, seconds in cpu["cpu_seconds"].items() if total
    }
    raw_p50 = float(np.percentile(raw, 50)) if raw else float("nan")
    ratio = f"{app_locate / raw_p50:.1f}" if app_locate and raw else "—"
    lines += [
        "",
        f"CPU over the run (% of one core; 2 cores = 200 %): gunicorn {cpu.get('gunicorn', 0):.0f}"
        f" %, PostgreSQL {cpu.get('postgres', 0):.0f} %, locust {cpu.get('locust', 0):.0f} %;"
        f" CPU per request: gunicorn {per_request.get('gunicorn', 0):.1f} ms, PostgreSQL"
        f" {per_request.get('postgres', 0):.1f} ms. Machine load average at the end:"
        f" {os.getloadavg()[0]:.1f} (other helpers' work on the same 2 cores).",
        f"Locate: app p50 {app_locate} ms (HTTP, under load) vs the same statement on a bare"
        f" connection p50 {raw_p50:.1f} ms ({len(raw)} samples in the same run): ratio {ratio}.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--configs", default="sync:3,sync:5,gthread:3x4")
    parser.add_argument("--duration", type=int, default=180)
    parser.add_argument("--users", type=int, default=213)
    parser.add_argument("--spawn-rate", type=int, default=20)
    args = parser.parse_args()
    if args.duration > 600 or args.users > 500:
        raise SystemExit("a load run stays bounded: at most 600 s and 500 users")
    cluster = Cluster(
        BASE / "pg",
        PG_PORT,
        settings={"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"},
    )
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url(),
        "MEDIA_ROOT": str(BASE / "media"),
        "SECRET_KEY": "load-run-" + os.urandom(8).hex(),
        "INSPECTION_ENV": "production",
        "FLASK_APP": "wsgi:app",
    }
    out = []
    try:
        cluster.init()
        cluster.start()
        cluster.create_database("inspection")
        log(f"own cluster on 127.0.0.1:{PG_PORT}; preparing data")
        config = prepare(cluster, env)
        config_path = BASE / "load-config.json"
        config_path.write_text(json.dumps(config), encoding="utf-8")
        for spec in args.configs.split(","):
            log(f"{spec}: {args.users} users for {args.duration} s")
            stats, cpu, raw = run_config(spec, env, config_path, args, cluster, config)
            text = report(spec, stats, cpu, raw, args.duration)
            print(text, flush=True)
            out.append(text)
    finally:
        cluster.stop(remove=True)
        shutil.rmtree(BASE / "media", ignore_errors=True)
        log(f"cluster and photos removed; locust's CSV files stay in {BASE}")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
