"""The community bench's dumps and databases, built once and reused while nothing they depend on changes.

- The synthetic dumps: `var/bench/community-dump-<key>/` (key: generator version and sizes).
- SQLite: `var/bench/community-<key>/` (a TOWNSQUARE_DATA_DIR) with a READY file holding the
  build summary (the import's timings and its raw-executemany baseline) written last.
- PostgreSQL: the database in the URL, with a one-row `bench_community_fixture` table holding
  the key and the summary; any other key drops and recreates that database.
The database key adds the migration file names: a schema change means a fresh import. A change
to the importer alone does not (the rows are the same); its timings are those of the build,
which the output marks `cached`, and `python -m bench.community_import_speed` times the current
importer on one site without touching the cache.
"""

import hashlib
import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.community_gen import GENERATOR_VERSION
from bench.inbox_cache import SOURCE, _admin_url, django_env, run_child
from bench.report import note

MARKER_TABLE = "bench_community_fixture"


def dump_key(questions: int, posts: int) -> str:
    return hashlib.sha256(json.dumps([GENERATOR_VERSION, questions, posts]).encode()).hexdigest()[:12]


def db_key(questions: int, posts: int) -> str:
    migrations = sorted(str(path.relative_to(SOURCE)) for path in SOURCE.glob("*/migrations/[0-9]*.py"))
    material = json.dumps([dump_key(questions, posts), migrations])
    return hashlib.sha256(material.encode()).hexdigest()[:12]


def dumps(root: Path, questions: int, posts: int) -> Path:
    folder = root / f"community-dump-{dump_key(questions, posts)}"
    if (folder / "READY").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    note(f"community: writing synthetic dumps ({questions:,} questions, {posts:,} posts) to {folder}")
    out = run_child(
        ["-m", "bench.community_gen", str(folder), str(questions), str(posts)], dict(os.environ), "dump"
    )
    (folder / "READY").write_text(out.strip().splitlines()[-1])
    return folder


def _import(env: dict, dump_dir: Path) -> dict:
    run_child(["-m", "townsquare.cli", "migrate", "--noinput", "--skip-checks"], env, "migrate")
    out = run_child(["-m", "bench.community_fixture", str(dump_dir)], env, "import", show_progress=True)
    return json.loads(out.strip().splitlines()[-1])


def sqlite_fixture(root: Path, questions: int, posts: int) -> tuple[dict, dict]:
    """(env for children, build summary) of the cached SQLite database, importing it when missing."""
    dump_dir = dumps(root, questions, posts)
    data_dir = root / f"community-{db_key(questions, posts)}"
    ready = data_dir / "READY"
    env = django_env(data_dir)
    if ready.exists():
        note(f"community: reusing the SQLite fixture in {data_dir}")
        return env, {**json.loads(ready.read_text()), "cached": True}
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    note(f"community: importing the dumps into SQLite in {data_dir}")
    summary = _import(env, dump_dir)
    summary["baseline"] = _sqlite_baseline(root, data_dir)
    ready.write_text(json.dumps(summary))
    return env, {**summary, "cached": False}


def _sqlite_baseline(root: Path, data_dir: Path) -> dict:
    empty = root / "community-baseline"
    shutil.rmtree(empty, ignore_errors=True)
    empty.mkdir(parents=True)
    try:
        env = django_env(empty)
        run_child(["-m", "townsquare.cli", "migrate", "--noinput", "--skip-checks"], env, "migrate")
        note("community: baseline, the same rows with raw sqlite3 executemany")
        out = run_child(
            [
                "-m",
                "bench.community_baseline",
                str(data_dir / "townsquare.sqlite3"),
                str(empty / "townsquare.sqlite3"),
            ],
            env,
            "baseline",
        )
        return json.loads(out.strip().splitlines()[-1])
    finally:
        shutil.rmtree(empty, ignore_errors=True)


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


def postgres_fixture(root: Path, url: str, questions: int, posts: int) -> tuple[dict, dict]:
    import psycopg

    dump_dir = dumps(root, questions, posts)
    key = db_key(questions, posts)
    data_dir = root / "community-postgres"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = django_env(data_dir, url)
    summary = _stored_summary(url, key)
    name = urlsplit(url).path.lstrip("/")
    if summary is not None:
        note(f"community: reusing the PostgreSQL fixture in {name}")
        return env, {**summary, "cached": True}
    note(f"community: importing the dumps into PostgreSQL database {name}")
    with psycopg.connect(_admin_url(url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    summary = _import(env, dump_dir)
    with psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql"))) as db:
        db.execute(f"CREATE TABLE {MARKER_TABLE} (key text, summary text)")
        db.execute(f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s)", (key, json.dumps(summary)))  # noqa: S608
    return env, {**summary, "cached": False}
