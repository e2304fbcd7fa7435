"""Real worker processes against a fresh database (see tests/inbox/fresh_db.py)."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.inbox.fresh_db import ROOT, townsquare

RESULTS = "django_tasks_database_dbtaskresult"
WORKER = ["db_worker", "--no-reload", "--queue-name", "*", "--interval", "0.05", "--no-startup-delay"]


def django(code: str, url: str, data_dir: Path):
    """Run `code` in `townsquare shell` against the fresh database; return what it prints as JSON."""
    done = townsquare(["shell", "-v", "0", "-c", f"import json\n{code}"], url, data_dir)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def enqueue(url: str, data_dir: Path, task: str, *args, **kwargs) -> str:
    code = f"from tests.tasks import jobs\nprint(json.dumps(jobs.{task}.enqueue(*{args!r}, **{kwargs!r}).id))"
    return django(code, url, data_dir)


def history(url: str, data_dir: Path, task: str) -> dict:
    """Every attempt of `task` (oldest first) and the task events, read through the ORM."""
    code = f"""
from django_tasks_db.models import DBTaskResult
from townsquare.events.models import Event
rows = DBTaskResult.objects.filter(task_path="tests.tasks.jobs.{task}").order_by("enqueued_at")
print(json.dumps({{
    "attempts": [
        {{"id": str(r.id), "status": r.status, "error": r.exception_class_path, "traceback": r.traceback,
          "worker_ids": r.worker_ids, "return_value": r.return_value,
          "started_at": r.started_at and r.started_at.timestamp(),
          "finished_at": r.finished_at and r.finished_at.timestamp()}}
        for r in rows
    ],
    "events": [[e.kind, e.data] for e in Event.objects.filter(kind__startswith="task.")],
}}))
"""
    return django(code, url, data_dir)


def start(args: list[str], url: str, data_dir: Path, log: Path) -> subprocess.Popen:
    """Start the CLI with its output in `log` (a pipe nobody reads could fill up and block it)."""
    env = {**os.environ, "DATABASE_URL": url, "TOWNSQUARE_DATA_DIR": str(data_dir)}
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "townsquare.cli", *args], env=env, cwd=ROOT, stdout=out, stderr=out
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
