"""The supervisor view: queue depth, agent load, SLA risk and urgent conversations, right now.

Seven queries however many queues, agents and conversations there are (session and user
included): one grouped aggregate for every queue's depth, one for every agent's open load, and
two short lists. Counts come from the conversations the supervisor may see.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from townsquare.care.models import Queue
from townsquare.inbox.visibility import Forbidden, visible_conversations
from townsquare.people.models import Role, User
from townsquare.web.access import console_view
from townsquare.web.pii_fence import fence_list_rows
from townsquare.web.saved_views import BREACHING_WINDOW, breaching_soon, is_open

SUPERVISING_ROLES = (Role.ADMIN, Role.SUPERVISOR)
# People who take conversations, listed under agent load.
LOADED_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.AMBASSADOR)
LIST_LIMIT = 25
URGENT = Q(priority="urgent") | Q(escalation_level="supervisor")


@dataclass
class QueueDepth:
    queue: Queue | None  # None: open conversations not in any queue yet
    waiting: int = 0
    unassigned: int = 0
    breaching: int = 0
    oldest_waiting: datetime | None = None


@dataclass
class AgentLoad:
    user: User
    open: int
    capacity: int | None
    presence: str

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.open >= self.capacity


def may_supervise(user) -> bool:
    return bool(user and user.is_authenticated and user.role in SUPERVISING_ROLES)


def queue_depths(conversations, now) -> list[QueueDepth]:
    """Open work per queue (every active queue, even an empty one), in one grouped query."""
    rows = (
        conversations.filter(is_open())
        .values("queue_id")
        .annotate(
            waiting=Count("pk", filter=Q(waiting_since__isnull=False)),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
            breaching=Count("pk", filter=breaching_soon(now)),
            oldest_waiting=Min("waiting_since"),
        )
        .order_by()
    )
    by_queue = {row.pop("queue_id"): row for row in rows}
    depths = [
        QueueDepth(queue, **by_queue.pop(queue.pk, {})) for queue in Queue.objects.filter(is_active=True)
    ]
    if None in by_queue:
        depths.append(QueueDepth(None, **by_queue[None]))
    return depths


def agent_loads(conversations) -> list[AgentLoad]:
    """Every active person who takes conversations, with open load against capacity."""
    people = (
        User.objects.filter(is_active=True, role__in=LOADED_ROLES)
        .select_related("agent_profile")
        .order_by("first_name", "username")
    )
    open_by_assignee = dict(
        conversations.filter(is_open(), assignee__isnull=False)
        .values("assignee_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("assignee_id", "n")
    )
    loads = []
    for person in people:
        profile = getattr(person, "agent_profile", None)
        loads.append(
            AgentLoad(
                person,
                open=open_by_assignee.get(person.pk, 0),
                capacity=profile.capacity if profile else None,
                presence=profile.get_presence_display() if profile else "No profile",
            )
        )
    return loads


def short_list(user, conversations, *order):
    rows = list(conversations.select_related("channel", "queue", "assignee").order_by(*order)[:LIST_LIMIT])
    fence_list_rows(user, rows)
    return rows


@require_GET
@console_view
def supervisor(request):
    if not may_supervise(request.user):
        raise Forbidden("only supervisors and admins see queue depth and agent load")
    now = timezone.now()
    conversations = visible_conversations(request.user).filter(not_for_us=False)
    context = {
        "now": now,
        "window_minutes": int(BREACHING_WINDOW.total_seconds() // 60),
        "depths": queue_depths(conversations, now),
        "loads": agent_loads(conversations),
        "at_risk": short_list(request.user, conversations.filter(breaching_soon(now)), "sla_due_at", "id"),
        "urgent": short_list(
            request.user, conversations.filter(is_open() & URGENT), "-last_activity_at", "-id"
        ),
    }
    return render(request, "web/supervisor.html", context)
