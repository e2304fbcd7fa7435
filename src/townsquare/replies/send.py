"""Sending a reply: permission, the reply guard, collision warnings, then an undo window before delivery.

A blocked reply is kept (status blocked, `guard.blocked`) and never becomes a message. A supervisor
or admin may override the block with a written reason (`guard.overridden`). Warnings (a reply to
chatter that did not invite one, someone else replied meanwhile) must be acknowledged. An allowed
reply is scheduled `TOWNSQUARE_UNDO_SEND_SECONDS` ahead and delivered by a background task.
"""

from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from townsquare.events.log import record
from townsquare.inbox.models import ConversationStatus
from townsquare.inbox.visibility import Forbidden
from townsquare.replies.guard import check_outgoing, override_allowed
from townsquare.replies.models import Reply, ReplyStatus
from townsquare.replies.permissions import is_supervising, require_can_work_on
from townsquare.replies.presence import replied_meanwhile
from townsquare.replies.text import BadText, checked_text

MAX_OVERRIDE_REASON = 1000


class ReplyBlocked(Exception):
    """The reply guard blocked the reply; `reasons` say why (API 409, shown in the console)."""

    def __init__(self, reply: Reply, reasons: list[str], detail: str):
        super().__init__(detail)
        self.reply = reply
        self.reasons = reasons


class NeedsAcknowledgement(Exception):
    """The reply has warnings the author must acknowledge before it is sent (API 409)."""

    def __init__(self, warnings: list[str]):
        super().__init__(
            "the reply has warnings: send again with acknowledge_warnings once you have read them"
        )
        self.warnings = warnings


class ConversationClosed(ValueError):
    """A closed conversation takes no replies (API 409)."""


class TooLateToUndo(ValueError):
    """The reply is no longer waiting in its undo window (API 409)."""


def send_reply(
    author,
    conversation,
    text,
    *,
    override_reason: str | None = None,
    acknowledge_warnings: bool = False,
    seen_message_id: int | None = None,
) -> Reply:
    """Check and schedule a reply; raises Forbidden, BadText, ReplyBlocked or NeedsAcknowledgement."""
    require_can_work_on(author, conversation)
    if conversation.status == ConversationStatus.CLOSED:
        raise ConversationClosed(f"conversation {conversation.pk} is closed; it takes no more replies")
    text = checked_text(text, what="reply")
    override_reason = _checked_override_reason(override_reason)
    verdict = check_outgoing(text, conversation=conversation, customer=conversation.customer)
    warnings = list(verdict.warnings) + replied_meanwhile(author, conversation, seen_message_id)
    overriding = verdict.blocked and bool(override_reason) and override_allowed(author)
    if verdict.blocked and not overriding:
        reply = _store_blocked(author, conversation, text, verdict)
        raise ReplyBlocked(reply, list(verdict.reasons), _blocked_detail(author, override_reason))
    if warnings and not acknowledge_warnings:
        _log_warnings(author, conversation, warnings, acknowledged=False)
        raise NeedsAcknowledgement(warnings)
    return _schedule(author, conversation, text, verdict, warnings, override_reason if overriding else "")


def _checked_override_reason(reason) -> str:
    if reason is None or (isinstance(reason, str) and not reason.strip()):
        return ""
    return checked_text(reason, what="override reason", limit=MAX_OVERRIDE_REASON)


def _blocked_detail(author, override_reason: str) -> str:
    if override_reason:
        return "the reply guard blocked this reply, and only a supervisor or an admin may override it"
    if override_allowed(author):
        return "the reply guard blocked this reply; to send it anyway, give an override reason"
    return "the reply guard blocked this reply"


def _store_blocked(author, conversation, text: str, verdict) -> Reply:
    with transaction.atomic():
        reply = Reply.objects.create(
            conversation=conversation,
            author=author,
            text=text,
            status=ReplyStatus.BLOCKED,
            guard=asdict(verdict),
        )
        record(
            "guard.blocked",
            actor=author,
            channel_id=conversation.channel_id,
            conversation_id=conversation.pk,
            data={"reasons": list(verdict.reasons), "reply_id": reply.pk},
        )
    return reply


def _log_warnings(author, conversation, warnings: list[str], *, acknowledged: bool, reply=None) -> None:
    data = {"warnings": warnings, "acknowledged": acknowledged}
    if reply is not None:
        data["reply_id"] = reply.pk
    record(
        "guard.warned",
        actor=author,
        channel_id=conversation.channel_id,
        conversation_id=conversation.pk,
        data=data,
    )


def _schedule(author, conversation, text, verdict, warnings, override_reason: str) -> Reply:
    from townsquare.replies.tasks import enqueue_delivery

    now = timezone.now()
    with transaction.atomic():
        reply = Reply.objects.create(
            conversation=conversation,
            author=author,
            text=text,
            status=ReplyStatus.SCHEDULED,
            created_at=now,
            send_after=now + timedelta(seconds=max(0, settings.REPLY_UNDO_SECONDS)),
            guard=asdict(verdict),
            override_reason=override_reason,
            overridden_by=author if override_reason else None,
        )
        if override_reason:
            record(
                "guard.overridden",
                actor=author,
                channel_id=conversation.channel_id,
                conversation_id=conversation.pk,
                data={"reason": override_reason, "reasons": list(verdict.reasons), "reply_id": reply.pk},
            )
        if warnings:
            _log_warnings(author, conversation, warnings, acknowledged=True, reply=reply)
        enqueue_delivery(reply)
    return reply


def undo(user, reply: Reply) -> Reply:
    """Cancel a scheduled reply before its undo window ends (its author, or a supervisor/admin)."""
    if reply.author_id != user.pk and not is_supervising(user):
        raise Forbidden("only the reply's author can undo it")
    require_can_work_on(user, reply.conversation)
    with transaction.atomic():
        # Conditional update: the delivery task and the undo never both win.
        cancelled = Reply.objects.filter(
            pk=reply.pk, status=ReplyStatus.SCHEDULED, send_after__gt=timezone.now()
        ).update(status=ReplyStatus.CANCELLED)
        if not cancelled:
            reply.refresh_from_db()
            raise TooLateToUndo(f"reply {reply.pk} is {reply.status} and can no longer be undone")
        record(
            "reply.undone",
            actor=user,
            channel_id=reply.conversation.channel_id,
            conversation_id=reply.conversation_id,
            data={"reply_id": reply.pk},
        )
    reply.refresh_from_db()
    return reply


__all__ = [
    "BadText",
    "ConversationClosed",
    "NeedsAcknowledgement",
    "ReplyBlocked",
    "TooLateToUndo",
    "send_reply",
    "undo",
]
