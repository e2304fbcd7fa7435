"""The live chat widget's WebSocket: `ws/livechat/<channel id>/?token=<session token>`.

Protocol (README "Live chat"): the client says `hello` with the newest message id it has and gets
every newer message of its chat, then `ready`; after that it sends `message`, `typing`, `read`
and `ping` frames and receives messages, acks, the agent's typing and read receipts live.
"""

import time
from collections import deque
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from townsquare.livechat import connect as chat_connect
from townsquare.livechat.ingest import ChatMessageRejected, PendingChat, check_chat_text, check_client_id
from townsquare.livechat.limits import limit
from townsquare.livechat.throttle import WindowCounter, address_sockets, session_messages
from townsquare.livechat.writer import writer
from townsquare.realtime import publish

# Close codes (the widget shows a reason for each).
BAD_TOKEN, FORBIDDEN, UNKNOWN_CHANNEL, FLOODING, PROTOCOL = 4401, 4403, 4404, 4429, 4400
# A socket remembers this many message ids it has sent (live frames may repeat a replayed one).
SENT_MEMORY = 1000
# Presence (last_seen_at) is written at most this often per socket.
TOUCH_EVERY_SECONDS = 20
TYPING_REPEAT_SECONDS = 2.0
# A frame may be this much longer than 12 characters per text character (an ASCII-only JSON
# encoder writes an emoji as two 6-character escapes) before it is refused unread.
FRAME_OVERHEAD = 1000


