"""Starting and resuming chat sessions (the widget's POST /livechat/<id>/session)."""

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from townsquare.api.ratelimit import over_limit
from townsquare.events.log import record
from townsquare.inbox.ingest.locks import lock_channel_for_ingest
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.livechat.limits import limit
from townsquare.livechat.models import ChatSession
from townsquare.livechat.tokens import HostIdentity, read_session_token, session_token
from townsquare.people.merging import attach_email
from townsquare.people.models import Customer, Identity

MAX_USER_AGENT = 300


class ChannelUnavailable(LookupError):
    """No active live chat channel with this id (404)."""


class TooManySessions(Exception):
    """This address started too many sessions lately (429); `wait` is in seconds."""

    def __init__(self, wait: int):
        super().__init__(f"too many chat sessions from this address; retry in {wait} s")
        self.wait = wait


@dataclass
class Started:
    session: ChatSession
    token: str
    resumed: bool


def livechat_channel(channel_id: int) -> Channel:
    channel = Channel.objects.filter(pk=channel_id, kind=ChannelKind.LIVECHAT, is_active=True).first()
    if channel is None:
        raise ChannelUnavailable(f"no active live chat channel {channel_id}")
    return channel


def ip_hash(address: str) -> str:
    """A keyed hash of the visitor's address: counts and compares, never reveals it."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"livechat-ip:{address}".encode(), hashlib.sha256).hexdigest()


def session_of_token(channel: Channel, token) -> ChatSession | None:
    session_id = read_session_token(token, channel.pk)
    if session_id is None:
        return None
    return ChatSession.objects.filter(pk=session_id, channel=channel, ended_at__isnull=True).first()


def start_session(
    channel: Channel, *, token=None, host: HostIdentity | None = None, address: str = "", user_agent: str = ""
) -> Started:
    """Resume the token's session when it is valid (and the host site names the same visitor),
    otherwise start a new one, counted against the address's hourly allowance."""
    session = session_of_token(channel, token) if token else None
    if session is not None and host is not None and session.host_user_id != host.user_id:
        if session.host_user_id or session.conversation_id:
            session = None  # another visitor signed in on this browser: a fresh chat
        else:
            _identify(session, channel, host)
    if session is not None:
        return Started(session, session_token(session.pk, channel.pk), resumed=True)
    hashed = ip_hash(address)
    allowance = limit("LIVECHAT_SESSIONS_PER_IP_HOUR")
    if allowance:
        wait = over_limit(f"livechat:sessions:{channel.pk}:{hashed}", allowance, 3600)
        if wait is not None:
            raise TooManySessions(wait)
    with transaction.atomic():
        session = ChatSession.objects.create(
            id=uuid.uuid4(),
            channel=channel,
            ip_hash=hashed,
            user_agent=(user_agent or "")[:MAX_USER_AGENT],
            last_seen_at=_away(),  # no socket yet
        )
        if host is not None:
            _identify(session, channel, host)
        record(
            "livechat.session_started",
            channel_id=channel.pk,
            data={"session": session.pk.hex, "host_identified": host is not None},
        )
    return Started(session, session_token(session.pk, channel.pk), resumed=False)


def _identify(session: ChatSession, channel: Channel, host: HostIdentity) -> None:
    """The host site vouches for the visitor: their identity (and a verified email) on this channel."""
    with transaction.atomic():
        identity = host_identity(channel, host)
        session.host_user_id = host.user_id
        session.name = host.name
        session.email = host.email
        session.email_verified = bool(host.email)
        session.identity = identity
        session.save(update_fields=["host_user_id", "name", "email", "email_verified", "identity"])
    if host.email and (identity.email != host.email or not identity.email_verified):
        attach_email(identity, host.email, verified=True)


def host_identity(channel: Channel, host: HostIdentity) -> Identity:
    external_id = f"host:{host.user_id}"
    with transaction.atomic():
        # Ingest creates identities under this lock without a conflict check; so do we.
        lock_channel_for_ingest(channel.pk)
        identity = Identity.objects.filter(channel=channel, external_id=external_id).first()
        if identity is None:
            customer = Customer.objects.create(
                display_name=host.name or host.email or external_id,
                first_seen_as=f"{channel.pk}:{external_id}",
            )
            identity = Identity.objects.create(
                channel=channel,
                external_id=external_id,
                handle=external_id,
                display_name=host.name,
                customer=customer,
            )
        elif host.name and identity.display_name != host.name:
            identity.display_name = host.name
            identity.save(update_fields=["display_name"])
    return identity


def mark_left(session_id: uuid.UUID) -> None:
    ChatSession.objects.filter(pk=session_id).update(last_seen_at=_away())


def _away():
    """A last-seen time that counts as "no socket open" (livechat.presence)."""
    return timezone.now() - timedelta(seconds=limit("LIVECHAT_PRESENCE_SECONDS") + 1)


def touch(session_id: uuid.UUID) -> None:
    """The session's socket is open now (presence for replies: socket or email)."""
    ChatSession.objects.filter(pk=session_id).update(last_seen_at=timezone.now())
