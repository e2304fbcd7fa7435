"""The escalation ladder: ambassador → agent → supervisor, by hand or automatically, each step logged.

Escalating hands the conversation to the next rung: whoever holds it below that rung lets go, the
conversation leaves its queue and is routed again among people at the new level (routing skips
anyone below `escalation_level`). Automatic steps (urgency, a customer asking for a person, a
negative sentiment spiral, an SLA about to breach) happen at most once per reason and level.
"""

from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from townsquare.care.escalation_signals import asks_for_human, asks_for_manager, is_sentiment_spiral
from townsquare.events.log import record
from townsquare.events.models import Event
from townsquare.inbox.models import ChannelKind, Conversation, ConversationStatus, Direction, Message
from townsquare.inbox.visibility import Forbidden, visible_conversations
from townsquare.people.models import Role

LADDER = ("ambassador", "agent", "supervisor")
ROLE_LEVEL = {
    Role.AMBASSADOR: "ambassador",
    Role.AGENT: "agent",
    Role.SUPERVISOR: "supervisor",
    Role.ADMIN: "supervisor",
}
FINISHED = (ConversationStatus.RESOLVED, ConversationStatus.CLOSED)

# Why a conversation may climb on its own. Urgent priority (safety, security, legal) goes to staff.
# How many of the latest customer messages the automatic rules read.
RECENT = 5
AUTOMATIC_REASONS = (
    "urgent",
    "customer_asked_for_human",
    "customer_asked_for_manager",
    "negative_sentiment_spiral",
    "sla_near_breach",
)


class EscalationError(ValueError):
    """The step is not possible (already at the top, conversation finished); the API answers 409."""


def rank(level: str) -> int:
    return LADDER.index(level) if level in LADDER else -1


def level_of_user(user) -> str | None:
    return ROLE_LEVEL.get(getattr(user, "role", None))


def current_level(conversation: Conversation) -> str:
    """The rung the conversation is on: its recorded level, else its holder's, else where it came from."""
    if conversation.escalation_level:
        return conversation.escalation_level
    if conversation.assignee_id is not None:
        return level_of_user(conversation.assignee) or "agent"
    # Community questions start with the ambassadors; everything else starts with staff.
    return "ambassador" if conversation.channel.kind == ChannelKind.COMMUNITY else "agent"


def escalate(actor, conversation: Conversation, *, reason: str, to_level: str | None = None) -> str:
    """Move a conversation up the ladder by hand; returns the new level.

    Anyone who can see the conversation may escalate it (an ambassador hands a case to staff in one
    click); only supervisors and admins may jump straight to a level or de-escalate.
    """
    if not visible_conversations(actor).filter(pk=conversation.pk).exists():
        raise Forbidden("you may not escalate a conversation you cannot see")
    reason = (reason or "").strip()
    if not reason:
        raise EscalationError("say why the conversation needs to go up the ladder")
    if len(reason) > 500:
        raise EscalationError("the reason is longer than 500 characters")
    if to_level is not None and to_level not in LADDER:
        raise EscalationError(f"unknown level {to_level!r}; one of {', '.join(LADDER)}")
    may_choose = actor.role in (Role.SUPERVISOR, Role.ADMIN)
    if to_level is not None and not may_choose and rank(to_level) != rank(current_level(conversation)) + 1:
        raise Forbidden("only supervisors and admins choose the level; escalate one step instead")
    return _step(conversation, actor=actor, reason=reason, to_level=to_level, automatic=False)


def escalate_automatically(
    conversation: Conversation, *, reason: str, to_level: str | None = None
) -> str | None:
    """One automatic step for `reason`, unless the conversation already took it; returns the new level."""
    if reason not in AUTOMATIC_REASONS:
        raise ValueError(f"unknown automatic escalation reason {reason!r}")
    if conversation.status in FINISHED:
        return None
    target = to_level or _next_level(current_level(conversation))
    if target is None or rank(target) <= rank(current_level(conversation)):
        return None
    already = Event.objects.filter(
        kind="conversation.escalated",
        conversation_id=conversation.pk,
        data__reason=reason,
        data__to_level=target,
    ).exists()
    if already:
        return None
    try:
        return _step(conversation, actor=None, reason=reason, to_level=target, automatic=True)
    except EscalationError:
        return None


