"""Find or create the identity (and, for customers, the customer) behind each message author."""

from townsquare.inbox.ingest.bulk_sql import allocate_ids, db_datetime, insert_many, select_in
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.people.models import Customer, Identity

IDENTITY = Identity._meta.db_table
CUSTOMER = Customer._meta.db_table


class AuthorCache:
    """author external id -> (identity id, customer id), kept across the batches of one import.

    Identities are never deleted by ingest, so an entry stays true; the caller clears the cache
    when a batch rolls back, because that batch's new identities were rolled back with it.
    """

    def __init__(self, limit: int = 100_000):
        self.limit = limit
        self.known: dict[str, tuple[int, int | None]] = {}

    def remember(self, found: dict[str, tuple[int, int | None]]) -> None:
        if len(self.known) + len(found) > self.limit:
            self.known.clear()  # bounded memory: a cold cache only costs one SELECT per batch
        self.known.update(found)

    def clear(self) -> None:
        self.known.clear()


def resolve_authors(
    channel_id: int, messages, now, cache: AuthorCache | None = None
) -> dict[str, tuple[int, int | None]]:
    """Return author external id -> (identity id, customer id) for every author in messages.

    Call with the channel's ingest lock held: identities are created without a conflict check.
    """
    wanted: dict[str, InboundMessage] = {}
    for message in messages:
        wanted.setdefault(message.author_id, message)
    found: dict[str, tuple[int, int | None]] = {}
    if cache is not None:
        for author_id in list(wanted):
            hit = cache.known.get(author_id)
            if hit is not None:
                found[author_id] = hit
                del wanted[author_id]
    if wanted:
        stored = _select(channel_id, wanted)
        found.update(stored)
        missing = [wanted[a] for a in sorted(wanted) if a not in stored]
        found.update(_create(channel_id, missing, now))
        if cache is not None:
            cache.remember({a: found[a] for a in wanted})
    return found


def _select(channel_id: int, author_ids) -> dict[str, tuple[int, int | None]]:
    rows = select_in(
        IDENTITY,
        ["external_id", "id", "customer_id"],
        "external_id",
        author_ids,
        where="channel_id = %s",
        params=(channel_id,),
    )
    return {external_id: (identity_id, customer_id) for external_id, identity_id, customer_id in rows}


def _create(channel_id: int, firsts: list[InboundMessage], now) -> dict[str, tuple[int, int | None]]:
    """New identities; a customer for each author first seen writing in (the brand writes out)."""
    if not firsts:
        return {}
    stamp = db_datetime(now)
    customers = [m for m in firsts if m.direction == "in"]
    customer_ids = dict(
        zip((m.author_id for m in customers), allocate_ids(CUSTOMER, len(customers)), strict=True)
    )
    insert_many(
        CUSTOMER,
        ["id", "display_name", "first_seen_as", "created_at", "attributes"],
        [
            (
                customer_ids[m.author_id],
                m.author_name or m.author_handle or m.author_id,
                f"{channel_id}:{m.author_id}",
                stamp,
                "{}",
            )
            for m in customers
        ],
    )
    identity_ids = allocate_ids(IDENTITY, len(firsts))
    insert_many(
        IDENTITY,
        [
            "id",
            "channel_id",
            "external_id",
            "handle",
            "display_name",
            "customer_id",
            "is_brand",
            "created_at",
        ],
        [
            (
                identity_id,
                channel_id,
                m.author_id,
                m.author_handle or m.author_id,
                m.author_name,
                customer_ids.get(m.author_id),
                m.direction == "out",
                stamp,
            )
            for identity_id, m in zip(identity_ids, firsts, strict=True)
        ],
    )
    return {
        m.author_id: (i, customer_ids.get(m.author_id)) for i, m in zip(identity_ids, firsts, strict=True)
    }
