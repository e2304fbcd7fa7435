"""Conversation statuses: new → open → pending (waiting on the customer) → resolved → closed.

Open and pending go back and forth, a resolved conversation reopens, and a supervisor or admin may
close a conversation from any status. A customer writing again reopens pending and resolved ones.
"""

from django.db import transaction
from django.utils import timezone

from townsquare.events.log import record
from townsquare.events.models import Event
from townsquare.inbox.models import Conversation, ConversationStatus
from townsquare.people.models import Role
from townsquare.replies.csat import request_survey
from townsquare.replies.permissions import require_can_work_on
from townsquare.replies.text import checked_text
from townsquare.sla.clocks import on_inbound, on_status

S = ConversationStatus
ALLOWED = {
    S.NEW: {S.OPEN},
    S.OPEN: {S.PENDING, S.RESOLVED},
    S.PENDING: {S.OPEN, S.RESOLVED},
    S.RESOLVED: {S.OPEN, S.CLOSED},
    S.CLOSED: set(),
}
CLOSE_FROM_ANY = {Role.SUPERVISOR, Role.ADMIN}
REOPENED_BY_CUSTOMER = (S.PENDING, S.RESOLVED)
MAX_REASON = 500


class InvalidTransition(ValueError):
    """The conversation cannot move to that status from where it is (API 409)."""


def allowed_targets(user, conversation) -> list[str]:
    """Statuses this user may move the conversation to now (for the console's buttons)."""
    targets = set(ALLOWED[S(conversation.status)])
    if user is not None and user.role in CLOSE_FROM_ANY and conversation.status != S.CLOSED:
        targets.add(S.CLOSED)
    return [status for status in S.values if status in targets]


def check_transition(actor, conversation, to_status: str) -> None:
    if to_status not in S.values:
        raise InvalidTransition(f"{to_status!r} is not a status; use one of {', '.join(S.values)}")
    if to_status == conversation.status:
        raise InvalidTransition(f"conversation {conversation.pk} is already {to_status}")
    if to_status in ALLOWED[S(conversation.status)]:
        return
    if to_status == S.CLOSED and actor is not None and actor.role in CLOSE_FROM_ANY:
        return
    if to_status == S.CLOSED and conversation.status != S.CLOSED:
        raise InvalidTransition("only a supervisor or an admin may close a conversation that is not resolved")
    raise InvalidTransition(f"a conversation cannot go from {conversation.status} to {to_status}")


def change_status(actor, conversation: Conversation, to_status: str, *, reason: str = "") -> Conversation:
    """Move the conversation to `to_status` and log it; `actor` None is the system (replies, ingest).

    Raises Forbidden when the actor may not work on the conversation and InvalidTransition for a
    move the workflow does not allow. Resolving asks the customer for a CSAT answer.
    """
    if actor is not None:
        require_can_work_on(actor, conversation)
    reason = checked_text(reason, what="reason", limit=MAX_REASON) if reason and reason.strip() else ""
    with transaction.atomic():
        # Re-read under the write lock: another agent may have moved it since the page was loaded.
        current = Conversation.objects.select_for_update().get(pk=conversation.pk)
        check_transition(actor, current, to_status)
        now = timezone.now()
        from_status = current.status
        current.status = to_status
        current.updated_at = now
        if to_status == S.RESOLVED:
            current.resolved_at = now
        elif to_status == S.OPEN:
            current.resolved_at = None
        current.save(update_fields=["status", "updated_at", "resolved_at"])
        data = {"from": from_status, "to": to_status}
        if reason:
            data["reason"] = reason
        record(
            "conversation.status_changed",
            actor=actor,
            channel_id=current.channel_id,
            conversation_id=current.pk,
            data=data,
        )
        # Pending pauses the resolution clock, open resumes it, resolved/closed stops every clock.
        on_status(current)
        if to_status == S.RESOLVED:
            request_survey(current)
    for field in ("status", "updated_at", "resolved_at", "sla_due_at"):
        setattr(conversation, field, getattr(current, field))
    return conversation


def reopen_on_customer_reply(conversation_ids) -> list[int]:
    """Reopen the pending and resolved conversations among these that a customer just wrote in.

    Called by ingest inside its batch transaction: one UPDATE and one bulk event insert per batch.
    Closed conversations stay closed. Returns the ids reopened.
    """
    ids = sorted(set(conversation_ids))
    if not ids:
        return []
    found = list(
        Conversation.objects.filter(pk__in=ids, status__in=REOPENED_BY_CUSTOMER).values_list(
            "pk", "channel_id", "status"
        )
    )
    if not found:
        return []
    now = timezone.now()
    Conversation.objects.filter(pk__in=[pk for pk, _, _ in found], status__in=REOPENED_BY_CUSTOMER).update(
        status=S.OPEN, resolved_at=None, updated_at=now
    )
    Event.objects.bulk_create(
        Event(
            kind="conversation.status_changed",
            occurred_at=now,
            channel_id=channel_id,
            conversation_id=pk,
            data={"from": status, "to": S.OPEN, "reason": "customer replied"},
        )
        for pk, channel_id, status in found
    )
    reopened = [pk for pk, _, _ in found]
    # A reopen starts a new resolution cycle and a next-response clock.
    on_inbound(reopened, now=now)
    return reopened
