"""A fresh, migrated database of the same kind as the test run, for tests that run the CLI in
several real processes (concurrency, crashes). The pytest database lives in one process's
transaction or memory, so those processes could not share it."""

import os
import sqlite3
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def townsquare(args: list[str], url: str, data_dir: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "TOWNSQUARE_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "townsquare.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        **kwargs,
    )


def popen(args: list[str], url: str, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "TOWNSQUARE_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "townsquare.cli", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@contextmanager
def fresh_database(tmp_path: Path):
    """Yield (url, query) where query(sql) returns all rows; the database is dropped afterwards."""
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        name = f"townsquare_t_{uuid.uuid4().hex[:12]}"
        admin = dict(
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
            user=settings["USER"] or "postgres",
            dbname="postgres",
            autocommit=True,
        )
        with psycopg.connect(**admin) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://{admin['user']}@{admin['host']}:{admin['port']}/{name}"

        def query(sql):
            with psycopg.connect(**{**admin, "dbname": name}) as conn:
                return conn.execute(sql).fetchall()
    else:
        path = tmp_path / "fresh.sqlite3"
        url = f"sqlite:///{path}"

        def query(sql):
            with sqlite3.connect(path) as conn:
                return conn.execute(sql).fetchall()

    done = townsquare(["migrate", "--noinput", "-v0"], url, tmp_path)
    assert done.returncode == 0, done.stderr
    try:
        yield url, query
    finally:
        if connection.vendor == "postgresql":
            with psycopg.connect(**admin) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
