"""Publishing live events to WebSocket groups (console sockets, chat sockets) through the channel layer.

`publish` is safe from any sync code (a request, a task worker, an `on_commit` callback in a
`database_sync_to_async` thread); `apublish` is for consumers. Errors are logged, never raised:
a lost live event costs a refresh, a raised one would fail the write that caused it.

Where a sync publish runs:
- in a thread with a running event loop: a task on that loop;
- else on the process's server loop (remembered by the first consumer that connects), which the
  in-memory layer needs because its queues belong to that loop;
- else on one background publisher thread with its own loop (task workers; Redis connections
  stay open between publishes and events keep their order).
"""

import asyncio
import logging
import threading
import uuid
from collections import OrderedDict
from datetime import datetime

from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

CONSOLE_GROUP = "console"
# Message ids this process already published (the relay skips them); bounded.
PUBLISHED_LIMIT = 20_000
_published: OrderedDict[int | tuple[str, int], None] = OrderedDict()
_published_lock = threading.Lock()
_server_loop: asyncio.AbstractEventLoop | None = None
_publisher: "_PublisherThread | None" = None
_publisher_lock = threading.Lock()
_tasks: set[asyncio.Task] = set()


def conversation_group(conversation_id: int) -> str:
    """Console sockets that opened this conversation."""
    return f"conversation.{int(conversation_id)}"


def chat_conversation_group(conversation_id: int) -> str:
    """Customer chat sockets whose session belongs to this conversation."""
    return f"chatconv.{int(conversation_id)}"


def chat_session_group(session_id) -> str:
    """Every socket of one chat session (several tabs)."""
    hex_id = session_id.hex if isinstance(session_id, uuid.UUID) else uuid.UUID(str(session_id)).hex
    return f"chat.{hex_id}"


def remember_server_loop() -> None:
    """Called by every consumer on connect: sync publishes in this process go through this loop,
    and on the in-memory layer this process's relay starts (other processes' news)."""
    global _server_loop
    loop = asyncio.get_running_loop()
    if _server_loop is not loop:
        _server_loop = loop
    from townsquare.realtime import relay

    relay.ensure_started()


def mark_published(key) -> bool:
    """Remember a published message id (or ("reply", id)); False if it was already published here."""
    with _published_lock:
        if key in _published:
            return False
        _published[key] = None
        if len(_published) > PUBLISHED_LIMIT:
            _published.popitem(last=False)
        return True


def was_published(key) -> bool:
    with _published_lock:
        return key in _published


async def apublish(group: str, event: dict) -> None:
    try:
        await get_channel_layer().group_send(group, event)
    except Exception:
        logger.exception("Publishing %s to %s failed", event.get("type"), group)


def publish(group: str, event: dict) -> None:
    """Send event to group without waiting; see the module docstring for where it runs."""
    try:
        _schedule(apublish(group, event))
    except Exception:
        logger.exception("Publishing %s to %s failed", event.get("type"), group)


def _schedule(coroutine) -> None:
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is not None:
        task = running.create_task(coroutine)
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)
        return
    server = _server_loop
    if server is not None and server.is_running() and not server.is_closed():
        asyncio.run_coroutine_threadsafe(coroutine, server)
        return
    _publisher_thread().submit(coroutine)


def _publisher_thread() -> "_PublisherThread":
    global _publisher
    with _publisher_lock:
        if _publisher is None or not _publisher.is_alive():
            _publisher = _PublisherThread()
            _publisher.start()
            _publisher.ready.wait(5)
        return _publisher


class _PublisherThread(threading.Thread):
    """One event loop per process for publishes from plain threads; sends them in order."""

    def __init__(self):
        super().__init__(name="townsquare-publisher", daemon=True)
        self.ready = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queue: asyncio.Queue | None = None

    def run(self) -> None:
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.queue = asyncio.Queue()
        self.ready.set()
        self.loop.run_until_complete(self._drain())

    async def _drain(self) -> None:
        while True:
            coroutine = await self.queue.get()
            await coroutine

    def submit(self, coroutine) -> None:
        self.loop.call_soon_threadsafe(self.queue.put_nowait, coroutine)


def message_stored(message_id: int, *, client_id: str | None = None) -> None:
    """Tell the console (and the chat sockets of a live chat conversation) about a stored message.

    Call after commit. One query, plus one per attachment-bearing or agent-written chat message.
    """
    from townsquare.livechat.frames import load_stored_message

    try:
        stored = load_stored_message(message_id)
    except Exception:
        logger.exception("Reading message %s to publish it failed", message_id)
        return
    if stored is not None:
        publish_stored(stored, client_id=client_id)


def publish_stored(stored, *, client_id: str | None = None) -> None:
    """Publish a `livechat.frames.StoredMessage` (ingest builds one without reading the message back)."""
    mark_published(stored.id)
    publish(CONSOLE_GROUP, console_event(stored, client_id))
    if stored.is_chat:
        publish(
            chat_conversation_group(stored.conversation_id),
            {"type": "chat.message", "message": stored.customer_frame(client_id)},
        )


async def apublish_stored(stored, *, client_id: str | None = None) -> None:
    """`publish_stored` for code on the event loop (the chat sockets' writer, after commit)."""
    mark_published(stored.id)
    sends = [apublish(CONSOLE_GROUP, console_event(stored, client_id))]
    if stored.is_chat:
        frame = {"type": "chat.message", "message": stored.customer_frame(client_id)}
        sends.append(apublish(chat_conversation_group(stored.conversation_id), frame))
    await asyncio.gather(*sends)  # with Redis: two round trips at once


def console_event(stored, client_id: str | None) -> dict:
    return {
        "type": "console.message",
        "conversation": stored.conversation_id,
        "message": stored.id,
        "direction": stored.direction,
        "channel": stored.channel_id,
        "client_id": client_id,
        "at": _iso(stored.created_at),
        # The conversation's place now: consoles decide visibility from these without a query.
        "channel_kind": stored.channel_kind,
        "queue": stored.queue_id,
        "assignee": stored.assignee_id,
    }


def reply_failed(reply_id: int) -> None:
    """Tell the console a reply could not be delivered (call after commit)."""
    from townsquare.replies.models import Reply

    try:
        reply = Reply.objects.filter(pk=reply_id).values("conversation_id", "error").first()
    except Exception:
        logger.exception("Reading reply %s to publish its failure failed", reply_id)
        return
    if reply is None:
        return
    mark_published(("reply", reply_id))
    publish(
        CONSOLE_GROUP,
        {
            "type": "console.reply_failed",
            "conversation": reply["conversation_id"],
            "reply": reply_id,
            "error": reply["error"],
        },
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
