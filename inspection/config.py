"""Settings from the environment; no production defaults for secrets."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REPLICA_BIND = "replica"  # the bind key of the read replica's engine (inspection/replica.py)


class ConfigError(RuntimeError):
    """The environment is missing a setting the app cannot start without."""


def local_cluster_url(kind: str = "dev") -> str:
    """Return the URL of the project-local cluster that scripts/db.sh manages."""
    result = subprocess.run(
        [str(PROJECT_ROOT / "scripts" / "db.sh"), "url", kind],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def from_environment(env: os._Environ | dict | None = None) -> dict:
    """Build the Flask config mapping from environment variables."""
    env = os.environ if env is None else env
    mode = env.get("INSPECTION_ENV", "production")
    development = mode in {"development", "test"}

    secret_key = env.get("SECRET_KEY")
    if not secret_key:
        if not development:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value "
                '(python3 -c "import secrets; print(secrets.token_hex(32))").'
            )
        # Development only: a key that changes with every start is safer than a known constant.
        secret_key = os.urandom(32).hex()

    database_url = env.get("DATABASE_URL") or local_cluster_url("dev")
    media_root = env.get("MEDIA_ROOT") or str(PROJECT_ROOT / "instance" / "media")

    return {
        "INSPECTION_ENV": mode,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        # JIT off for the app's sessions: its queries run in milliseconds, and compiling them
        # cost 300-400 ms a report query once tables pass JIT's cost threshold (bench/README.md).
        # The pool answers quickly when it cannot serve: a request waits at most DB_POOL_TIMEOUT
        # seconds for a connection and a new connection at most DB_CONNECT_TIMEOUT seconds, then
        # the client gets 503 + Retry-After (web.handle_database_busy/_unavailable), never a hang.
        # No pre-ping (a round trip before every request's first statement): a pooled connection
        # the server ended (restart, failover) fails in the request that finds it, which answers
        # 503 + Retry-After like any fault of a restart (web.handle_database_unavailable), and
        # SQLAlchemy then replaces every connection older than the failure. Connections are
        # renewed after DB_POOL_RECYCLE seconds, before any firewall or proxy drops them idle.
        # DB_POOL_PRE_PING=1 brings the ping back (the retried request is then rarer).
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": _whole(env, "DB_POOL_PRE_PING", 0, 0, 1) == 1,
            "pool_recycle": _whole(env, "DB_POOL_RECYCLE", 1800, 60, 86400),
            "pool_size": _whole(env, "DB_POOL_SIZE", 5, 1, 100),
            "max_overflow": _whole(env, "DB_MAX_OVERFLOW", 10, 0, 100),
            "pool_timeout": _whole(env, "DB_POOL_TIMEOUT", 3, 1, 60),
            "connect_args": {
                "options": "-c jit=off",
                "connect_timeout": _whole(env, "DB_CONNECT_TIMEOUT", 5, 1, 60),
            },
        },
        # A streaming replica for reports, OGC API and map reads (inspection/replica.py); unset,
        # every request reads and writes the primary as before.
        **_replica_settings(env),
        "MEDIA_ROOT": media_root,
        "BRANCH_TIMEZONE": env.get("BRANCH_TIMEZONE", "Asia/Shanghai"),
        # The branch's name as printed on its paperwork (the 计量单's title: "XX分局 …").
        "BRANCH_NAME": env.get("BRANCH_NAME", ""),
        # The months the supplies board warns of shortfalls in (inspection/supplies/stock.py).
        "SUPPLIES_WINTER_MONTHS": env.get("SUPPLIES_WINTER_MONTHS"),
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": env.get("BRANCH_TIMEZONE", "Asia/Shanghai"),
        "LANGUAGES": ("zh_CN", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": not development,
        "WTF_CSRF_TIME_LIMIT": None,
        # A request body may carry one photo plus its form fields.
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", 26 * 1024 * 1024)),
        "PHOTO_MAX_BYTES": int(env.get("PHOTO_MAX_BYTES", 25 * 1024 * 1024)),
        # Reverse proxies in front of the app (nginx: 1). Their X-Forwarded-For/-Proto are
        # trusted for that many hops, so the login throttle counts the phone's address, not
        # the proxy's; 0 (the default) trusts no header.
        "PROXY_HOPS": _hops(env.get("PROXY_HOPS", "0")),
    }


def _replica_settings(env) -> dict:
    """Return the replica's bind (SQLALCHEMY_BINDS) when DATABASE_REPLICA_URL is set.

    Its pool is sized like the primary's unless DB_REPLICA_POOL_SIZE / DB_REPLICA_MAX_OVERFLOW
    say otherwise; its sessions are read-only (default_transaction_read_only), so a write that
    reached it by mistake fails loudly even while it falls back to the primary. After a failed
    connection to it, reads go to the primary for DB_REPLICA_RETRY seconds before it is tried again.
    """
    url = env.get("DATABASE_REPLICA_URL")
    retry = _whole(env, "DB_REPLICA_RETRY", 30, 1, 3600)
    if not url:
        return {"DATABASE_REPLICA_URL": None, "DB_REPLICA_RETRY": retry}
    pool_size = _whole(env, "DB_POOL_SIZE", 5, 1, 100)
    overflow = _whole(env, "DB_MAX_OVERFLOW", 10, 0, 100)
    bind = {
        "url": url,
        "pool_pre_ping": True,
        "pool_size": _whole(env, "DB_REPLICA_POOL_SIZE", pool_size, 1, 100),
        "max_overflow": _whole(env, "DB_REPLICA_MAX_OVERFLOW", overflow, 0, 100),
        "pool_timeout": _whole(env, "DB_POOL_TIMEOUT", 3, 1, 60),
        "connect_args": {
            "options": "-c jit=off -c default_transaction_read_only=on",
            "connect_timeout": _whole(env, "DB_CONNECT_TIMEOUT", 5, 1, 60),
        },
    }
    return {
        "DATABASE_REPLICA_URL": url,
        "DB_REPLICA_RETRY": retry,
        "SQLALCHEMY_BINDS": {REPLICA_BIND: bind},
    }


def _whole(env, name: str, default: int, low: int, high: int) -> int:
    value = env.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {value!r}.")
    return int(value)


def _hops(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value) > 5:
        raise ConfigError(f"PROXY_HOPS must be a whole number from 0 to 5, not {value!r}.")
    return int(value)
