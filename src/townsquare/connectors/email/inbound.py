"""Receiving one email on a channel: parse, classify, thread, store; or keep it as rejected.

`receive_email` is what the SMTP/LMTP listener and `townsquare ingest-email` call. A message is
stored once however often it is delivered (its Message-ID, or a hash of its bytes, is the
external id). Bounces are never stored: the reply they name is marked failed. Auto-replies are
stored in their thread but make no work (see autoreply.py and store.py).
"""

import hashlib
import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from townsquare.connectors.email.attachments import save_attachments
from townsquare.connectors.email.autoreply import Bounce, auto_reply_reasons, bounce_of
from townsquare.connectors.email.no_work import mark_no_work
from townsquare.connectors.email.parse import Malformed, ParsedEmail, parse_email
from townsquare.connectors.email.quoting import strip_reply
from townsquare.connectors.email.rejects import reject_email
from townsquare.connectors.email.threading import ThreadPlacement, place, thread_index_root
from townsquare.events.log import record
from townsquare.inbox.ingest.normalized import MAX_TEXT_BYTES, InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Conversation, Message
from townsquare.people.models import Identity

logger = logging.getLogger(__name__)
# An oversized message is kept only this far for inspection (its headers and the start of its body).
KEEP_OF_OVERSIZED = 1024 * 1024
MAX_FULL_TEXT = 256 * 1024


@dataclass
class EmailOutcome:
    status: str  # stored | duplicate | auto_reply | bounce | rejected
    message_id: int | None = None
    conversation_id: int | None = None
    reason: str = ""
    rejected_id: int | None = None
    threaded_by: str = ""
    matched_reply: bool = False  # a bounce named a reply we sent

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value not in (None, "", False)}


def max_bytes_of(channel) -> int:
    """The channel's `max_bytes` setting, never above TOWNSQUARE_EMAIL_MAX_BYTES."""
    limit = settings.EMAIL_MAX_BYTES
    value = (channel.settings or {}).get("max_bytes")
    try:
        value = int(value) if value not in (None, "") else 0
    except (TypeError, ValueError):
        value = 0
    return min(limit, value) if value > 0 else limit


def receive_email(channel, raw: bytes, *, envelope_from=None, envelope_to=()) -> EmailOutcome:
    """Store (or reject, or act on) one raw message delivered to `channel`."""
    now = timezone.now()
    limit = max_bytes_of(channel)
    try:
        parsed = parse_email(raw, received_at=now, max_bytes=limit)
    except Malformed as exc:
        kept = raw if len(raw) <= limit else raw[:KEEP_OF_OVERSIZED]
        return _rejected(channel, kept, exc.reason, exc.summary, size=len(raw))
    bounce = bounce_of(parsed.message, envelope_from)
    if bounce is not None:
        return _bounced(channel, parsed, bounce)
    if not parsed.from_address:
        return _rejected(
            channel, raw, "no sender: the From header is missing or has no address", parsed.summary()
        )
    reasons = auto_reply_reasons(
        parsed, envelope_from, own_address=(channel.settings or {}).get("address", "")
    )
    placement = place(channel, parsed, envelope_to)
    attachments = save_attachments(parsed.attachments)
    inbound = _inbound_message(parsed, raw, placement, reasons, attachments, envelope_from, envelope_to)
    with transaction.atomic():
        result = store_messages(channel, [inbound], source="email")
        _, status, message_id = result.outcomes[0]
        conversation_id = (
            Message.objects.filter(pk=message_id).values_list("conversation_id", flat=True).first()
        )
        outcome = EmailOutcome(status, message_id, conversation_id, threaded_by=placement.how)
        if status == "stored":
            _after_stored(channel, parsed, outcome, reasons, started=bool(result.conversations_created))
    return outcome


def _after_stored(channel, parsed: ParsedEmail, outcome: EmailOutcome, reasons, *, started: bool) -> None:
    if started and parsed.subject.strip():
        # The email's subject names the conversation better than its first line.
        Conversation.objects.filter(pk=outcome.conversation_id).update(subject=parsed.subject.strip()[:200])
    if reasons:
        outcome.status = "auto_reply"
        mark_no_work(outcome.message_id, outcome.conversation_id)
        record(
            "email.auto_reply_ignored",
            channel_id=channel.pk,
            conversation_id=outcome.conversation_id,
            message_id=outcome.message_id,
            data={"reasons": reasons, "started_conversation": started},
        )
    else:
        _attach_verified_email(channel, parsed.from_address)
    _publish_after_commit(outcome.message_id)


