"""Replying: POST/GET /conversations/{id}/replies, POST /replies/{id}/undo, POST /replies/{id}/retry,
POST /conversations/{id}/status, POST /conversations/{id}/typing (collision detection)."""

from datetime import datetime

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from townsquare.api.auth import caller
from townsquare.api.conversations import visible_conversation
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.inbox.models import ConversationStatus
from townsquare.inbox.visibility import visible_conversations
from townsquare.replies.models import Reply
from townsquare.replies.presence import heartbeat, replying_now
from townsquare.replies.retry import NotRetryable, retry_reply
from townsquare.replies.send import (
    ConversationClosed,
    NeedsAcknowledgement,
    ReplyBlocked,
    TooLateToUndo,
    send_reply,
    undo,
)
from townsquare.replies.status import InvalidTransition, change_status
from townsquare.replies.text import MAX_TEXT_CHARACTERS, BadText
from townsquare.web.pii_fence import shown_free_text

router = Router(tags=["replies"])


class ReplyIn(Schema):
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARACTERS)
    override_reason: str | None = Field(
        None, max_length=1000, description="supervisors and admins: why a blocked reply may go out anyway"
    )
    acknowledge_warnings: bool = Field(False, description="send although the guard or a collision warned")
    seen_message_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="the newest message the author had seen when drafting"
    )


class ReplyOut(Schema):
    id: int
    conversation_id: int
    author: str
    text: str
    status: str = Field(description="scheduled, sending, sent, cancelled (undone), blocked or failed")
    created_at: datetime
    send_after: datetime | None = Field(description="end of the undo window")
    sent_at: datetime | None
    guard: dict = Field(description="the reply guard's verdict: blocked, reasons, warnings, promo_score")
    override_reason: str
    message_id: int | None
    error: str = Field(description="why delivery failed, or why the last attempt failed while it is retried")
    attempts: int = Field(description="delivery attempts made through the channel")
    remote_id: str = Field(
        description="what the channel calls the delivered reply (email Message-ID, status id)"
    )


class ReplyProblemOut(Schema):
    detail: str
    reasons: list[str] = Field([], description="why the reply guard blocked it")
    warnings: list[str] = Field([], description="what must be acknowledged with acknowledge_warnings")
    reply_id: int | None = None


class StatusIn(Schema):
    status: ConversationStatus
    reason: str = Field("", max_length=500, pattern=r"^[^\x00]*$")


class StatusOut(Schema):
    id: int
    status: str
    resolved_at: datetime | None


class TypingOut(Schema):
    replying_now: list[str] = Field(description="other people drafting a reply here in the last 15 seconds")


def reply_out(user, reply: Reply) -> dict:
    return {
        "id": reply.pk,
        "conversation_id": reply.conversation_id,
        "author": reply.author.username,
        "text": shown_free_text(user, reply.text),
        "status": reply.status,
        "created_at": reply.created_at,
        "send_after": reply.send_after,
        "sent_at": reply.sent_at,
        "guard": reply.guard,
        "override_reason": reply.override_reason,
        "message_id": reply.message_id,
        "error": shown_free_text(user, reply.error),
        "attempts": reply.attempts,
        "remote_id": reply.remote_id,
    }


def bad_text(field: str, exc: Exception) -> ValidationError:
    return ValidationError([{"loc": ["body", "payload", field], "msg": str(exc), "type": "value_error"}])


