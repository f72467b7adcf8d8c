"""A throw-away PostgreSQL + PostGIS cluster of the fault run's own (never the shared ones).

It lives in a folder under /tmp, listens on 127.0.0.1 only, on a port the caller picks (the fault
run uses 55410, the load bench 55420), and is stopped and deleted by `stop(remove=True)`.
Run as root, the server runs as the `postgres` user, as scripts/db.sh does it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

PGBIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.getuid() == 0 else argv


class Cluster:
    """initdb, start, restart (-m fast), stop of one cluster on a loopback port."""

    def __init__(self, base: Path, port: int, *, settings: dict[str, str] | None = None) -> None:
        if not 55400 <= port <= 55499:
            raise SystemExit(f"own clusters use ports 55400-55499, not {port}")
        self.base = Path(base)
        self.port = port
        self.data = self.base / "pgdata"
        self.sock = self.base / "pgsock"
        self.log = self.base / "postgres.log"
        self.settings = {
            "listen_addresses": "127.0.0.1",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            **(settings or {}),
        }

    def url(self, database: str = "inspection") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, argv: list[str], **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            _as_postgres(argv), check=True, capture_output=True, text=True, **kwargs
        )

    def _options(self) -> str:
        opts = [f"-k {self.sock}", f"-p {self.port}"]
        opts += [f"-c {name}={value}" for name, value in self.settings.items()]
        return " ".join(opts)

    def init(self) -> None:
        if self.base.exists():
            shutil.rmtree(self.base)
        self.base.mkdir(parents=True)
        if os.getuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self._run(
            [
                str(PGBIN / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "-U",
                "postgres",
            ]
        )
        self._run(["mkdir", "-p", str(self.sock)])

    def start(self) -> None:
        self._run(
            [
                str(PGBIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-w",
                "-o",
                self._options(),
                "start",
            ]
        )

    def restart(self) -> float:
        """pg_ctl restart -m fast; return the seconds it took."""
        started = time.monotonic()
        self._run(
            [
                str(PGBIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-w",
                "-m",
                "fast",
                "-o",
                self._options(),
                "restart",
            ]
        )
        return time.monotonic() - started

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = self._run(
            [
                str(PGBIN / "psql"),
                "-h",
                str(self.sock),
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-Atq",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
                database,
            ]
        )
        return done.stdout.strip()

    def create_database(self, name: str) -> None:
        self.psql(f'CREATE DATABASE "{name}"')

    def stop(self, *, remove: bool = False) -> None:
        if (self.data / "PG_VERSION").exists():
            subprocess.run(
                _as_postgres(
                    [str(PGBIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
                ),
                capture_output=True,
            )
        if remove:
            shutil.rmtree(self.base, ignore_errors=True)