def _inbound_message(
    parsed, raw, placement: ThreadPlacement, reasons, attachments, envelope_from, envelope_to
):
    full_text = parsed.text.strip()
    text = strip_reply(full_text) or full_text or parsed.subject.strip()
    if not text:
        text = ", ".join(f"[attachment: {a['name']}]" for a in attachments) or "(empty message)"
    payload = {
        "message_id": parsed.message_id,
        "in_reply_to": parsed.in_reply_to,
        "references": parsed.references[-20:],
        "from": {"name": parsed.from_name, "address": parsed.from_address},
        "to": parsed.to,
        "cc": parsed.cc,
        "reply_to": parsed.reply_to,
        "subject": parsed.subject,
        "date": parsed.header("Date"),
        "html": parsed.html,
        "full_text": _cut(full_text, MAX_FULL_TEXT),
        "attachments": attachments,
        "auto_reply": bool(reasons),
        "size": len(raw),
        "threaded_by": placement.how,
        "envelope": {"from": envelope_from, "to": list(envelope_to)},
    }
    if reasons:
        payload["auto_reply_reasons"] = reasons
    if parsed.thread_index:
        payload["thread_index_root"] = thread_index_root(parsed.thread_index)
    return InboundMessage(
        external_id=parsed.message_id or f"sha256:{hashlib.sha256(raw).hexdigest()}",
        author_id=parsed.from_address,
        author_handle=parsed.from_address[:200],
        author_name=parsed.from_name[:200],
        text=_cut(text, MAX_TEXT_BYTES - 64),
        created_at=parsed.date,
        parent_external_id=placement.parent_external_id,
        raw=payload,
        conversation_id=placement.conversation_id,
        auto_reply=bool(reasons),
    )


def _cut(text: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8, cut on a character boundary."""
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit].decode("utf-8", "ignore")


def _rejected(channel, raw: bytes, reason: str, summary: str, *, size: int | None = None) -> EmailOutcome:
    rejected = reject_email(channel, raw, reason, summary, size=size)
    return EmailOutcome("rejected", reason=reason, rejected_id=rejected.pk)


def _bounced(channel, parsed: ParsedEmail, bounce: Bounce) -> EmailOutcome:
    """A delivery failure report: the reply it names fails with the reason; nothing is stored."""
    with transaction.atomic():
        matched = False
        if bounce.permanent and bounce.original_message_id:
            matched = _mark_bounced(channel, bounce.original_message_id, bounce.reason)
        record(
            "email.bounced",
            channel_id=channel.pk,
            data={
                "original_message_id": bounce.original_message_id,
                "reason": bounce.reason,
                "permanent": bounce.permanent,
                "matched_reply": matched,
                "from": parsed.from_address,
            },
        )
    return EmailOutcome("bounce", reason=bounce.reason, matched_reply=matched)


def _mark_bounced(channel, original_message_id: str, reason: str) -> bool:
    try:
        from townsquare.replies.delivery import mark_bounced
    except ImportError:  # the delivery pipeline is not installed in this build
        logger.warning(
            "bounce for %s not applied: replies.delivery.mark_bounced is missing", original_message_id
        )
        return False
    return bool(mark_bounced(channel, original_message_id, reason))


def _attach_verified_email(channel, address: str) -> None:
    """The sender's address is verified (they wrote from it): it may join their other identities."""
    try:
        from townsquare.people.merging import InvalidEmail, attach_email
    except ImportError:  # identity merging is not installed in this build
        return
    identity = Identity.objects.filter(channel=channel, external_id=address).first()
    if identity is None or (identity.email == address and identity.email_verified):
        return
    try:
        attach_email(identity, address, verified=True)
    except InvalidEmail:
        # Mail servers accept addresses Django's validator does not (quoted local parts): the
        # message is stored, the identity just keeps no email to merge by.
        logger.info("sender %r is not an address identities can be merged by", address[:80])


def _publish_after_commit(message_id: int) -> None:
    try:
        from townsquare.realtime.publish import message_stored
    except ImportError:  # no live console in this build
        return
    transaction.on_commit(lambda: message_stored(message_id))
