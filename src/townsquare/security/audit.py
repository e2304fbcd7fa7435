"""The audit log: who did what and when, read from the event log (which every service writes).

Open to admins and supervisors. The console page and GET /api/v1/audit both filter through
`audit_events`, newest first, paged by event id (ids only grow, so pages never shift).
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from townsquare.events.models import Event
from townsquare.inbox.visibility import Forbidden
from townsquare.people.models import Role

AUDIT_ROLES = {Role.ADMIN, Role.SUPERVISOR}
MAX_KIND_LENGTH = Event._meta.get_field("kind").max_length
# Kinds offered as suggestions in the console filter; any kind (or "prefix.") is accepted.
KNOWN_KINDS = [
    "auth.",
    "auth.login",
    "auth.login_failed",
    "auth.logout",
    "auth.totp_enabled",
    "auth.totp_disabled",
    "channel.",
    "token.",
    "import.",
    "conversation.",
    "conversation.assigned",
    "conversation.status_changed",
    "conversation.escalated",
    "message.sent",
    "note.added",
    "guard.",
    "guard.overridden",
    "consent.",
    "triage.corrected",
    "sla.",
    "canned.",
    "webhook.",
]


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    kind: str = ""
    conversation_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def may_read_audit(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in AUDIT_ROLES)


def require_audit_role(user) -> None:
    if not may_read_audit(user):
        raise Forbidden("only admins and supervisors can read the audit log")


def audit_events(user, filters: AuditFilter, *, before_id: int | None = None) -> QuerySet[Event]:
    """Events matching the filters, newest first; `before_id` continues after a page."""
    require_audit_role(user)
    events = Event.objects.all()
    if filters.actor_id is not None:
        events = events.filter(actor_id=filters.actor_id)
    if filters.kind:
        # "auth." means every auth event; a full kind matches itself only.
        events = (
            events.filter(kind__startswith=filters.kind)
            if filters.kind.endswith(".")
            else events.filter(kind=filters.kind)
        )
    if filters.conversation_id is not None:
        events = events.filter(conversation_id=filters.conversation_id)
    if filters.since is not None:
        events = events.filter(occurred_at__gte=filters.since)
    if filters.until is not None:
        events = events.filter(occurred_at__lt=filters.until)
    if before_id is not None:
        events = events.filter(id__lt=before_id)
    return events.order_by("-id")


def actor_names(events) -> dict[int, str]:
    """Usernames of the actors on one page, in one query."""
    ids = {event.actor_id for event in events if event.actor_id is not None}
    users = get_user_model()._default_manager.filter(pk__in=ids).values_list("pk", "username")
    return dict(users)


def page(events: QuerySet[Event], limit: int) -> tuple[list[Event], int | None]:
    """One page and the id to continue before (None on the last page)."""
    rows = list(events[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    return rows[:limit], rows[limit - 1].pk
