"""Which queue an escalated community question goes to: the first matching queue that staff serve.

Queues are matched by position like routing does, but a queue only ambassadors serve (the usual
"community" queue) is skipped: after escalation the conversation is staff work, and parking it where
no agent looks would leave it unanswered again. When no staff queue's rules take it, the first queue
staff serve does. With no queue staff serve at all it is left to routing (with no queues at all it
stays unqueued, which every agent sees).
"""

from django.db.models import Q

from townsquare.care.models import Queue
from townsquare.care.routing import conversation_facts, queue_conversations
from townsquare.care.rules import needs_intent, rules_match
from townsquare.inbox.models import ChannelKind, Conversation
from townsquare.people.models import STAFF_CONSOLE_ROLES, User


def served_by_staff(queue: Queue) -> bool:
    """An active agent, supervisor or admin is in the queue, or on its team."""
    serves = Q(agent_profile__queues=queue)
    if queue.team_id is not None:
        serves |= Q(teams=queue.team_id)
    return User.objects.filter(serves, role__in=STAFF_CONSOLE_ROLES, is_active=True).exists()


def staff_queue_for(conversation_id: int) -> Queue | None:
    queues = list(Queue.objects.filter(is_active=True).order_by("position", "name", "id"))
    if not queues:
        return None
    facts = dict(conversation_facts([conversation_id], with_intent=needs_intent([q.rules for q in queues])))
    if conversation_id not in facts:
        return None  # already queued, finished or not for us
    staffed = [queue for queue in queues if served_by_staff(queue)]
    matching = [queue for queue in staffed if rules_match(queue.rules, facts[conversation_id])]
    # No staff queue takes community conversations: the first one staff serve, rather than letting
    # routing put it back where only ambassadors look.
    return (matching or staffed or [None])[0]


def queue_for_staff(conversation_id: int) -> Queue | None:
    """Put an unqueued conversation into its staff queue (if any); returns the queue."""
    queue = staff_queue_for(conversation_id)
    if queue is not None:
        queue_conversations(queue, [conversation_id])
    return queue


def after_escalation(sender, instance, created, **kwargs) -> None:
    """A community conversation escalated to staff (an ambassador's one-click hand-over, the sweep)
    goes to a staff queue in the same transaction, before routing runs on commit."""
    if not created or instance.kind != "conversation.escalated" or instance.conversation_id is None:
        return
    if (instance.data or {}).get("to_level") not in ("agent", "supervisor"):
        return
    waiting = Conversation.objects.filter(
        pk=instance.conversation_id, queue__isnull=True, channel__kind=ChannelKind.COMMUNITY
    )
    if waiting.exists():
        queue_for_staff(instance.conversation_id)
