"""The inbox bench's fixture databases, built once and reused while the schema and generator stay the same.

The cache key hashes GENERATOR_VERSION, the sizes, and the names of every migration file in the
source tree: a new migration (a changed schema) or a new generator means a fresh build.

- SQLite: `var/bench/inbox-<key>/` (a TOWNSQUARE_DATA_DIR) with a READY file written last.
- PostgreSQL: the database named in the URL, with a one-row `bench_inbox_fixture` table holding the
  key and the build summary; any other key (or none) drops and recreates that database.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.inbox_data import GENERATOR_VERSION
from bench.report import note

SOURCE = Path(__file__).resolve().parents[1] / "src" / "townsquare"
MARKER_TABLE = "bench_inbox_fixture"


def cache_key(messages: int, conversations: int, claim_pool: int) -> str:
    migrations = sorted(str(path.relative_to(SOURCE)) for path in SOURCE.glob("*/migrations/[0-9]*.py"))
    material = json.dumps([GENERATOR_VERSION, messages, conversations, claim_pool, migrations])
    return hashlib.sha256(material.encode()).hexdigest()[:12]


def django_env(data_dir: Path, database_url: str = "") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TOWNSQUARE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="townsquare.settings",
        LOG_LEVEL="WARNING",
        OMP_NUM_THREADS="1",
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_child(args: list[str], env: dict[str, str], what: str, *, show_progress: bool = False) -> str:
    """Run `python ARGS` to completion and return its stdout; its stderr is passed through
    (progress of a long child) or kept for the error message."""
    done = subprocess.run(
        [sys.executable, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=None if show_progress else subprocess.PIPE,
        text=True,
        check=False,
        cwd=SOURCE.parents[1],
    )
    if done.returncode:
        raise RuntimeError(f"{what} failed ({done.returncode}):\n{(done.stderr or '')[-4000:]}")
    return done.stdout


def _build(env: dict[str, str], messages: int, conversations: int, claim_pool: int) -> dict:
    run_child(["-m", "townsquare.cli", "migrate", "--noinput"], env, "migrate")
    out = run_child(
        ["-m", "bench.inbox_fixture", str(messages), str(conversations), str(claim_pool)], env, "fixture"
    )
    return json.loads(out.strip().splitlines()[-1])


def sqlite_fixture(root: Path, messages: int, conversations: int, claim_pool: int) -> tuple[dict, dict]:
    """(env for children, build summary) of the cached SQLite fixture, building it when missing."""
    data_dir = root / f"inbox-{cache_key(messages, conversations, claim_pool)}"
    ready = data_dir / "READY"
    env = django_env(data_dir)
    if ready.exists():
        note(f"inbox: reusing the SQLite fixture in {data_dir}")
        return env, json.loads(ready.read_text())
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    note(f"inbox: building the SQLite fixture ({messages:,} messages) in {data_dir}")
    summary = _build(env, messages, conversations, claim_pool)
    ready.write_text(json.dumps(summary))
    note(f"inbox: fixture written in {summary['seconds']} s")
    return env, summary


def _admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))


def postgres_reachable(url: str) -> str:
    """'' when the server answers, else why not."""
    import psycopg

    try:
        psycopg.connect(_admin_url(url), connect_timeout=3).close()
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]
    return ""


def _stored_summary(url: str, key: str) -> dict | None:
    import psycopg

    try:
        with psycopg.connect(
            urlunsplit(urlsplit(url)._replace(scheme="postgresql")), connect_timeout=3
        ) as db:
            row = db.execute(f"SELECT key, summary FROM {MARKER_TABLE}").fetchone()  # noqa: S608
    except psycopg.Error:
        return None
    return json.loads(row[1]) if row and row[0] == key else None


def postgres_fixture(
    root: Path, url: str, messages: int, conversations: int, claim_pool: int
) -> tuple[dict, dict]:
    """(env, summary) of the cached PostgreSQL fixture in the URL's database, rebuilding it when stale."""
    import psycopg

    key = cache_key(messages, conversations, claim_pool)
    data_dir = root / "inbox-postgres"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = django_env(data_dir, url)
    summary = _stored_summary(url, key)
    if summary is not None:
        note(f"inbox: reusing the PostgreSQL fixture in {urlsplit(url).path.lstrip('/')}")
        return env, summary
    name = urlsplit(url).path.lstrip("/")
    note(f"inbox: building the PostgreSQL fixture ({messages:,} messages) in database {name}")
    with psycopg.connect(_admin_url(url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    summary = _build(env, messages, conversations, claim_pool)
    with psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql"))) as db:
        db.execute(f"CREATE TABLE {MARKER_TABLE} (key text, summary text)")
        db.execute(f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s)", (key, json.dumps(summary)))  # noqa: S608
    note(f"inbox: fixture written in {summary['seconds']} s")
    return env, summary
