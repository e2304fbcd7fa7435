"""Find or create the identity (and, for customers, the customer) behind each message author."""

from townsquare.inbox.ingest.bulk_sql import db_datetime, execute_many, insert_returning, select_in
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.people.models import Customer, Identity

IDENTITY = Identity._meta.db_table
CUSTOMER = Customer._meta.db_table


class AuthorCache:
    """external author id -> (identity id, customer id), kept across the batches of one import.

    Only filled from committed state's point of view by the caller: clear it when a batch rolls back.
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
    channel_id: int, messages: list[InboundMessage], now, cache: AuthorCache | None = None
) -> dict[str, tuple[int, int | None]]:
    """Return author external id -> (identity id, customer id) for every author in messages."""
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
        found.update(_select(channel_id, list(wanted)))
        missing = sorted(author for author in wanted if author not in found)
        if missing:
            found.update(_create(channel_id, [wanted[a] for a in missing], now))
        if cache is not None:
            cache.remember({a: found[a] for a in wanted})
    return found


def _select(channel_id: int, author_ids: list[str]) -> dict[str, tuple[int, int | None]]:
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
    """Create identities (and customers for non-brand authors); another writer may win the race."""
    stamp = db_datetime(now)
    customers = [m for m in firsts if m.direction == "in"]
    customer_ids: dict[str, int] = {}
    if customers:
        # RETURNING order is not guaranteed, so each customer row carries its origin for matching.
        rows = insert_returning(
            CUSTOMER,
            ["display_name", "first_seen_as", "created_at", "attributes"],
            [
                (m.author_name or m.author_handle or m.author_id, f"{channel_id}:{m.author_id}", stamp, "{}")
                for m in customers
            ],
            returning=["id", "first_seen_as"],
            json_columns=(3,),
        )
        for customer_id, origin in rows:
            customer_ids[origin.split(":", 1)[1]] = customer_id
    inserted = insert_returning(
        IDENTITY,
        ["channel_id", "external_id", "handle", "display_name", "customer_id", "is_brand", "created_at"],
        [
            (
                channel_id,
                m.author_id,
                m.author_handle or m.author_id,
                m.author_name,
                customer_ids.get(m.author_id),
                m.direction == "out",
                stamp,
            )
            for m in firsts
        ],
        conflict=["channel_id", "external_id"],
        returning=["external_id", "id", "customer_id"],
    )
    created = {external_id: (identity_id, customer_id) for external_id, identity_id, customer_id in inserted}
    lost = [m.author_id for m in firsts if m.author_id not in created]
    if lost:  # a concurrent writer created these identities first: use theirs, drop our spare customers
        spare = [(customer_ids[a],) for a in lost if a in customer_ids]
        execute_many(f"DELETE FROM {CUSTOMER} WHERE id = %s", spare)
        created.update(_select(channel_id, lost))
    return created
