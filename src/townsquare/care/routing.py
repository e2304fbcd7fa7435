"""Routing: put conversations into the first matching queue, then give them an owner by the
queue's mode (least loaded, round robin, or left for a manual pull).

Whoever cannot be served now stays queued; `offer_waiting_to` hands waiting work to an agent who
comes online or frees capacity, and `townsquare route_pending` catches up on everything.
Every assignment goes through claims.take(), so routing, claims and pulls never both win.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import F, JSONField, OuterRef, Q, Subquery
from django.db.models.aggregates import Count
from django.utils import timezone

from townsquare.care.claims import (
    ASSIGNABLE_ROLES,
    ASSIGNABLE_STATUSES,
    LOAD_STATUSES,
    AtCapacity,
    ClaimError,
    NotAvailable,
    Target,
    take,
)
from townsquare.care.models import AgentProfile, Presence, Queue, RoutingMode
from townsquare.care.rules import ConversationFacts, needs_intent, rules_match
from townsquare.events.models import Event
from townsquare.inbox.models import ChannelKind, Conversation, Direction
from townsquare.labels.models import MessageLabels
from townsquare.people.models import Role
from townsquare.sla.clocks import start_clocks
from townsquare.triage.labels import UNDETERMINED

# How many of the most urgent waiting conversations one offer looks at.
WAITING_BATCH = 200
NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass
class RouteOutcome:
    queued: int = 0
    assigned: int = 0

    def as_dict(self) -> dict:
        return {"queued": self.queued, "assigned": self.assigned}


@dataclass
class Candidate:
    """An online member of a queue, with their load kept current while one batch is routed."""

    user: object
    load: int
    capacity: int
    last_assigned_at: datetime | None


def route(conversation_ids) -> RouteOutcome:
    """Queue the unqueued ones among these conversations, then assign what a queue's mode assigns."""
    ids = sorted({int(cid) for cid in conversation_ids if cid is not None})
    if not ids:
        return RouteOutcome()
    queued = put_in_queues(ids)
    assigned = sum(
        assign_waiting(Conversation.objects.filter(pk__in=ids[start : start + WAITING_BATCH]))
        for start in range(0, len(ids), WAITING_BATCH)
    )
    return RouteOutcome(queued, assigned)


def put_in_queues(ids: list[int]) -> int:
    queues = list(Queue.objects.filter(is_active=True).order_by("position", "name", "id"))
    if not queues:
        return 0
    chosen: dict[Queue, list[int]] = {}
    for facts_id, facts in conversation_facts(ids, with_intent=needs_intent([q.rules for q in queues])):
        queue = next((q for q in queues if rules_match(q.rules, facts)), None)
        if queue is not None:
            chosen.setdefault(queue, []).append(facts_id)
    return sum(queue_conversations(queue, group) for queue, group in chosen.items())


def conversation_facts(ids: list[int], *, with_intent: bool):
    """(id, ConversationFacts) of the routable, unqueued conversations among `ids`."""
    rows = Conversation.objects.filter(
        pk__in=ids, queue__isnull=True, not_for_us=False, status__in=ASSIGNABLE_STATUSES
    )
    columns = ["pk", "channel_id", "channel__kind", "language", "kind", "priority", "customer__attributes"]
    if with_intent:
        first_inbound = MessageLabels.objects.filter(
            conversation_id=OuterRef("pk"), message__direction=Direction.INBOUND
        ).order_by("message__created_at", "message_id")
        rows = rows.annotate(
            first_intents=Subquery(first_inbound.values("intents")[:1], output_field=JSONField())
        )
        columns.append("first_intents")
    for row in rows.values_list(*columns):
        pk, channel_id, channel_kind, language, kind, priority, attributes = row[:7]
        intents = row[7] if with_intent else None
        yield (
            pk,
            ConversationFacts(
                channel_id=channel_id,
                channel_kind=channel_kind,
                language=language,
                kind=kind,
                priority=priority,
                intent=top_intent(intents),
                customer=attributes if isinstance(attributes, dict) else {},
            ),
        )


def top_intent(intents) -> str:
    if isinstance(intents, str):  # some backends hand a subquery's JSON back as text
        intents = json.loads(intents)
    if intents and isinstance(intents[0], list | tuple) and intents[0]:
        return str(intents[0][0])
    return ""


def queue_conversations(queue: Queue, ids: list[int]) -> int:
    """Set the queue of those still without one; writes `conversation.queued` for each."""
    with transaction.atomic():
        # Locked (PostgreSQL) so a concurrent router waits, then sees the queue already set.
        rows = list(
            Conversation.objects.select_for_update()
            .filter(pk__in=ids, queue__isnull=True)
            .values_list("pk", "channel_id")
        )
        if not rows:
            return 0
        now = timezone.now()
        Conversation.objects.filter(pk__in=[pk for pk, _ in rows]).update(queue=queue, updated_at=now)
        Event.objects.bulk_create(
            Event(
                kind="conversation.queued",
                occurred_at=now,
                channel_id=channel_id,
                conversation_id=pk,
                data={"queue_id": queue.pk},
            )
            for pk, channel_id in rows
        )
        # A queue can have its own SLA policy: running clocks move to it.
        start_clocks([pk for pk, _ in rows], now=now)
    return len(rows)


