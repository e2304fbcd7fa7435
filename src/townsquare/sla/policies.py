"""SLA policies: which one applies to a conversation, and the services that create, change and delete them."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from townsquare.care.models import Queue
from townsquare.events.log import record
from townsquare.sla.access import SlaConflict, SlaError, require_manager
from townsquare.sla.models import METRICS, BusinessCalendar, SlaPolicy
from townsquare.triage.labels import PRIORITIES

MAX_NAME = SlaPolicy._meta.get_field("name").max_length
# A year of minutes: anything longer is a typo, and it keeps due dates far from datetime's limits.
MAX_MINUTES = 366 * 24 * 60
FIELDS = (
    "name",
    "queue",
    "priority",
    "calendar",
    "warn_before_minutes",
    *(f"{metric}_minutes" for metric in METRICS),
)


def specificity(policy: SlaPolicy, queue_id: int | None, priority: str) -> int | None:
    """3 for queue+priority, 2 for queue, 1 for priority, 0 for the default; None: does not apply."""
    if policy.queue_id is not None and policy.queue_id != queue_id:
        return None
    if policy.priority and policy.priority != priority:
        return None
    return (2 if policy.queue_id is not None else 0) + (1 if policy.priority else 0)


def best_policy(policies, queue_id: int | None, priority: str) -> SlaPolicy | None:
    """The most specific policy that applies; the oldest wins a tie."""
    ranked = [
        (rank, policy.pk, policy)
        for policy in policies
        if (rank := specificity(policy, queue_id, priority)) is not None
    ]
    if not ranked:
        return None
    return min(ranked, key=lambda item: (-item[0], item[1]))[2]


def all_policies() -> list[SlaPolicy]:
    """Every policy (a handful per deployment), for choosing among them in a batch."""
    return list(SlaPolicy.objects.all())


def _check_scope(policy: SlaPolicy) -> None:
    clash = SlaPolicy.objects.filter(queue_id=policy.queue_id, priority=policy.priority).exclude(pk=policy.pk)
    if clash.exists():
        scope = f"queue {policy.queue_id}" if policy.queue_id else "any queue"
        scope += f", priority {policy.priority}" if policy.priority else ", any priority"
        raise SlaConflict(f"policy {clash.first().name!r} already covers {scope}")


def _validate(policy: SlaPolicy) -> None:
    policy.name = policy.name.strip() if isinstance(policy.name, str) else ""
    if not policy.name:
        raise SlaError("a policy needs a name")
    if len(policy.name) > MAX_NAME:
        raise SlaError(f"a policy name is at most {MAX_NAME} characters")
    if policy.priority not in ("", *PRIORITIES):
        raise SlaError(f"priority is one of {', '.join(PRIORITIES)}, or empty for any")
    targets = [policy.minutes_for(metric) for metric in METRICS]
    if all(minutes is None for minutes in targets):
        raise SlaError("a policy needs at least one target: first response, next response or resolution")
    for metric, minutes in zip(METRICS, targets, strict=True):
        if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
            raise SlaError(f"{metric}_minutes is between 1 and {MAX_MINUTES}")
    if not 0 <= policy.warn_before_minutes <= MAX_MINUTES:
        raise SlaError(f"warn_before_minutes is between 0 and {MAX_MINUTES}")
    _check_scope(policy)


def _resolve_references(changes: dict) -> dict:
    """queue_id / calendar_id in, model instances out; an unknown id is a clear SlaError."""
    resolved = dict(changes)
    for key, model, label in (("queue_id", Queue, "queue"), ("calendar_id", BusinessCalendar, "calendar")):
        if key in resolved:
            ref = resolved.pop(key)
            instance = None
            if ref is not None:
                instance = model.objects.filter(pk=ref).first()
                if instance is None:
                    raise SlaError(f"{label} {ref} does not exist")
            resolved[label] = instance
    unknown = set(resolved) - set(FIELDS)
    if unknown:
        raise SlaError(f"unknown policy fields: {', '.join(sorted(unknown))}")
    return resolved


def create_policy(actor, **fields) -> SlaPolicy:
    """A new policy from name, queue_id, priority, calendar_id, warn_before_minutes and the
    *_minutes targets. Applies to clocks that start from now on."""
    require_manager(actor)
    policy = SlaPolicy(**_resolve_references(fields))
    return _save(actor, policy, "sla.policy_created", sorted(fields))


def update_policy(actor, policy: SlaPolicy, **changes) -> SlaPolicy:
    """Change some fields; clocks already running keep their due times."""
    require_manager(actor)
    for key, value in _resolve_references(changes).items():
        setattr(policy, key, value)
    policy.updated_at = timezone.now()
    return _save(actor, policy, "sla.policy_updated", sorted(changes))


def _save(actor, policy: SlaPolicy, kind: str, fields: list[str]) -> SlaPolicy:
    try:
        with transaction.atomic():
            _validate(policy)
            policy.save()
            record(kind, actor=actor, data={"policy_id": policy.pk, "name": policy.name, "fields": fields})
    except IntegrityError:
        raise SlaConflict(f"a policy named {policy.name!r} already exists") from None
    return policy


def delete_policy(actor, policy: SlaPolicy) -> None:
    """Remove a policy; conversations it timed keep their clocks as they are."""
    require_manager(actor)
    with transaction.atomic():
        data = {"policy_id": policy.pk, "name": policy.name}
        policy.delete()
        record("sla.policy_deleted", actor=actor, data=data)
