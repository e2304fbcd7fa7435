"""Typed readers for settings that come from environment variables.

Every setting has a working default so that `make run` needs no configuration;
a value that cannot be parsed stops start-up with a message naming the variable.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit


class ConfigError(ValueError):
    """An environment variable holds a value Townsquare cannot use."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, "") or default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ConfigError(f"{name}={raw!r} is not a finite number")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name, "").strip()
    return Path(raw).expanduser().resolve() if raw else default


def sqlite_database(path: Path, busy_timeout_ms: int, cache_kib: int = 65536) -> dict:
    """SQLite tuned for several writer processes: WAL, IMMEDIATE transactions, a busy wait."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": busy_timeout_ms / 1000,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA busy_timeout={busy_timeout_ms}; PRAGMA foreign_keys=ON; "
                # A larger page cache keeps index pages in memory during bulk ingest.
                f"PRAGMA cache_size=-{cache_kib}; PRAGMA temp_store=MEMORY;"
            ),
        },
        # Keep connections: opening one runs the PRAGMAs above and closing the last one checkpoints
        # the WAL (~10 ms), which made every WebSocket consumer's database call pay both.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }


def database_from_url(
    url: str, busy_timeout_ms: int, pool_size: int = 20, pool_timeout: float = 10.0
) -> dict:
    """Turn `sqlite:///path` or `postgres://user:pw@host:port/name?sslmode=…` into Django settings.

    PostgreSQL connections come from a pool of at most `pool_size` per process (0: no pool, one
    kept connection per thread). Django's connections belong to threads, and a web process has
    many: one per concurrent request (ops/http_handler.py keeps them for reuse; Django's own ASGI
    handler started one per request, so every request opened a new PostgreSQL connection, a
    backend process forked, authenticated and set up: about 8 ms of server CPU), the live relay,
    the chat writer. With the pool each borrows a connection for a request or a tick and gives
    it back, and the process never holds more than `pool_size`; a request waits at most
    `pool_timeout` seconds for a free one.
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        # sqlite:////abs/path.db is absolute, sqlite:///rel/path.db is relative to the working directory
        path = path[1:] if path.startswith("/") else path
        return sqlite_database(Path(path).expanduser().resolve(), busy_timeout_ms)
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/")) or "townsquare"
        options: dict = dict(parse_qsl(parts.query))
        if pool_size < 0:
            raise ConfigError(f"the database pool size must be 0 (no pool) or more, not {pool_size}")
        if pool_size:
            # Django hands the pool's connections out; the pool checks each before lending it
            # (CONN_HEALTH_CHECKS), so a restarted server costs no failed request.
            # One connection kept open per process (workers use one at a time); the pool grows
            # with concurrent requests and closes what stays idle for 10 minutes.
            options["pool"] = {"min_size": 1, "max_size": pool_size, "timeout": pool_timeout}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            # A pooled connection goes back to the pool at the end of each request (Django refuses
            # CONN_MAX_AGE with a pool); without one, a thread keeps its connection for a minute.
            "CONN_MAX_AGE": 0 if pool_size else 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ConfigError(f"DATABASE_URL scheme {parts.scheme!r} is not supported (use sqlite:// or postgres://)")
