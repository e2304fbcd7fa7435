"""The chat socket's database work, in plain sync functions (the consumer runs them in a thread)."""

import uuid
from dataclasses import dataclass

from django.utils import timezone

from townsquare.inbox.models import Channel, ChannelKind
from townsquare.livechat import sessions
from townsquare.livechat.frames import conversation_messages_after
from townsquare.livechat.models import ChatSession
from townsquare.livechat.origins import origin_allowed
from townsquare.livechat.presence import agents_online

REPLAY_BATCH = 200


@dataclass
class SocketSession:
    id: uuid.UUID
    channel_id: int
    conversation_id: int | None
    agents_online: bool


@dataclass
class Opened:
    close_code: int = 0
    session: SocketSession | None = None


def open_session(channel_id: int, *, token: str, origin: str, host: str) -> Opened:
    """Check the channel, the page's origin and the token; the session the socket serves."""
    channel = Channel.objects.filter(pk=channel_id, kind=ChannelKind.LIVECHAT).first()
    if channel is None:
        return Opened(close_code=4404)
    if not channel.is_active or not origin_allowed(origin, host, channel.settings or {}):
        return Opened(close_code=4403)
    session = sessions.session_of_token(channel, token)
    if session is None:
        return Opened(close_code=4401)
    ChatSession.objects.filter(pk=session.pk).update(last_seen_at=timezone.now())
    return Opened(
        session=SocketSession(
            id=session.pk,
            channel_id=channel.pk,
            conversation_id=session.conversation_id,
            agents_online=agents_online(channel),
        )
    )


def replay(conversation_id: int, after_id: int) -> list[dict]:
    return [m.customer_frame() for m in conversation_messages_after(conversation_id, after_id, REPLAY_BATCH)]


def customer_read(session_id: uuid.UUID, up_to: int) -> bool:
    """Move the session's read receipt forward (never back); True when it moved."""
    return bool(
        ChatSession.objects.filter(pk=session_id, customer_read_up_to__lt=up_to).update(
            customer_read_up_to=up_to
        )
    )


def touch(session_id: uuid.UUID) -> None:
    sessions.touch(session_id)


def left(session_id: uuid.UUID) -> None:
    """The socket closed: replies go by email from now on (until a socket opens again)."""
    sessions.mark_left(session_id)
