"""Reads that several parts of one conversation page share, made once per rendering.

The conversation page is put together from parts of several apps (suggested replies, the reply
box, the notes, the consent panel, the community panels), and every part starts from the same
`Conversation` instance. The page's view turns sharing on for that instance (`share_reads`) and
hands over the thread it already loaded; a part then asks `shared(conversation, key, load)`,
which loads once and gives later parts the same value, or `loaded_thread(conversation)` instead
of querying the messages again.

Without `share_reads` (an API call, a form post that re-reads after writing) `shared` just loads
and `loaded_thread` is None, so nothing is kept: a value never outlives the page that read it.
"""

from collections.abc import Callable

from townsquare.inbox.models import Conversation, Direction, Message

_READS = "_shared_page_reads"
_THREAD = "thread"
# Every identity of the conversation's customer, with its channel, ordered by channel name, handle.
CUSTOMER_IDENTITIES = "customer-identities"
# The id of the user the page fetched the conversation for, through visible_conversations(user).
VISIBLE_TO = "visible_to"


def share_reads(conversation: Conversation, *, thread: list[Message] | None = None, **known) -> None:
    """Turn sharing on for this instance; `thread` is every message of it in (created_at, id)
    order, and `known` are values already read (key: value) that the parts would ask for."""
    reads = conversation.__dict__.setdefault(_READS, {})
    if thread is not None:
        reads[_THREAD] = list(thread)
    reads.update(known)


def shared[T](conversation: Conversation, key: str, load: Callable[[], T]) -> T:
    """`load()`, once per page when sharing is on for this conversation, else every time."""
    reads = conversation.__dict__.get(_READS)
    if reads is None:
        return load()
    if key not in reads:
        reads[key] = load()
    return reads[key]


def known(conversation: Conversation, key: str, default=None):
    """A value the page already read under `key`, else `default` (nothing is loaded)."""
    return conversation.__dict__.get(_READS, {}).get(key, default)


def loaded_thread(conversation: Conversation) -> list[Message] | None:
    """The conversation's messages, oldest first, when the page loaded them all; else None."""
    return conversation.__dict__.get(_READS, {}).get(_THREAD)


def newest_inbound(thread: list[Message]) -> list[Message]:
    """The inbound messages of a loaded thread, newest first (order by -created_at, -id)."""
    return [message for message in reversed(thread) if message.direction == Direction.INBOUND]


def newest_inbound_texts(conversation: Conversation, limit: int) -> list[str]:
    """The texts of the conversation's newest `limit` inbound messages, newest first: from the
    thread the page loaded, else in one query."""
    thread = loaded_thread(conversation)
    if thread is not None:
        return [message.text for message in newest_inbound(thread)[:limit]]
    inbound = conversation.messages.filter(direction=Direction.INBOUND).order_by("-created_at", "-id")
    return list(inbound.values_list("text", flat=True)[:limit])
