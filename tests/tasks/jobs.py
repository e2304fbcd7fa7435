"""Tasks the tests enqueue. A module of its own so that worker subprocesses can import it
(`python -m townsquare.cli` runs from the repository root, which is then on sys.path).

State that must outlive a process (how often a task ran) lives in files under a test's tmp_path.
"""

import os
import time
from pathlib import Path

from django.tasks import task

from townsquare.tasks import reliable_task


class Flaky(RuntimeError):
    pass


def count_run(counter: str) -> int:
    path = Path(counter)
    runs = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(runs))
    return runs


@reliable_task(max_attempts=3)
def flaky(counter: str, failures: int) -> int:
    """Fails its first `failures` runs, then returns how many runs it took."""
    runs = count_run(counter)
    if runs <= failures:
        raise Flaky(f"run {runs} fails on purpose")
    return runs


@reliable_task(max_attempts=3)
def always_fails(counter: str) -> None:
    runs = count_run(counter)
    raise Flaky(f"run {runs} fails as always")


@reliable_task(max_attempts=5, give_up_on=(ValueError,))
def rejects_bad_input(counter: str) -> None:
    count_run(counter)
    raise ValueError("this input will never work")


@reliable_task(max_attempts=1)
def single_shot(counter: str) -> None:
    count_run(counter)
    raise Flaky("only one try")


@task()
def plain(counter: str) -> None:
    count_run(counter)
    raise Flaky("a plain django task")


@reliable_task(max_attempts=3)
def sleeps_on_first_run(marker: str, seconds: float) -> str:
    """The first run writes its worker's pid to `marker` and sleeps (to be killed); later runs return."""
    path = Path(marker)
    if path.exists():
        return "done"
    path.write_text(str(os.getpid()))
    time.sleep(seconds)
    return "slept"