def check_automatic(conversation_ids) -> int:
    """Apply the automatic rules to these conversations (after their labels change); returns steps taken.

    Two queries for the whole batch (the conversations, and their latest inbound messages with
    labels); only the conversations a rule picks out pay for an escalation.
    """
    conversations = list(
        Conversation.objects.filter(pk__in=list(conversation_ids))
        .exclude(status__in=FINISHED)
        .select_related("channel", "assignee")
    )
    if not conversations:
        return 0
    recent = _recent_inbound([c.pk for c in conversations])
    steps = 0
    for conversation in conversations:
        for reason, target in _automatic_reasons(conversation, recent.get(conversation.pk, [])):
            if escalate_automatically(conversation, reason=reason, to_level=target):
                steps += 1
                conversation.refresh_from_db()
    return steps


def _recent_inbound(conversation_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """The latest RECENT inbound (text, sentiment) pairs per conversation, newest first."""
    newest_first = Window(
        RowNumber(), partition_by=[F("conversation_id")], order_by=[F("created_at").desc(), F("id").desc()]
    )
    rows = (
        Message.objects.filter(conversation_id__in=conversation_ids, direction=Direction.INBOUND)
        .annotate(position=newest_first)
        .filter(position__lte=RECENT)
        .order_by("conversation_id", "position")
        .values_list("conversation_id", "text", "labels__sentiment")
    )
    recent: dict[int, list[tuple[str, str]]] = {}
    for conversation_id, text, sentiment in rows:
        recent.setdefault(conversation_id, []).append((text, sentiment or ""))
    return recent


def _automatic_reasons(
    conversation: Conversation, recent: list[tuple[str, str]]
) -> list[tuple[str, str | None]]:
    reasons: list[tuple[str, str | None]] = []
    level = current_level(conversation)
    if conversation.priority == "urgent" and rank(level) < rank("agent"):
        reasons.append(("urgent", "agent"))
    if recent:
        latest_text = recent[0][0]
        if asks_for_manager(latest_text):
            reasons.append(("customer_asked_for_manager", "supervisor"))
        elif asks_for_human(latest_text) and rank(level) < rank("agent"):
            reasons.append(("customer_asked_for_human", "agent"))
    if is_sentiment_spiral([sentiment for _, sentiment in reversed(recent)]):
        reasons.append(("negative_sentiment_spiral", None))
    return reasons


def _next_level(level: str) -> str | None:
    position = rank(level)
    return LADDER[position + 1] if position + 1 < len(LADDER) else None


def _step(conversation: Conversation, *, actor, reason: str, to_level: str | None, automatic: bool) -> str:
    with transaction.atomic():
        locked = (
            # Lock the conversation row only: PostgreSQL cannot lock the nullable side of the join.
            Conversation.objects.select_for_update(of=("self",))
            .select_related("channel", "assignee")
            .get(pk=conversation.pk)
        )
        if locked.status in FINISHED:
            raise EscalationError(f"conversation {locked.pk} is {locked.status}; reopen it first")
        before = current_level(locked)
        target = to_level or _next_level(before)
        if target is None:
            raise EscalationError("the conversation is already with a supervisor, the top of the ladder")
        if target == before:
            raise EscalationError(f"the conversation is already at level {target}")
        updates = {"escalation_level": target, "updated_at": timezone.now()}
        released = locked.assignee_id is not None and rank(level_of_user(locked.assignee) or "") < rank(
            target
        )
        if released:
            updates.update(assignee=None, assigned_at=None)
        if rank(target) > rank(before):
            # Back to routing among people at the new level; the old queue may hold only the rung below.
            updates["queue"] = None
        Conversation.objects.filter(pk=locked.pk).update(**updates)
        if released:
            record(
                "conversation.unassigned",
                actor=actor,
                conversation_id=locked.pk,
                channel_id=locked.channel_id,
                data={"reason": "escalated", "assignee_id": locked.assignee_id},
            )
        record(
            "conversation.escalated",
            actor=actor,
            conversation_id=locked.pk,
            channel_id=locked.channel_id,
            data={"from_level": before, "to_level": target, "reason": reason, "automatic": automatic},
        )
        transaction.on_commit(lambda: _route_again(locked.pk))
    conversation.refresh_from_db()
    return target


def _route_again(conversation_id: int) -> None:
    from townsquare.care import routing

    routing.route([conversation_id])
