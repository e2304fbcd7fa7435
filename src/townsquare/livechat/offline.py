"""The widget's offline form: no agent online, the visitor leaves an email and a message."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from townsquare.api.ratelimit import over_limit
from townsquare.events.log import record
from townsquare.inbox.models import Channel
from townsquare.livechat import sessions
from townsquare.livechat.ingest import (
    ChatMessageRejected,
    check_chat_text,
    check_client_id,
    store_chat_message,
)
from townsquare.livechat.limits import limit
from townsquare.livechat.models import ChatSession
from townsquare.livechat.tokens import session_token
from townsquare.people.merging import attach_email
from townsquare.people.models import Identity


class OfflineRejected(Exception):
    def __init__(self, status: int, message: str, wait: int | None = None):
        super().__init__(message)
        self.status = status
        self.wait = wait


@dataclass
class LeftMessage:
    message_id: int
    token: str
    duplicate: bool


def leave_message(channel: Channel, body: dict, *, address: str, user_agent: str = "") -> LeftMessage:
    """Store the visitor's message in their chat; the agent's answer goes to the email they typed
    (not verified: it never merges them with another customer)."""
    email = _email(body.get("email"))
    name = body.get("name") or ""
    if not isinstance(name, str) or "\x00" in name:
        raise OfflineRejected(400, "name must be text")
    try:
        text = check_chat_text(body.get("text"), limit("LIVECHAT_MAX_TEXT"))
        client_id = check_client_id(body.get("client_id") or f"offline-{uuid.uuid4().hex}")
    except ChatMessageRejected as exc:
        raise OfflineRejected(400, str(exc)) from None
    allowance = limit("LIVECHAT_OFFLINE_PER_IP_HOUR")
    if allowance:
        wait = over_limit(f"livechat:offline:{channel.pk}:{sessions.ip_hash(address)}", allowance, 3600)
        if wait is not None:
            raise OfflineRejected(
                429, f"too many offline messages from this address; retry in {wait} s", wait
            )
    try:
        started = sessions.start_session(
            channel, token=body.get("token"), address=address, user_agent=user_agent
        )
    except sessions.TooManySessions as exc:
        raise OfflineRejected(429, str(exc), exc.wait) from None
    session = started.session
    with transaction.atomic():
        _remember_contact(session, email, name.strip()[:200])
        ingested = store_chat_message(session.pk, text, client_id, raw_extra={"offline": True})
        sessions.mark_left(session.pk)  # the answer goes by email
        if not ingested.duplicate:
            record(
                "livechat.offline_message",
                channel_id=channel.pk,
                conversation_id=ingested.conversation_id,
                message_id=ingested.message_id,
                data={"session": session.pk.hex},
            )
    identity = Identity.objects.filter(chat_sessions=session).first()
    if identity is not None and identity.email != email and not identity.email_verified:
        attach_email(identity, email, verified=False)
    return LeftMessage(ingested.message_id, session_token(session.pk, channel.pk), ingested.duplicate)


def _email(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise OfflineRejected(400, "email is required: the answer is sent there")
    value = value.strip()
    try:
        validate_email(value)
    except ValidationError:
        raise OfflineRejected(400, "email is not an email address") from None
    return value.lower()


def _remember_contact(session: ChatSession, email: str, name: str) -> None:
    """A verified address from the host site is kept; a typed one only fills a blank."""
    fields = []
    if not session.email_verified and session.email != email:
        session.email = email
        fields.append("email")
    if name and not session.name:
        session.name = name
        fields.append("name")
    if fields:
        session.save(update_fields=fields)