def assign_waiting(conversations, *, via: str = "routing", exclude_user_id: int | None = None) -> int:
    """Give owners to the queued, unowned conversations among `conversations` (a queryset), most
    urgent first, by their queue's mode; manual queues are left alone. Returns how many got one."""
    rows = (
        conversations.filter(
            assignee__isnull=True,
            queue__isnull=False,
            queue__is_active=True,
            status__in=ASSIGNABLE_STATUSES,
            not_for_us=False,
        )
        .exclude(queue__routing_mode=RoutingMode.MANUAL)
        .order_by(F("sla_due_at").asc(nulls_last=True), "started_at", "id")
        .values_list(
            "pk", "channel_id", "channel__kind", "queue_id", "status", "language", "escalation_level"
        )
    )[:WAITING_BATCH]
    by_queue: dict[int, list] = {}
    for row in rows:
        by_queue.setdefault(row[3], []).append(row)
    assigned = 0
    for queue in Queue.objects.filter(pk__in=by_queue):
        pool = [c for c in online_members(queue) if c.user.pk != exclude_user_id]
        for pk, channel_id, kind, queue_id, status, language, level in by_queue[queue.pk]:
            if not pool:
                break
            target = Target(pk, channel_id, kind, queue_id, None, status)
            assigned += assign_one(queue, target, language, level, pool, via)
    return assigned


def online_members(queue: Queue) -> list[Candidate]:
    """Online, active members of the queue (its agents or its team) who have its required skills."""
    member = Q(queues=queue)
    if queue.team_id is not None:
        member |= Q(user__teams=queue.team_id)
    profiles = (
        AgentProfile.objects.filter(member, presence=Presence.ONLINE, user__is_active=True)
        .filter(user__role__in=ASSIGNABLE_ROLES)
        .select_related("user")
        .distinct()
    )
    required = set(queue.required_skills or [])
    skilled = [p for p in profiles if required <= set(p.skills or [])]
    loads = dict(
        Conversation.objects.filter(assignee_id__in=[p.user_id for p in skilled], status__in=LOAD_STATUSES)
        .values("assignee_id")
        .annotate(n=Count("id"))
        .values_list("assignee_id", "n")
    )
    return [Candidate(p.user, loads.get(p.user_id, 0), p.capacity, p.last_assigned_at) for p in skilled]


def fits(candidate: Candidate, channel_kind: str, language: str, level: str) -> bool:
    user = candidate.user
    if candidate.load >= candidate.capacity:
        return False
    if language and language != UNDETERMINED and language not in (user.languages or []):
        return False
    if user.role == Role.AMBASSADOR:
        # Ambassadors help in the community, and only until a case is escalated to staff.
        return channel_kind == ChannelKind.COMMUNITY and level in ("", "ambassador")
    if level == "supervisor":
        return user.role in (Role.SUPERVISOR, Role.ADMIN)
    return True


def choose(queue: Queue, pool: list[Candidate], kind: str, language: str, level: str) -> Candidate | None:
    fitting = [c for c in pool if fits(c, kind, language, level)]
    if not fitting:
        return None
    if queue.routing_mode == RoutingMode.ROUND_ROBIN:
        fitting.sort(key=lambda c: c.user.pk)
        after = queue.last_assignee_id or 0
        return next((c for c in fitting if c.user.pk > after), fitting[0])
    # Least loaded; among equals, whoever waited longest since their last assignment.
    return min(fitting, key=lambda c: (c.load, c.last_assigned_at or NEVER, c.user.pk))


def assign_one(
    queue: Queue, target: Target, language: str, level: str, pool: list[Candidate], via: str
) -> int:
    while True:
        candidate = choose(queue, pool, target.channel_kind, language, level)
        if candidate is None:
            return 0
        also = None
        if queue.routing_mode == RoutingMode.ROUND_ROBIN:
            user_id = candidate.user.pk

            def also(queue_id=queue.pk, user_id=user_id):
                Queue.objects.filter(pk=queue_id).update(last_assignee_id=user_id)

        try:
            take(target, candidate.user, actor=None, via=via, also=also)
        except (AtCapacity, NotAvailable):
            pool.remove(candidate)  # their real state changed since the pool was read
            continue
        except ClaimError:
            return 0  # someone else took it, or it was resolved meanwhile
        candidate.load += 1
        candidate.last_assigned_at = timezone.now()
        if also is not None:
            queue.last_assignee_id = candidate.user.pk
        return 1


def queues_served_by(user_id: int) -> list[int]:
    own = Queue.objects.filter(agents__user_id=user_id).values_list("pk", flat=True)
    team = Queue.objects.filter(team__members=user_id).values_list("pk", flat=True)
    return sorted({*own, *team})


def offer_waiting_to(user_id: int, *, via: str = "routing", except_ids: list[int] = ()) -> int:
    """Route the waiting conversations of the queues `user_id` serves (they came online or freed
    capacity); the queue's mode still decides who gets each."""
    queue_ids = queues_served_by(user_id)
    if not queue_ids:
        return 0
    waiting = Conversation.objects.filter(queue_id__in=queue_ids).exclude(pk__in=list(except_ids))
    return assign_waiting(waiting, via=via)


def after_release(conversation_ids: list[int], previous_owner_id: int, *, via: str = "routing") -> int:
    """Released conversations go to someone else; the previous owner's freed room is offered work."""
    moved = assign_waiting(
        Conversation.objects.filter(pk__in=conversation_ids), via=via, exclude_user_id=previous_owner_id
    )
    # Not what they just let go of: a released conversation must not bounce straight back.
    return moved + offer_waiting_to(previous_owner_id, except_ids=conversation_ids)


def capacity_freed(user_id: int) -> int:
    """Call after one of the user's conversations left new/open (pending, resolved, closed)."""
    return offer_waiting_to(user_id)
