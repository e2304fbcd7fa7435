"""Care-workflow conversations for console tests: queue, assignee, SLA deadline and waiting time set
straight on the rows (routing and SLA clocks have their own tests)."""

from datetime import timedelta

from django.utils import timezone

from tests.web.conftest import conversation
from townsquare.care.models import AgentProfile, Queue
from townsquare.inbox.models import Conversation

_n = iter(range(1, 10**9))


def queue(name: str, **fields) -> Queue:
    return Queue.objects.create(name=name, **fields)


def profile(user, *, queues=(), presence="online", capacity=5) -> AgentProfile:
    agent = AgentProfile.objects.create(user=user, presence=presence, capacity=capacity)
    agent.queues.set(queues)
    return agent


def care_conversation(
    channel,
    text: str = "",
    *,
    assignee=None,
    in_queue=None,
    due_in: timedelta | None = None,
    waiting: bool = True,
    status: str = "open",
    messages: int = 1,
    customer=None,
    minutes_ago: int = 0,
    **fields,
) -> Conversation:
    """An open conversation `minutes_ago` old, with an SLA deadline `due_in` from now (negative: overdue)."""
    n = next(_n)
    start = timezone.now() - timedelta(minutes=minutes_ago + messages)
    conv = conversation(
        channel,
        [("in", text or f"question {n}")]
        + [("out" if i % 2 == 0 else "in", f"message {i}") for i in range(messages - 1)],
        customer=customer,
        handle=f"customer{n}",
        start=start,
        status=status,
    )
    Conversation.objects.filter(pk=conv.pk).update(
        assignee=assignee,
        queue=in_queue,
        assigned_at=timezone.now() if assignee else None,
        sla_due_at=timezone.now() + due_in if due_in is not None else None,
        waiting_since=start if waiting else None,
        **fields,
    )
    conv.refresh_from_db()
    return conv
