"""The in-memory channel layer reaches only this process: the relay brings other processes' news.

A task worker delivering a reply, or `townsquare ingest-email` storing a message, publishes into
its own process's memory layer, where nobody listens. So each web process that serves sockets
(CHANNEL_LAYER = "memory") tails the event log every 0.2 s and publishes what it has not already
published itself: `message.received`, `message.sent` and `reply.failed`. With Redis every process
publishes to the shared layer and no relay runs.

Event ids are allocated before commit, so a slow transaction can commit an id below one already
read: ids skipped over are re-read for HOLE_SECONDS before the relay gives up on them.
"""

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from townsquare.realtime import publish

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.2
BATCH = 1000
HOLE_SECONDS = 5.0
MAX_HOLES = 1000
KINDS = ("message.received", "message.sent", "reply.failed")
_task: asyncio.Task | None = None
_loop: asyncio.AbstractEventLoop | None = None


def ensure_started() -> None:
    """Start this process's relay on the running loop (once); only for the in-memory layer."""
    global _task, _loop
    if getattr(settings, "CHANNEL_LAYER", "memory") != "memory" or not getattr(
        settings, "LIVECHAT_RELAY", True
    ):
        return
    loop = asyncio.get_running_loop()
    if _task is not None and not _task.done() and _loop is loop:
        return
    _loop = loop
    _task = loop.create_task(Relay().run())


def stop() -> None:
    global _task
    if _task is not None:
        _task.cancel()
        _task = None


class Relay:
    def __init__(self):
        self.high: int | None = None
        self.holes: dict[int, float] = {}
        # One thread of its own: one database connection, kept between reads five times a
        # second (a pool's threads would each open one and leave it open).
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-relay")

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                try:
                    await loop.run_in_executor(self.thread, self.tick)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    logger.exception("The live event relay failed; retrying")
                await asyncio.sleep(POLL_SECONDS)
        finally:
            self.thread.submit(self.close)
            self.thread.shutdown(wait=False)

    def tick(self) -> None:
        from django.db import close_old_connections

        close_old_connections()
        try:
            for kind, message_id, data in self.read():
                self.relay(kind, message_id, data)
        finally:
            close_old_connections()

    def close(self) -> None:
        from django.db import connections

        connections.close_all()

    def read(self) -> list[tuple[str, int | None, dict]]:
        """New events of KINDS since the last read, plus those that filled a hole."""
        from townsquare.events.models import Event

        if self.high is None:
            self.high = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
            return []
        rows = list(Event.objects.filter(id__gt=self.high).order_by("id").values_list("id", "kind")[:BATCH])
        wanted = self._track_holes([row[0] for row in rows])
        wanted += [event_id for event_id, kind in rows if kind in KINDS]
        if not wanted:
            return []
        return list(
            Event.objects.filter(id__in=wanted, kind__in=KINDS)
            .order_by("id")
            .values_list("kind", "message_id", "data")
        )

    def _track_holes(self, ids: list[int]) -> list[int]:
        """Ids skipped since the last read are watched; the ones that appeared are returned."""
        now = time.monotonic()
        expected = self.high + 1
        for event_id in ids:
            for missing in range(expected, min(event_id, expected + MAX_HOLES)):
                self.holes[missing] = now
            expected = event_id + 1
        if ids:
            self.high = ids[-1]
        filled = []
        if self.holes:
            from townsquare.events.models import Event

            seen = set(ids)
            waiting = [i for i in self.holes if i not in seen]
            filled = (
                list(Event.objects.filter(id__in=waiting).values_list("id", flat=True)) if waiting else []
            )
            for event_id in filled:
                self.holes.pop(event_id, None)
            for event_id, since in list(self.holes.items()):
                if now - since > HOLE_SECONDS or len(self.holes) > MAX_HOLES:
                    self.holes.pop(event_id, None)
        return filled

    def relay(self, kind: str, message_id: int | None, data: dict) -> None:
        if kind == "reply.failed":
            reply_id = (data or {}).get("reply_id")
            if isinstance(reply_id, int) and not publish.was_published(("reply", reply_id)):
                publish.reply_failed(reply_id)
            return
        message_id = message_id or (data or {}).get("message_id")
        if isinstance(message_id, int) and not publish.was_published(message_id):
            publish.message_stored(message_id)
