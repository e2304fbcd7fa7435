"""The agent console's WebSocket: live message, typing and read events for what the user may see.

Every console socket is in CONSOLE_GROUP (new messages anywhere) and, after an `open` frame, in
the group of the conversation it shows. Events are forwarded to the browser only for
conversations the user may see. Browser frames: `open`, `typing` and `read` (passed on to the
customer's chat sockets), `ping`. The page keeps polling the event log as a safety net
(web/live.py), so a socket that is refused or dropped loses nothing.
"""

import time
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.security.websocket import AllowedHostsOriginValidator

from townsquare.inbox.models import Message
from townsquare.livechat.models import ChatSession
from townsquare.livechat.presence import mark_agents_seen
from townsquare.people.models import STAFF_CONSOLE_ROLES
from townsquare.realtime import publish
from townsquare.realtime.console_access import VisibilityCache, refusal, session_refusal

# The sign-in behind a socket is checked again at most this often (when something happens on it).
SESSION_CHECK_SECONDS = 15.0
# Browser frames per socket per window: past the soft limit frames are refused, past the hard one
# the socket is closed (4429). A page sends a handful a minute.
FRAME_WINDOW_SECONDS = 10.0
FRAME_SOFT_LIMIT = 60
FRAME_HARD_LIMIT = 120
CLOSE_FLOODING = 4429
# While a staff member's console is open, the chat widget tells visitors agents are online (when the
# channel's agents_online_mode is "auto"): marked on connect and on the page's pings.
AGENTS_SEEN_EVERY_SECONDS = 60.0
# A page shows one conversation; a few opens more are kept, the oldest left first.
MAX_OPEN_CONVERSATIONS = 5
# "May this user see conversation N?" is a read: it runs on threads of its own, not in the queue
# of the one thread that stores chat messages, where it waited behind writes at 200 messages/s.
VISIBILITY_READERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="console-visibility")


class ConsoleConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        publish.remember_server_loop()
        user = self.scope.get("user")
        code = refusal(user)
        if code is None:
            code = await database_sync_to_async(session_refusal)(self._session_key(), user.pk)
        if code is not None:
            await self.close(code=code)
            return
        self.user = user
        self.visibility = VisibilityCache(user)
        self.opened: list[int] = []
        self.next_session_check = time.monotonic() + SESSION_CHECK_SECONDS
        self.frames: list[float] = []
        self.closing = False
        self.agents_seen_at = 0.0
        await self.channel_layer.group_add(publish.CONSOLE_GROUP, self.channel_name)
        await self.accept()
        await self._mark_agents_seen()

    async def disconnect(self, code):
        if not hasattr(self, "opened"):
            return
        await self.channel_layer.group_discard(publish.CONSOLE_GROUP, self.channel_name)
        for conversation_id in self.opened:
            await self.channel_layer.group_discard(
                publish.conversation_group(conversation_id), self.channel_name
            )

    # Browser → server ------------------------------------------------------------------------

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong"})
            await self._mark_agents_seen()
            return
        handler = {"open": self._open, "typing": self._typing, "read": self._read}.get(kind)
        conversation_id = content.get("conversation") if handler else None
        if not _is_id(conversation_id):
            await self._error("bad_frame", "expected {type: open|typing|read|ping, conversation: id}")
            return
        if not await self._may_see(conversation_id, fresh=kind == "open"):
            await self._error("not_found", f"conversation {conversation_id} not found", conversation_id)
            return
        await handler(conversation_id, content)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Every frame counts against the limits, a malformed one too.
        if not await self._still_signed_in() or not await self._within_frame_limit():
            return
        if text_data is None:
            await self._error("bad_frame", "send JSON text frames")
            return
        try:
            content = await self.decode_json(text_data)
        except (ValueError, RecursionError):
            await self._error("bad_frame", "send JSON text frames")
            return
        await self.receive_json(content)

    async def _open(self, conversation_id: int, content: dict) -> None:
        if conversation_id not in self.opened:
            self.opened.append(conversation_id)
            await self.channel_layer.group_add(publish.conversation_group(conversation_id), self.channel_name)
            if len(self.opened) > MAX_OPEN_CONVERSATIONS:
                oldest = self.opened.pop(0)
                await self.channel_layer.group_discard(publish.conversation_group(oldest), self.channel_name)
        await self.send_json({"type": "opened", "conversation": conversation_id})

    async def _typing(self, conversation_id: int, content: dict) -> None:
        on = content.get("on")
        if not isinstance(on, bool):
            await self._error("bad_frame", "typing needs on: true or false", conversation_id)
            return
        event = {"type": "chat.typing", "who": "agent", "name": self.user.first_name or "Agent", "on": on}
        await publish.apublish(publish.chat_conversation_group(conversation_id), event)

    async def _read(self, conversation_id: int, content: dict) -> None:
        up_to = content.get("up_to")
        if not _is_id(up_to):
            await self._error("bad_frame", "read needs up_to: a message id", conversation_id)
            return
        moved_to = await database_sync_to_async(mark_read_by_agent)(conversation_id, up_to)
        if moved_to is not None:
            event = {"type": "chat.read", "by": "agent", "up_to": moved_to}
            await publish.apublish(publish.chat_conversation_group(conversation_id), event)

    # Server events → browser (only for conversations the user may see) -------------------------

    async def console_message(self, event):
        await self._forward(event)

    async def console_typing(self, event):
        await self._forward(event)

    async def console_read(self, event):
        await self._forward(event)

    async def console_reply_failed(self, event):
        await self._forward(event)

    async def _forward(self, event: dict) -> None:
        conversation_id = event.get("conversation")
        if not _is_id(conversation_id) or not await self._still_signed_in():
            return
        if not await self._may_see(conversation_id):
            return
        frame = {key: value for key, value in event.items() if key != "type"}
        await self.send_json({"type": event["type"].removeprefix("console."), **frame})

    # Checks ----------------------------------------------------------------------------------

    async def _may_see(self, conversation_id: int, *, fresh: bool = False) -> bool:
        cached = None if fresh else self.visibility.cached(conversation_id)
        if cached is not None:
            return cached
        if self.visibility.sees_everything:
            return True
        ask = database_sync_to_async(self.visibility.ask, thread_sensitive=False, executor=VISIBILITY_READERS)
        return await ask(conversation_id)

    async def _still_signed_in(self) -> bool:
        if self.closing:
            return False
        now = time.monotonic()
        if now < self.next_session_check:
            return True
        self.next_session_check = now + SESSION_CHECK_SECONDS
        code = await database_sync_to_async(session_refusal)(self._session_key(), self.user.pk)
        if code is None:
            return True
        await self._close(code)
        return False

    async def _within_frame_limit(self) -> bool:
        if self.closing:
            return False
        now = time.monotonic()
        self.frames = [at for at in self.frames if at > now - FRAME_WINDOW_SECONDS]
        self.frames.append(now)
        if len(self.frames) > FRAME_HARD_LIMIT:
            await self._close(CLOSE_FLOODING)
            return False
        if len(self.frames) > FRAME_SOFT_LIMIT:
            await self._error("rate_limited", "too many frames: slow down")
            return False
        return True

    async def _mark_agents_seen(self) -> None:
        now = time.monotonic()
        if self.user.role in STAFF_CONSOLE_ROLES and now - self.agents_seen_at >= AGENTS_SEEN_EVERY_SECONDS:
            self.agents_seen_at = now
            await sync_to_async(mark_agents_seen)()

    async def _close(self, code: int) -> None:
        """Close once; frames and events that arrive before the socket is gone are ignored."""
        if not self.closing:
            self.closing = True
            await self.close(code=code)

    def _session_key(self) -> str | None:
        session = self.scope.get("session")
        return getattr(session, "session_key", None) if session is not None else None

    async def _error(self, code: str, message: str, conversation_id: int | None = None) -> None:
        frame = {"type": "error", "code": code, "message": message}
        if conversation_id is not None:
            frame["conversation"] = conversation_id
        await self.send_json(frame)


def mark_read_by_agent(conversation_id: int, up_to: int) -> int | None:
    """Move the agent's read mark on the conversation's chat sessions forward, never back.

    `up_to` is narrowed to a message of this conversation. Returns the new mark, or None when
    nothing moved (no chat session, or already read that far).
    """
    newest = (
        Message.objects.filter(conversation_id=conversation_id, pk__lte=up_to)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if newest is None:
        return None
    moved = ChatSession.objects.filter(conversation_id=conversation_id, agent_read_up_to__lt=newest).update(
        agent_read_up_to=newest
    )
    return newest if moved else None


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def console_application():
    return AllowedHostsOriginValidator(AuthMiddlewareStack(ConsoleConsumer.as_asgi()))
