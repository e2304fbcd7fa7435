"""A customer's merges and splits, read back from the event log for the customer page."""

from dataclasses import dataclass
from datetime import datetime

from townsquare.events.models import Event
from townsquare.people.merging import VIA_CLI, VIA_EMAIL
from townsquare.people.models import MergeEvent, User

HISTORY_LIMIT = 50
KINDS = ("customer.merged", "identity.split")


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    kind: str  # "merged" or "split"
    who: str  # a person's name, "verified email" or "command line"
    reason: str
    survivor_id: int | None = None  # merges: who absorbed whom
    merged_id: int | None = None
    identity_id: int | None = None  # splits: which identity went where
    from_customer_id: int | None = None
    to_customer_id: int | None = None
    revived: bool = False
    identities: int = 0
    conversations: int = 0


def merge_history(customer_id: int, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """Newest first: merges into or away from the customer, and identities split off or back to it.

    Two queries whatever the size of the event log: the customer's indexed events (MergeEvent), and
    the names of the people who acted."""
    mine = MergeEvent.objects.filter(customer_id=customer_id).order_by("-event_id").values("event_id")
    # By primary key only: naming the kinds too would lead SQLite down the (kind, time) index.
    events = [e for e in Event.objects.filter(pk__in=mine[:limit]).order_by("-id") if e.kind in KINDS]
    actors = {
        user.pk: user.label for user in User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id})
    }
    return [_entry(event, actors) for event in events]


def _who(event: Event, actors: dict) -> str:
    via = event.data.get("via")
    if event.actor_id:
        return actors.get(event.actor_id, f"user {event.actor_id}")
    if via == VIA_EMAIL:
        return "verified email"
    if via == VIA_CLI:
        return "command line"
    return "Townsquare"


def _entry(event: Event, actors: dict) -> HistoryEntry:
    data = event.data
    common = {"at": event.occurred_at, "who": _who(event, actors), "reason": str(data.get("reason", ""))}
    if event.kind == "customer.merged":
        return HistoryEntry(
            kind="merged",
            survivor_id=data.get("survivor"),
            merged_id=data.get("merged"),
            identities=len(data.get("identities") or ()),
            conversations=len(data.get("conversations") or ()),
            **common,
        )
    return HistoryEntry(
        kind="split",
        identity_id=data.get("identity"),
        from_customer_id=data.get("from_customer"),
        to_customer_id=data.get("to_customer"),
        revived=bool(data.get("revived")),
        conversations=len(data.get("conversations") or ()),
        **common,
    )
