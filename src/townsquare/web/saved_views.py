"""Saved views of the inbox: Mine, Unassigned, Breaching soon, one per queue, and All.

Each view is a condition on conversations plus the order its list is read in. The tabs show how
much open work (new, open or pending) each view holds, all counted by one aggregate query with a
filtered COUNT per view, so adding queues adds columns to that query, not queries.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, Q, QuerySet
from django.utils import timezone

from townsquare.care.models import AgentProfile, Queue, Team
from townsquare.inbox.models import ConversationStatus
from townsquare.people.models import Role
from townsquare.web.paging import NEWEST_ACTIVITY, TIME_LEFT, Ordering

OPEN_STATUSES = (ConversationStatus.NEW, ConversationStatus.OPEN, ConversationStatus.PENDING)
# "Breaching soon": the nearest SLA deadline is within this window, or already past.
BREACHING_WINDOW = timedelta(hours=1)
DEFAULT_VIEW = "all"
QUEUE_PREFIX = "queue-"


@dataclass(frozen=True)
class SavedView:
    key: str  # the `view=` parameter
    label: str
    condition: Q
    ordering: Ordering = NEWEST_ACTIVITY
    description: str = ""


def is_open() -> Q:
    return Q(status__in=OPEN_STATUSES)


def breaching_soon(now=None) -> Q:
    """Open conversations whose nearest SLA deadline is within the next hour or already past."""
    now = now or timezone.now()
    return is_open() & Q(sla_due_at__lte=now + BREACHING_WINDOW)


def visible_queues(user) -> QuerySet[Queue]:
    """Active queues that get a saved view, by the same rule as inbox.visibility: every queue for
    admins; for supervisors queues without a team and their teams' queues (all when they are in no
    team); for agents their own queues and their teams'; none for ambassadors (they see only what is
    assigned to them)."""
    queues = Queue.objects.filter(is_active=True)
    if user.role == Role.ADMIN:
        return queues
    teams = Team.members.through.objects.filter(user_id=user.pk).values("team_id")
    if user.role == Role.SUPERVISOR:
        return queues.filter(Q(team__isnull=True) | Q(team_id__in=teams) | ~Exists(teams))
    if user.role == Role.AGENT:
        own = AgentProfile.queues.through.objects.filter(agentprofile__user_id=user.pk).values("queue_id")
        return queues.filter(Q(pk__in=own) | Q(team_id__in=teams))
    return queues.none()


def saved_views(user, queues, now=None) -> list[SavedView]:
    """The views this user has, in tab order."""
    views = [
        SavedView("mine", "Mine", Q(assignee=user), description="assigned to you"),
        SavedView(
            "unassigned",
            "Unassigned",
            is_open() & Q(assignee__isnull=True, waiting_since__isnull=False),
            description="no owner, the customer is waiting for a reply",
        ),
        SavedView(
            "breaching",
            "Breaching soon",
            breaching_soon(now),
            ordering=TIME_LEFT,
            description="SLA deadline within the hour or past, least time left first",
        ),
    ]
    views += [
        SavedView(f"{QUEUE_PREFIX}{queue.pk}", queue.name, Q(queue=queue), description=f"queue {queue.name}")
        for queue in queues
    ]
    views.append(SavedView(DEFAULT_VIEW, "All", Q(), description="everything you can see"))
    return views


def open_counts(conversations: QuerySet, views: list[SavedView]) -> dict[str, int]:
    """Open conversations per view, in one aggregate query over the open rows only."""
    aggregates = {
        f"v{i}": Count("pk", filter=view.condition) if view.condition else Count("pk")
        for i, view in enumerate(views)
    }
    totals = conversations.filter(is_open()).aggregate(**aggregates)
    return {view.key: totals[f"v{i}"] for i, view in enumerate(views)}
