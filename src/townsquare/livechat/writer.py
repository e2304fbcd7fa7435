"""Group commit for chat sockets: messages arriving while a batch is being written go together in
the next one (one transaction, one ingest call, one triage task), so a busy web process stores
hundreds of messages a second on SQLite's single writer without a queue building up."""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connections

from townsquare.livechat.ingest import Ingested, PendingChat, store_chat_batch
from townsquare.realtime import publish

logger = logging.getLogger(__name__)

MAX_BATCH = 200


class ChatWriter:
    """One per event loop: `await store(pending)` returns that message's outcome."""

    def __init__(self):
        self.queue: list[tuple[PendingChat, asyncio.Future]] = []
        self.task: asyncio.Task | None = None

    async def store(self, pending: PendingChat) -> Ingested:
        future = asyncio.get_running_loop().create_future()
        self.queue.append((pending, future))
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self.run())
        return await future

    async def run(self) -> None:
        while self.queue:
            batch, self.queue = self.queue[:MAX_BATCH], self.queue[MAX_BATCH:]
            await self.write(batch)

    async def write(self, batch: list[tuple[PendingChat, asyncio.Future]]) -> None:
        try:
            results = await _in_writer_thread(
                store_chat_batch, [p for p, _ in batch], publish_after_commit=False
            )
        except Exception:
            if len(batch) == 1:
                logger.exception("Storing a chat message failed")
                _settle(batch[0][1], error=RuntimeError("the message could not be stored"))
                return
            # One bad message must not fail the others: store them one by one.
            for item in batch:
                await self.write([item])
            return
        for (pending, future), result in zip(batch, results, strict=True):
            if result.stored is not None:
                await publish.apublish_stored(result.stored, client_id=pending.client_id)
            _settle(future, result=result)


def _settle(future: asyncio.Future, *, result=None, error: Exception | None = None) -> None:
    if future.done():
        return  # the socket went away meanwhile
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


# The writer's own thread: its batches never queue behind, or hold up, the other database work of
# the process's sockets (console visibility checks, session checks), which share one thread.
_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="livechat-writer")


def _with_fresh_connection(function, *args, **kwargs):
    close_old_connections()
    try:
        return function(*args, **kwargs)
    finally:
        close_old_connections()


def close_connections() -> None:
    """Close the writer thread's database connection (at shutdown; tests before dropping the database)."""
    _thread.submit(connections.close_all).result(timeout=10)


async def _in_writer_thread(function, *args, **kwargs):
    return await sync_to_async(_with_fresh_connection, thread_sensitive=False, executor=_thread)(
        function, *args, **kwargs
    )


_writers: dict[asyncio.AbstractEventLoop, ChatWriter] = {}


def writer() -> ChatWriter:
    loop = asyncio.get_running_loop()
    found = _writers.get(loop)
    if found is None:
        for old in [other for other in _writers if other.is_closed()]:
            del _writers[old]
        found = _writers[loop] = ChatWriter()
    return found
