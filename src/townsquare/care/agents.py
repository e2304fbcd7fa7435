"""Agent services: who can own conversations, with their load; supervisors and admins set an
agent's capacity, skills and queues."""

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from townsquare.care.claims import ASSIGNABLE_ROLES, LOAD_STATUSES, profile_of
from townsquare.care.models import AgentProfile, Queue
from townsquare.care.queues import require_manager
from townsquare.care.skills import validate_skills
from townsquare.events.log import record
from townsquare.inbox.models import Conversation
from townsquare.inbox.visibility import Forbidden, can_use_console
from townsquare.people.models import STAFF_CONSOLE_ROLES, User

MAX_CAPACITY = 1000


class AgentError(ValueError):
    """The change cannot be made as asked; the message says why (API: 400)."""


def agents_with_load():
    """Active people who can own conversations, each with `open_load` and their profile."""
    open_counts = (
        Conversation.objects.filter(assignee=OuterRef("pk"), status__in=LOAD_STATUSES)
        .order_by()
        .values("assignee")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        User.objects.filter(is_active=True, role__in=ASSIGNABLE_ROLES)
        .select_related("agent_profile")
        .prefetch_related("agent_profile__queues")
        # A count per agent that seeks in (assignee, status), not a join and GROUP BY over every
        # conversation ever assigned.
        .annotate(open_load=Coalesce(Subquery(open_counts, output_field=IntegerField()), 0))
        .order_by("username")
    )


def list_agents(user):
    """Staff see who can take work and how loaded they are; ambassadors do not."""
    if not can_use_console(user) or user.role not in STAFF_CONSOLE_ROLES:
        raise Forbidden("only staff see the agents and their load")
    return agents_with_load()


def update_agent(actor, agent: User, *, capacity=None, skills=None, queue_ids=None) -> AgentProfile:
    """Change what is given (None leaves a field as it is); writes `agent.updated`."""
    require_manager(actor)
    if agent.role not in ASSIGNABLE_ROLES:
        raise AgentError(f"{agent.username} cannot own conversations (role {agent.role})")
    if capacity is not None and not 0 <= capacity <= MAX_CAPACITY:
        raise AgentError(f"capacity must be between 0 and {MAX_CAPACITY}")
    try:
        skills = validate_skills(skills) if skills is not None else None
    except ValueError as exc:
        raise AgentError(str(exc)) from None
    queues = None
    if queue_ids is not None:
        queues = list(Queue.objects.filter(pk__in=set(queue_ids)))
        missing = sorted(set(queue_ids) - {q.pk for q in queues})
        if missing:
            raise AgentError(f"queue {missing[0]} does not exist")
    with transaction.atomic():
        profile = profile_of(agent, lock=True)
        changed = {}
        if capacity is not None:
            profile.capacity = changed["capacity"] = capacity
        if skills is not None:
            profile.skills = changed["skills"] = skills
        profile.save()
        if queues is not None:
            profile.queues.set(queues)
            changed["queue_ids"] = sorted(q.pk for q in queues)
        record("agent.updated", actor=actor, data={"user_id": agent.pk, **changed})
    if capacity is not None or queues is not None:
        from townsquare.care.routing import offer_waiting_to

        transaction.on_commit(lambda: offer_waiting_to(agent.pk))
    return profile