class ChatConsumer(AsyncJsonWebsocketConsumer):
    session = None
    address = ""

    async def connect(self):
        publish.remember_server_loop()
        await self.accept()
        self.address = (self.scope.get("client") or ("unknown",))[0] or "unknown"
        if not address_sockets.acquire(self.address, limit("LIVECHAT_SOCKETS_PER_IP")):
            self.address = ""
            await self.close(code=FLOODING)
            return
        channel_id = self.scope["url_route"]["kwargs"]["channel_id"]
        headers = dict(self.scope.get("headers") or [])
        opened = await database_sync_to_async(chat_connect.open_session)(
            channel_id,
            token=(parse_qs(self.scope.get("query_string", b"").decode("latin-1")).get("token") or [""])[0],
            origin=headers.get(b"origin", b"").decode("latin-1"),
            host=headers.get(b"host", b"").decode("latin-1"),
        )
        if opened.close_code:
            await self.close(code=opened.close_code)
            return
        self._start(opened.session)
        await self.channel_layer.group_add(publish.chat_session_group(self.session.id), self.channel_name)
        if self.conversation_id:
            await self._join_conversation(self.conversation_id)

    def _start(self, session) -> None:
        self.session = session
        self.session_key = session.id.hex
        self.conversation_id = session.conversation_id
        self.agents_online = session.agents_online
        self.ready = False
        self.pending: list[dict] = []
        self.sent_ids: set[int] = set()
        self.sent_order: deque[int] = deque()
        self.newest_sent = 0
        self.bad_frames = 0
        self.typing_on = False
        self.typing_sent_at = 0.0
        self.touched_at = time.monotonic()
        self.frames = WindowCounter(
            limit("LIVECHAT_FRAMES_PER_WINDOW"), limit("LIVECHAT_RATE_WINDOW_SECONDS")
        )
        session_messages.join(self.session_key)

    async def disconnect(self, code):
        if self.address:
            address_sockets.release(self.address)
            self.address = ""
        if self.session is None:
            return
        session_messages.leave(self.session_key)
        await database_sync_to_async(chat_connect.left)(self.session.id)
        if self.typing_on and self.conversation_id:
            await self._typing_to_console(False)
        await self.channel_layer.group_discard(publish.chat_session_group(self.session.id), self.channel_name)
        if self.conversation_id:
            await self.channel_layer.group_discard(
                publish.chat_conversation_group(self.conversation_id), self.channel_name
            )
        self.session = None

    async def receive_json(self, content, **kwargs):
        if self.session is None:
            return
        if not self.frames.hit():
            await self.close(code=FLOODING)
            return
        kind = content.get("type") if isinstance(content, dict) else None
        handler = FRAME_HANDLERS.get(kind) if isinstance(kind, str) else None
        if handler is None:
            await self._bad_frame("bad_frame", "unknown or missing frame type")
            return
        await handler(self, content)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self._bad_frame("bad_frame", "frames are JSON text")
            return
        if len(text_data) > limit("LIVECHAT_MAX_TEXT") * 12 + FRAME_OVERHEAD:
            # Refused before parsing: a megabyte of JSON costs the whole process time.
            await self._bad_frame("too_long", "the frame is too long")
            return
        try:
            content = await self.decode_json(text_data)
        except (ValueError, RecursionError):
            await self._bad_frame("bad_frame", "frames are JSON text")
            return
        await self.receive_json(content)

    async def _bad_frame(self, code: str, message: str, client_id: str | None = None) -> None:
        self.bad_frames += 1
        if self.bad_frames > limit("LIVECHAT_MAX_BAD_FRAMES"):
            await self.close(code=PROTOCOL)
            return
        await self._error(code, message, client_id)

    async def _error(self, code: str, message: str, client_id: str | None = None) -> None:
        frame = {"type": "error", "code": code, "message": message}
        if client_id:
            frame["client_id"] = client_id
        await self.send_json(frame)

    # Frames from the widget.

    async def on_hello(self, content):
        last_id = content.get("last_id", 0)
        if isinstance(last_id, bool) or not isinstance(last_id, int) or last_id < 0:
            await self._bad_frame("bad_frame", "last_id must be a message id (0 for none)")
            return
        if self.conversation_id:
            while True:
                frames = await database_sync_to_async(chat_connect.replay)(self.conversation_id, last_id)
                for frame in frames:
                    await self._send_message(frame)
                if len(frames) < chat_connect.REPLAY_BATCH:
                    break
                last_id = frames[-1]["id"]
        self.ready = True
        pending, self.pending = self.pending, []
        for frame in sorted(pending, key=lambda f: f["id"]):
            await self._send_message(frame)
        newest = max(self.newest_sent, content.get("last_id", 0))
        await self.send_json({"type": "ready", "last_id": newest, "agents_online": self.agents_online})

    async def on_message(self, content):
        try:
            client_id = check_client_id(content.get("client_id"))
        except ChatMessageRejected as exc:
            await self._bad_frame(exc.code, str(exc))
            return
        try:
            text = check_chat_text(content.get("text"), limit("LIVECHAT_MAX_TEXT"))
        except ChatMessageRejected as exc:
            await self._bad_frame(exc.code, str(exc), client_id)
            return
        allowed = session_messages.hit(
            self.session_key, limit("LIVECHAT_MESSAGES_PER_WINDOW"), limit("LIVECHAT_RATE_WINDOW_SECONDS")
        )
        if not allowed:
            await self._error(
                "rate_limited", "too many messages: wait a few seconds and send again", client_id
            )
            return
        try:
            stored = await writer().store(PendingChat(self.session.id, text, client_id))
        except RuntimeError:
            await self._error("not_stored", "the message could not be stored; send it again", client_id)
            return
        await self.send_json(
            {"type": "ack", "client_id": client_id, "id": stored.message_id, "duplicate": stored.duplicate}
        )
        self._remember_sent(stored.message_id)
        if stored.first or self.conversation_id != stored.conversation_id:
            await self._join_conversation(stored.conversation_id)
            await publish.apublish(
                publish.chat_session_group(self.session.id),
                {"type": "chat.joined", "conversation": stored.conversation_id},
            )

    async def on_typing(self, content):
        on = content.get("on")
        if not isinstance(on, bool):
            await self._bad_frame("bad_frame", "typing needs on: true or false")
            return
        if not self.conversation_id:
            return
        now = time.monotonic()
        if on == self.typing_on and (not on or now - self.typing_sent_at < TYPING_REPEAT_SECONDS):
            return
        self.typing_on, self.typing_sent_at = on, now
        await self._typing_to_console(on)

    async def on_read(self, content):
        up_to = content.get("up_to")
        if isinstance(up_to, bool) or not isinstance(up_to, int) or up_to < 0:
            await self._bad_frame("bad_frame", "read needs up_to: a message id")
            return
        if not self.conversation_id:
            return
        moved = await database_sync_to_async(chat_connect.customer_read)(self.session.id, up_to)
        if moved:
            await publish.apublish(
                publish.conversation_group(self.conversation_id),
                {
                    "type": "console.read",
                    "conversation": self.conversation_id,
                    "by": "customer",
                    "up_to": up_to,
                },
            )

    async def on_ping(self, content):
        await self.send_json({"type": "pong"})
        if time.monotonic() - self.touched_at >= TOUCH_EVERY_SECONDS:
            self.touched_at = time.monotonic()
            await database_sync_to_async(chat_connect.touch)(self.session.id)

    # Events from the channel layer.

    async def chat_message(self, event):
        frame = event.get("message")
        if self.session is None or not isinstance(frame, dict):
            return
        if not self.ready:
            if len(self.pending) < SENT_MEMORY:
                self.pending.append(frame)
            return
        await self._send_message(frame)

    async def chat_typing(self, event):
        if self.session is not None:
            await self.send_json(
                {"type": "typing", "who": "agent", "name": event.get("name", ""), "on": bool(event.get("on"))}
            )

    async def chat_read(self, event):
        if self.session is not None:
            await self.send_json({"type": "read", "by": "agent", "up_to": event.get("up_to")})

    async def chat_joined(self, event):
        conversation_id = event.get("conversation")
        if self.session is None or not isinstance(conversation_id, int):
            return
        if conversation_id == self.conversation_id:
            return
        await self._join_conversation(conversation_id)
        if self.ready:
            # Another tab started the chat: what it said before this socket joined comes now.
            for frame in await database_sync_to_async(chat_connect.replay)(conversation_id, self.newest_sent):
                await self._send_message(frame)

    # Helpers.

    async def _join_conversation(self, conversation_id: int) -> None:
        if self.conversation_id and self.conversation_id != conversation_id:
            await self.channel_layer.group_discard(
                publish.chat_conversation_group(self.conversation_id), self.channel_name
            )
        self.conversation_id = conversation_id
        await self.channel_layer.group_add(
            publish.chat_conversation_group(conversation_id), self.channel_name
        )

    async def _send_message(self, frame: dict) -> None:
        message_id = frame.get("id")
        if message_id in self.sent_ids:
            return
        self._remember_sent(message_id)
        await self.send_json(frame)

    def _remember_sent(self, message_id: int) -> None:
        if message_id in self.sent_ids:
            return
        self.sent_ids.add(message_id)
        self.sent_order.append(message_id)
        if len(self.sent_order) > SENT_MEMORY:
            self.sent_ids.discard(self.sent_order.popleft())
        self.newest_sent = max(self.newest_sent, message_id)

    async def _typing_to_console(self, on: bool) -> None:
        await publish.apublish(
            publish.conversation_group(self.conversation_id),
            {"type": "console.typing", "conversation": self.conversation_id, "who": "customer", "on": on},
        )


FRAME_HANDLERS = {
    "hello": ChatConsumer.on_hello,
    "message": ChatConsumer.on_message,
    "typing": ChatConsumer.on_typing,
    "read": ChatConsumer.on_read,
    "ping": ChatConsumer.on_ping,
}
