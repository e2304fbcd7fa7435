"""Routing and automatic escalation in the background, after fast triage labels land, so ingest stays fast.

It runs on the `triage` queue, whose worker polls every 0.1 s, ahead of the next fast batch:
a conversation should reach an owner within a second of its labels, and the general worker
may be busy with an import or an embedding batch.
"""

from collections.abc import Iterable

from django.db import transaction

from townsquare.tasks import reliable_task

ROUTING_PRIORITY = 10


@reliable_task(max_attempts=3, queue_name="triage", priority=ROUTING_PRIORITY)
def route_task(conversation_ids: list[int]) -> dict:
    from townsquare.care.escalation import check_automatic
    from townsquare.care.routing import route

    # Routed first, so an automatic escalation moves the conversation off the rung it just reached.
    outcome = route(conversation_ids).as_dict()
    outcome["escalated"] = check_automatic(conversation_ids)
    return outcome


def route_after_commit(conversation_ids: Iterable[int | None]) -> None:
    """Enqueue routing and the automatic escalation rules for these conversations once the current
    transaction commits."""
    ids = sorted({cid for cid in conversation_ids if cid is not None})
    if ids:
        transaction.on_commit(lambda: route_task.enqueue(ids))