@router.post(
    "/conversations/{conversation_id}/replies",
    response={201: ReplyOut, 409: ReplyProblemOut, **error_responses(401, 403, 404, 422)},
    summary="Reply to the customer (sent after the undo window)",
    description="The reply guard checks the text first. Blocked: 409 with `reasons` (a supervisor or "
    "admin may send `override_reason`). Warnings: 409 with `warnings` until sent again with "
    "`acknowledge_warnings`. Otherwise 201 with a scheduled reply that `POST /replies/{id}/undo` cancels "
    "until `send_after`.",
)
def create_reply(request, conversation_id: Id, payload: ReplyIn):
    user = caller(request)
    conversation = visible_conversation(user, conversation_id)
    try:
        reply = send_reply(
            user,
            conversation,
            payload.text,
            override_reason=payload.override_reason,
            acknowledge_warnings=payload.acknowledge_warnings,
            seen_message_id=payload.seen_message_id,
        )
    except BadText as exc:
        raise bad_text("text" if "reply" in str(exc) else "override_reason", exc) from None
    except ReplyBlocked as exc:
        return Status(409, {"detail": str(exc), "reasons": exc.reasons, "reply_id": exc.reply.pk})
    except NeedsAcknowledgement as exc:
        return Status(409, {"detail": str(exc), "warnings": exc.warnings})
    except ConversationClosed as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, reply_out(user, reply))


@router.get(
    "/conversations/{conversation_id}/replies",
    response={200: list[ReplyOut], **error_responses(401, 403, 404, 422)},
    summary="Every reply on a conversation (scheduled, sent, undone, blocked, failed), oldest first",
)
def list_replies(request, conversation_id: Id):
    user = caller(request)
    conversation = visible_conversation(user, conversation_id)
    replies = conversation.replies.select_related("author").order_by("created_at", "id")
    return [reply_out(user, reply) for reply in replies]


@router.post(
    "/replies/{reply_id}/undo",
    response={200: ReplyOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Cancel a reply during its undo window",
)
def undo_reply(request, reply_id: Id):
    user = caller(request)
    reply = _visible_reply(user, reply_id)
    try:
        return reply_out(user, undo(user, reply))
    except TooLateToUndo as exc:
        raise HttpError(409, str(exc)) from None


@router.post(
    "/replies/{reply_id}/retry",
    response={200: ReplyOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Try again to deliver a failed reply",
    description="Anyone who may work on the conversation may retry a failed reply: it is scheduled for "
    "delivery now (attempts start again). A reply that is not failed, or a closed conversation, answers 409.",
)
def retry_failed_reply(request, reply_id: Id):
    user = caller(request)
    reply = _visible_reply(user, reply_id)
    try:
        return reply_out(user, retry_reply(user, reply))
    except (NotRetryable, ConversationClosed) as exc:
        raise HttpError(409, str(exc)) from None


@router.post(
    "/conversations/{conversation_id}/status",
    response={200: StatusOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Move a conversation to another status",
    description="new → open → pending ⇄ open → resolved → closed; resolved → open reopens; supervisors and "
    "admins may close from any status. Other moves answer 409. Resolving asks the customer for CSAT.",
)
def set_status(request, conversation_id: Id, payload: StatusIn):
    user = caller(request)
    conversation = visible_conversation(user, conversation_id)
    try:
        change_status(user, conversation, payload.status, reason=payload.reason.strip())
    except InvalidTransition as exc:
        raise HttpError(409, str(exc)) from None
    except BadText as exc:
        raise bad_text("reason", exc) from None
    return conversation


@router.post(
    "/conversations/{conversation_id}/typing",
    response={200: TypingOut, **error_responses(401, 403, 404, 422)},
    summary="Heartbeat while drafting a reply; answers who else is drafting one now",
)
def typing(request, conversation_id: Id):
    user = caller(request)
    conversation = visible_conversation(user, conversation_id)
    heartbeat(user, conversation)
    return {"replying_now": [other.username for other in replying_now(conversation, except_user=user)]}


def _sees(user, conversation_id: int) -> bool:
    return visible_conversations(user).filter(pk=conversation_id).exists()


def _visible_reply(user, reply_id: int) -> Reply:
    """The reply, when the caller may see its conversation; 404 otherwise (never "forbidden")."""
    reply = Reply.objects.select_related("author", "conversation").filter(pk=reply_id).first()
    if reply is None or not _sees(user, reply.conversation_id):
        raise NotFound(f"reply {reply_id} not found")
    return reply
