"""Assignment claims per second under 8 concurrent workers, against a raw conditional UPDATE loop.

    python -m bench.inbox_claims WORKERS   (a child process with the fixture's Django settings)

The fixture keeps a pool of new, unassigned conversations in the manual queue "Bench claims",
worked by eight agents (claim01..claim08). Each worker is its own process with its own database
connection; all walk the whole pool, each in its own random order, so most conversations are
fought over. Ours: `townsquare.care.claims.claim(user, conversation_id)` (a loss raises
AlreadyAssigned). Baseline: `UPDATE … SET assignee_id = ? WHERE id = ? AND assignee_id IS NULL`
on a raw sqlite3/psycopg connection. After each run: every conversation has at most one owner
and one new `conversation.assigned` event, and the winners' count equals the assigned rows. The pool
is unassigned again before and after, so the cached fixture stays reusable. Prints one JSON line.
"""

import json
import multiprocessing
import os
import random
import sys
import time
from datetime import UTC, datetime

QUEUE = "Bench claims"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    import django

    django.setup()


def pool_ids() -> list[int]:
    from townsquare.inbox.models import Conversation

    return list(Conversation.objects.filter(queue__name=QUEUE).order_by("pk").values_list("pk", flat=True))


def reset_pool(ids: list[int]) -> int:
    """Unassign the pool again; returns the event log's high-water mark (events are never deleted)."""
    from django.db.models import Max

    from townsquare.events.models import Event
    from townsquare.inbox.models import Conversation

    Conversation.objects.filter(pk__in=ids).update(
        assignee=None, assigned_at=None, escalation_level="", status="new"
    )
    return Event.objects.aggregate(last=Max("id"))["last"] or 0


def raw_update_connection():
    from bench.inbox_pages import raw_connection

    raw, placeholder = raw_connection()
    if placeholder == "?":
        raw.execute("PRAGMA busy_timeout=30000")
    return raw, placeholder


def worker(mode: str, username: str, ids: list[int], seed: int, barrier, results) -> None:
    """One claimer process: walk the pool in its own order; report wins, losses, errors, times."""
    setup_django()
    from townsquare.care.claims import AlreadyAssigned, ClaimError, claim
    from townsquare.people.models import User

    user = User.objects.get(username=username)
    order = ids[:]
    random.Random(seed).shuffle(order)
    raw = placeholder = None
    if mode == "baseline":
        raw, placeholder = raw_update_connection()
        update = "UPDATE inbox_conversation SET assignee_id = %s, assigned_at = %s WHERE id = %s AND assignee_id IS NULL"
        update = update.replace("%s", placeholder)
    wins = losses = 0
    errors = []
    barrier.wait()
    began = time.perf_counter()
    for conversation_id in order:
        if mode == "baseline":
            now = (
                datetime.now(UTC).replace(tzinfo=None).isoformat(" ")
                if placeholder == "?"
                else datetime.now(UTC)
            )
            cursor = raw.execute(update, (user.pk, now, conversation_id))
            won = cursor.rowcount == 1
        else:
            try:
                claim(user, conversation_id)
                won = True
            except AlreadyAssigned:
                won = False
            except ClaimError as exc:
                won = False
                errors.append(str(exc))
        wins, losses = wins + won, losses + (not won)
    ended = time.perf_counter()
    if raw is not None:
        raw.close()
    results.put({"wins": wins, "losses": losses, "errors": errors[:5], "began": began, "ended": ended})


def run_workers(mode: str, ids: list[int], workers: int) -> dict:
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(workers), context.Queue()
    processes = [
        context.Process(target=worker, args=(mode, f"claim{i + 1:02}", ids, 100 + i, barrier, results))
        for i in range(workers)
    ]
    for process in processes:
        process.start()
    reports = [results.get(timeout=1800) for _ in processes]
    for process in processes:
        process.join(60)
    seconds = max(r["ended"] for r in reports) - min(r["began"] for r in reports)
    wins = sum(r["wins"] for r in reports)
    return {
        "wins": wins,
        "attempts": wins + sum(r["losses"] for r in reports),
        "seconds": seconds,
        "errors": [error for r in reports for error in r["errors"]][:5],
    }


def double_assignments(ids: list[int], wins: int, since_event: int) -> int:
    """Conversations given to more than one worker: extra events, or more winners than owned rows."""
    from django.db.models import Count

    from townsquare.events.models import Event
    from townsquare.inbox.models import Conversation

    owned = Conversation.objects.filter(pk__in=ids, assignee__isnull=False).count()
    repeated = (
        Event.objects.filter(id__gt=since_event, conversation_id__in=ids, kind="conversation.assigned")
        .values("conversation_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return repeated + max(0, wins - owned)


def main(workers: int) -> dict:
    setup_django()
    ids = pool_ids()
    if not ids:
        raise RuntimeError(f"the fixture has no conversations in the queue {QUEUE!r}")
    mark = reset_pool(ids)
    baseline = run_workers("baseline", ids, workers)
    baseline["double_assignments"] = double_assignments(ids, baseline["wins"], mark)
    mark = reset_pool(ids)
    ours = run_workers("claim", ids, workers)
    ours["double_assignments"] = double_assignments(ids, ours["wins"], mark)
    reset_pool(ids)
    return {"pool": len(ids), "workers": workers, "ours": ours, "baseline": baseline}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
