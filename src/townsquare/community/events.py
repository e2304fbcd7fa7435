"""Community events: written to the append-only event log, then handed to in-process listeners.

Reputation, badges, trust levels and notifications all react to the same events, inside the
transaction that wrote them, so a cached value never disagrees with the log it is computed from.
A listener registers with `@listens("community.answer_accepted", …)`; with no kinds it hears all.
"""

from collections.abc import Callable

from townsquare.events.log import record
from townsquare.events.models import Event

Listener = Callable[[Event], None]
_listeners: list[tuple[frozenset[str], Listener]] = []


def listens(*kinds: str):
    def register(listener: Listener) -> Listener:
        _listeners.append((frozenset(kinds), listener))
        return listener

    return register


def record_community(kind: str, *, actor=None, data: dict, conversation_id: int | None = None) -> Event:
    """Write `kind` (a "community.*" event) and run its listeners. Call inside a transaction."""
    event = record(kind, actor=actor, data=data, conversation_id=conversation_id)
    for kinds, listener in list(_listeners):
        if not kinds or kind in kinds:
            listener(event)
    return event
