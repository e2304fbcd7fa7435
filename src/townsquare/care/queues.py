"""Queue services: admins and supervisors create, change and delete queues; every change is logged."""

from django.db import IntegrityError, transaction
from django.db.models import Q

from townsquare.care.claims import MANAGER_ROLES
from townsquare.care.models import Queue, RoutingMode, Team
from townsquare.care.rules import validate_rules
from townsquare.care.skills import validate_skills
from townsquare.events.log import record
from townsquare.inbox.visibility import Forbidden, can_use_console
from townsquare.people.models import Role

MAX_NAME = Queue._meta.get_field("name").max_length
EDITABLE = ("name", "team_id", "routing_mode", "rules", "required_skills", "position", "is_active")


class QueueError(ValueError):
    """The queue cannot be saved as asked; the message says why (API: 400/409)."""


class QueueNameTaken(QueueError):
    pass


def require_manager(user) -> None:
    if not can_use_console(user):
        raise Forbidden("your role has no access to the care console")
    if user.role not in MANAGER_ROLES:
        raise Forbidden("only a supervisor or an admin can change queues and agents")


def clean(fields: dict) -> dict:
    """Validated values for the given fields (only those present); raises QueueError."""
    cleaned = dict(fields)
    if "name" in cleaned:
        name = (cleaned["name"] or "").strip()
        if not name or len(name) > MAX_NAME:
            raise QueueError(f"a queue needs a name of 1 to {MAX_NAME} characters")
        cleaned["name"] = name
    if "routing_mode" in cleaned and cleaned["routing_mode"] not in RoutingMode.values:
        raise QueueError(f"routing_mode must be one of {', '.join(RoutingMode.values)}")
    if "team_id" in cleaned and cleaned["team_id"] is not None:
        if not Team.objects.filter(pk=cleaned["team_id"]).exists():
            raise QueueError(f"team {cleaned['team_id']} does not exist")
    try:
        if "rules" in cleaned:
            cleaned["rules"] = validate_rules(cleaned["rules"])
        if "required_skills" in cleaned:
            cleaned["required_skills"] = validate_skills(cleaned["required_skills"])
    except ValueError as exc:
        raise QueueError(str(exc)) from None
    return cleaned


def create_queue(actor, **fields) -> Queue:
    require_manager(actor)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise QueueError(f"unknown field {sorted(unknown)[0]!r}")
    fields = clean({"routing_mode": RoutingMode.LEAST_LOADED, "rules": {}, **fields})
    try:
        with transaction.atomic():
            queue = Queue.objects.create(**fields)
            record("queue.created", actor=actor, data={"queue_id": queue.pk, "name": queue.name})
    except IntegrityError:
        raise QueueNameTaken(f"a queue named {fields['name']!r} already exists") from None
    return queue


def update_queue(actor, queue: Queue, **fields) -> Queue:
    require_manager(actor)
    fields = clean(fields)
    for name, value in fields.items():
        setattr(queue, name, value)
    try:
        with transaction.atomic():
            queue.save(update_fields=[f.removesuffix("_id") if f == "team_id" else f for f in fields] or None)
            record("queue.updated", actor=actor, data={"queue_id": queue.pk, "fields": sorted(fields)})
    except IntegrityError:
        raise QueueNameTaken(f"a queue named {fields.get('name')!r} already exists") from None
    return queue


def delete_queue(actor, queue: Queue) -> None:
    """Conversations in it keep their owner and lose the queue; route_pending queues them again."""
    require_manager(actor)
    with transaction.atomic():
        record("queue.deleted", actor=actor, data={"queue_id": queue.pk, "name": queue.name})
        queue.delete()


def visible_queues(user):
    """Queues this user may list and pull from: all for admins (and supervisors in no team);
    supervisors in teams: team-less queues and their teams'; others: the queues they serve."""
    if not can_use_console(user):
        raise Forbidden("your role has no access to the care console")
    queues = Queue.objects.select_related("team")
    if user.role == Role.ADMIN:
        return queues
    teams = list(user.teams.values_list("pk", flat=True))
    if user.role == Role.SUPERVISOR:
        if not teams:
            return queues
        return queues.filter(
            Q(team__isnull=True) | Q(team_id__in=teams) | Q(agents__user_id=user.pk)
        ).distinct()
    return queues.filter(Q(team_id__in=teams) | Q(agents__user_id=user.pk)).distinct()
