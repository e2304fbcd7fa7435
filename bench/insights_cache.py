"""The insights bench's databases, kept between runs.

Two keys decide what is rebuilt:
- the event log: GENERATOR_VERSION and the sizes (a new migration is applied to the kept
  database: the log's rows do not depend on the other tables). SQLite keeps it in
  `var/bench/insights-<key>/` (a TOWNSQUARE_DATA_DIR, READY written last); PostgreSQL in the
  URL's database with a one-row `bench_insights_fixture` table; another key drops and recreates.
- the projection: a hash of the insights code (folds, their writers, and what they call) and of
  the migration file names. When it changes, the projection is rebuilt from the cached log, and
  that rebuild is the one the bench reports (marked `cached` when measured in an earlier run).
"""

import hashlib
import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.inbox_cache import SOURCE, _admin_url, django_env, run_child
from bench.insights_gen import GENERATOR_VERSION
from bench.report import note

MARKER_TABLE = "bench_insights_fixture"
# Every insights module: fold writers call into modules of many names (wom_summary, brand_posts…).
FOLD_CODE = ("*.py",)


def events_key(messages: int, conversations: int) -> str:
    material = json.dumps([GENERATOR_VERSION, messages, conversations])
    return hashlib.sha256(material.encode()).hexdigest()[:12]


def _migrations() -> list[str]:
    return sorted(str(path.relative_to(SOURCE)) for path in SOURCE.glob("*/migrations/[0-9]*.py"))


def projection_key() -> str:
    digest = hashlib.sha256(json.dumps(_migrations()).encode())
    files = sorted({path for pattern in FOLD_CODE for path in (SOURCE / "insights").glob(pattern)})
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _events(env: dict, messages: int, conversations: int) -> dict:
    run_child(["-m", "townsquare.cli", "migrate", "--noinput", "--skip-checks"], env, "migrate")
    out = run_child(
        ["-m", "bench.insights_fixture", "events", str(messages), str(conversations)], env, "events"
    )
    return json.loads(out.strip().splitlines()[-1])


def _migrate(env: dict) -> None:
    run_child(["-m", "townsquare.cli", "migrate", "--noinput", "--skip-checks"], env, "migrate")


def _rebuild(env: dict) -> dict:
    note("insights: rebuilding the projection from the event log")
    _migrate(env)
    out = run_child(["-m", "bench.insights_fixture", "rebuild"], env, "rebuild")
    return json.loads(out.strip().splitlines()[-1])


def sqlite_fixture(root: Path, messages: int, conversations: int) -> tuple[dict, dict, dict]:
    """(env for children, event-log summary, rebuild summary), building what is missing or stale."""
    data_dir = root / f"insights-{events_key(messages, conversations)}"
    ready, built = data_dir / "READY", data_dir / "PROJECTION"
    env = django_env(data_dir)
    if ready.exists():
        note(f"insights: reusing the SQLite event log in {data_dir}")
    else:
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        note(f"insights: writing the SQLite event log ({messages:,} messages) in {data_dir}")
        ready.write_text(json.dumps(_events(env, messages, conversations)))
    summary = json.loads(ready.read_text())
    key = projection_key()
    stored = json.loads(built.read_text()) if built.exists() else {}
    if stored.get("key") == key:
        return env, summary, {**stored["rebuild"], "cached": True}
    built.unlink(missing_ok=True)
    rebuilt = _rebuild(env)
    built.write_text(json.dumps({"key": key, "rebuild": rebuilt}))
    return env, summary, {**rebuilt, "cached": False}


def _plain_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(scheme="postgresql"))


def _stored(url: str) -> dict:
    import psycopg

    try:
        with psycopg.connect(_plain_url(url), connect_timeout=3) as db:
            row = db.execute(f"SELECT value FROM {MARKER_TABLE}").fetchone()  # noqa: S608
    except psycopg.Error:
        return {}
    return json.loads(row[0]) if row else {}


def _store(url: str, value: dict) -> None:
    import psycopg

    with psycopg.connect(_plain_url(url)) as db:
        db.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (value text)")
        db.execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608
        db.execute(f"INSERT INTO {MARKER_TABLE} VALUES (%s)", (json.dumps(value),))  # noqa: S608


def postgres_fixture(root: Path, url: str, messages: int, conversations: int) -> tuple[dict, dict, dict]:
    import psycopg

    data_dir = root / "insights-postgres"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = django_env(data_dir, url)
    name = urlsplit(url).path.lstrip("/")
    stored = _stored(url)
    key = events_key(messages, conversations)
    if stored.get("events_key") == key:
        note(f"insights: reusing the PostgreSQL event log in {name}")
    else:
        note(f"insights: writing the PostgreSQL event log ({messages:,} messages) in database {name}")
        with psycopg.connect(_admin_url(url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        stored = {"events_key": key, "events": _events(env, messages, conversations)}
        _store(url, stored)
    fold_key = projection_key()
    if stored.get("projection_key") == fold_key:
        return env, stored["events"], {**stored["rebuild"], "cached": True}
    rebuilt = _rebuild(env)
    _store(url, {**stored, "projection_key": fold_key, "rebuild": rebuilt})
    return env, stored["events"], {**rebuilt, "cached": False}
