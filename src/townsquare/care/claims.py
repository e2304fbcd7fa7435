"""Assignment as a claim that two workers or agents can never both win.

Every way a conversation gets an owner ends in `take()`: in one transaction it locks the
assignee's AgentProfile row, re-counts their open conversations against their capacity, and
sets the assignee with a conditional UPDATE (`… WHERE id = %s AND assignee_id IS NULL`). A second
claimer's UPDATE matches no row, so it loses cleanly. On SQLite the IMMEDIATE transaction takes
the write lock at BEGIN, which serializes claimers the same way.

Usable outside a request (workers, the benchmark): `claim(user, conversation)` and
`pull_next(user, queue)` take model instances or ids and open their own transactions.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from townsquare.api.errors import NotFound
from townsquare.care.models import AgentProfile, Presence, Queue
from townsquare.events.log import record
from townsquare.inbox.models import ChannelKind, Conversation, ConversationStatus
from townsquare.inbox.visibility import Forbidden, can_use_console, visible_conversations
from townsquare.people.models import Role, User

# Statuses that count against an agent's capacity.
LOAD_STATUSES = (ConversationStatus.NEW, ConversationStatus.OPEN)
# Statuses in which a conversation may get (or keep waiting for) an owner.
ASSIGNABLE_STATUSES = (ConversationStatus.NEW, ConversationStatus.OPEN, ConversationStatus.PENDING)
ASSIGNABLE_ROLES = (Role.ADMIN, Role.SUPERVISOR, Role.AGENT, Role.AMBASSADOR)
MANAGER_ROLES = (Role.ADMIN, Role.SUPERVISOR)
# The escalation ladder's level for a new owner, when the conversation has none yet.
LEVEL_OF_ROLE = {
    Role.AMBASSADOR: "ambassador",
    Role.AGENT: "agent",
    Role.SUPERVISOR: "supervisor",
    Role.ADMIN: "supervisor",
}


class ClaimError(Exception):
    """The assignment cannot happen as asked; the message says why (API: 409)."""


class AlreadyAssigned(ClaimError):
    pass


class AtCapacity(ClaimError):
    pass


class NotAvailable(ClaimError):
    """The would-be owner is away or offline."""


class NotAssignable(ClaimError):
    """The conversation is resolved/closed, or the person cannot own conversations."""


@dataclass(frozen=True, slots=True)
class Target:
    """The few columns of a conversation a claim needs, read before the transaction."""

    id: int
    channel_id: int
    channel_kind: str
    queue_id: int | None
    assignee_id: int | None
    status: str
    # The owner's username when there is one (read with the row, so a lost claim names them at once).
    assignee_name: str | None = None


def conversation_id_of(conversation) -> int:
    return conversation if isinstance(conversation, int) else conversation.pk


TARGET_COLUMNS = (
    "pk",
    "channel_id",
    "channel__kind",
    "queue_id",
    "assignee_id",
    "status",
    "assignee__username",
)
# Stands for the conversation id while the query is compiled; swapped for the real id per call.
_ANY_ID = -7_777_777_777
# (database alias, user id, role) -> (SQL, params with _ANY_ID): the visibility query compiled once per
# user. Compiling it cost more than running it (8 claimers, thousands of claims); the SQL holds the
# user's queues and teams as subqueries, so it stays right when those change. A new role is a new key.
_target_queries: dict[tuple, tuple[str, tuple]] = {}
TARGET_QUERIES_KEPT = 1024


def _target_query(user) -> tuple[str, tuple]:
    key = (connection.alias, user.pk, user.role)
    compiled = _target_queries.get(key)
    if compiled is None:
        rows = visible_conversations(user).filter(pk=_ANY_ID).values_list(*TARGET_COLUMNS)[:1]
        compiled = rows.query.sql_with_params()
        if len(_target_queries) >= TARGET_QUERIES_KEPT:
            _target_queries.clear()
        _target_queries[key] = compiled
    return compiled


def visible_target(user, conversation) -> Target:
    """The conversation as `user` may see it; unknown or invisible ids are one 404."""
    conversation_id = conversation_id_of(conversation)
    if not can_use_console(user):  # what visible_conversations raises, checked on every call
        raise Forbidden("your role has no access to the care console")
    sql, params = _target_query(user)
    with connection.cursor() as cursor:
        cursor.execute(sql, [conversation_id if value == _ANY_ID else value for value in params])
        row = cursor.fetchone()
    if row is None:
        raise NotFound(f"conversation {conversation_id} not found")
    return Target(*row)


def profile_of(user, *, lock: bool = False) -> AgentProfile:
    """The user's AgentProfile (made on first use: offline, default capacity), locked if asked."""
    profiles = AgentProfile.objects.select_for_update() if lock else AgentProfile.objects
    profile = profiles.filter(user_id=user.pk).first()
    if profile is None:
        profile, _ = AgentProfile.objects.get_or_create(user_id=user.pk)
        if lock:
            profile = AgentProfile.objects.select_for_update().get(pk=profile.pk)
    return profile


@dataclass(frozen=True, slots=True)
class Room:
    """The columns of an AgentProfile a claim checks (presence, capacity) and stamps (pk)."""

    pk: int
    user_id: int
    presence: str
    capacity: int


ROOM = f"SELECT id, user_id, presence, capacity FROM {AgentProfile._meta.db_table} WHERE user_id = %s"


def room_of(user, *, lock: bool = False) -> Room | AgentProfile:
    """profile_of's answer for a claim, read with plain SQL (the ORM query cost more than the claim's
    UPDATE); locked FOR UPDATE where the database has row locks. A first claim makes the profile."""
    sql = f"{ROOM} FOR UPDATE" if lock and connection.features.has_select_for_update else ROOM
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        row = cursor.fetchone()
    return Room(*row) if row is not None else profile_of(user, lock=lock)


CONVERSATIONS = Conversation._meta.db_table
# The hot path of every claim is plain SQL: building ORM queries cost more than running them.
COUNT_LOAD = f"SELECT COUNT(*) FROM {CONVERSATIONS} WHERE assignee_id = %s AND status IN (%s, %s)"
CLAIM = (
    f"UPDATE {CONVERSATIONS} SET assignee_id = %s, assigned_at = %s, updated_at = %s, "
    "escalation_level = CASE WHEN escalation_level = '' THEN %s ELSE escalation_level END "
    "WHERE id = %s AND {owner} AND status IN (%s, %s, %s)"
)
STAMP_PROFILE = f"UPDATE {AgentProfile._meta.db_table} SET last_assigned_at = %s WHERE id = %s"


def open_load(user_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(COUNT_LOAD, [user_id, *LOAD_STATUSES])
        return cursor.fetchone()[0]


def claim_row(conversation_id: int, assignee, now, replacing: int | None) -> bool:
    """The conditional UPDATE: true only for the one claimer whose WHERE still matched."""
    owner = "assignee_id IS NULL" if replacing is None else "assignee_id = %s"
    stamp = connection.ops.adapt_datetimefield_value(now)
    params = [assignee.pk, stamp, stamp, LEVEL_OF_ROLE[assignee.role], conversation_id]
    params += [] if replacing is None else [replacing]
    with connection.cursor() as cursor:
        cursor.execute(CLAIM.replace("{owner}", owner), [*params, *ASSIGNABLE_STATUSES])
        return cursor.rowcount == 1


def check_can_own(assignee, target: Target) -> None:
    if not assignee.is_active or assignee.role not in ASSIGNABLE_ROLES:
        raise NotAssignable(f"{assignee.username} cannot own conversations (role {assignee.role})")
    if assignee.role == Role.AMBASSADOR and target.channel_kind != ChannelKind.COMMUNITY:
        raise NotAssignable(f"{assignee.username} is an ambassador: only community conversations")
    if target.status not in ASSIGNABLE_STATUSES:
        raise NotAssignable(f"conversation {target.id} is {target.status}: reopen it first")


def check_room(profile: AgentProfile | Room, username: str, *, force: bool) -> None:
    """Presence and capacity, read with the profile row locked."""
    if force:
        return
    if profile.presence != Presence.ONLINE:
        raise NotAvailable(f"{username} is {profile.presence}: only online people take conversations")
    load = open_load(profile.user_id)
    if load >= profile.capacity:
        raise AtCapacity(
            f"{username} has {load} open conversation{'s' if load != 1 else ''} "
            f"and a capacity of {profile.capacity}"
        )


def take(
    target: Target,
    assignee,
    *,
    actor,
    via: str,
    force: bool = False,
    replacing: int | None = None,
    also: Callable[[], None] | None = None,
    locked_profile: AgentProfile | None = None,
) -> None:
    """Give `target` to `assignee` if it is still unassigned (or still `replacing`'s); one transaction.

    `also` runs inside the same transaction after a successful claim (round robin's pointer).
    `locked_profile`: the caller's open transaction already locked and checked it (pull_next).
    """
    check_can_own(assignee, target)
    if not force and locked_profile is None:
        # Read first, without the write lock: a full or absent agent fails without queueing
        # behind other claimers (on SQLite the lock is the whole database's). Re-checked below.
        check_room(room_of(assignee), assignee.username, force=False)
    with transaction.atomic():
        profile = locked_profile
        if profile is None:
            profile = room_of(assignee, lock=True)
            check_room(profile, assignee.username, force=force)
        now = timezone.now()
        if not claim_row(target.id, assignee, now, replacing):
            raise lost_claim(target.id)
        with connection.cursor() as cursor:
            cursor.execute(STAMP_PROFILE, [connection.ops.adapt_datetimefield_value(now), profile.pk])
        if replacing is not None:
            record_unassigned(target, replacing, actor=actor, reason=f"reassigned to {assignee.username}")
        record(
            "conversation.assigned",
            actor=actor,
            channel_id=target.channel_id,
            conversation_id=target.id,
            data={"assignee_id": assignee.pk, "queue_id": target.queue_id, "via": via},
        )
        if also is not None:
            also()


def lost_claim(conversation_id: int) -> ClaimError:
    row = Conversation.objects.filter(pk=conversation_id).values_list("assignee__username", "status").first()
    if row is None:
        return NotAssignable(f"conversation {conversation_id} no longer exists")
    owner, status = row
    if status not in ASSIGNABLE_STATUSES:
        return NotAssignable(f"conversation {conversation_id} is {status}: reopen it first")
    return AlreadyAssigned(f"conversation {conversation_id} is already assigned to {owner or 'someone else'}")


def record_unassigned(target: Target, assignee_id: int, *, actor, reason: str) -> None:
    record(
        "conversation.unassigned",
        actor=actor,
        channel_id=target.channel_id,
        conversation_id=target.id,
        data={"reason": reason, "assignee_id": assignee_id},
    )


def claim(user, conversation) -> None:
    """`user` takes an unassigned conversation they can see, for themselves."""
    target = visible_target(user, conversation)
    if target.assignee_id is not None:
        owner = target.assignee_name or "someone else"
        raise AlreadyAssigned(f"conversation {target.id} is already assigned to {owner}")
    take(target, user, actor=user, via="claim")


def assign(actor, conversation, assignee, *, force: bool = False) -> None:
    """A supervisor or admin gives a conversation to `assignee` (taking it from its owner, if any);
    anyone may assign an unassigned conversation to themselves. `force` lets a supervisor go over
    capacity or assign to someone away/offline."""
    if assignee.pk == actor.pk and actor.role not in MANAGER_ROLES:
        return claim(actor, conversation)
    if actor.role not in MANAGER_ROLES:
        raise Forbidden("only a supervisor or an admin assigns conversations to others")
    target = visible_target(actor, conversation)
    if target.assignee_id == assignee.pk:
        raise AlreadyAssigned(f"conversation {target.id} is already assigned to {assignee.username}")
    take(target, assignee, actor=actor, via="manual", force=force, replacing=target.assignee_id)


def unassign(actor, conversation, *, reason: str = "") -> int:
    """The owner lets go of a conversation, or a supervisor/admin takes it from them; it goes back
    to its queue and is routed again. Returns the previous owner's id."""
    target = visible_target(actor, conversation)
    if target.assignee_id is None:
        raise ClaimError(f"conversation {target.id} is not assigned to anyone")
    if target.assignee_id != actor.pk and actor.role not in MANAGER_ROLES:
        raise Forbidden("only the owner, a supervisor or an admin can unassign a conversation")
    release(
        target, actor=actor, reason=reason or ("released" if target.assignee_id == actor.pk else "unassigned")
    )
    from townsquare.care.routing import after_release

    transaction.on_commit(lambda: after_release([target.id], target.assignee_id))
    return target.assignee_id


def release(target: Target, *, actor, reason: str) -> bool:
    """Clear the owner if it is still `target.assignee_id`; writes `conversation.unassigned`."""
    with transaction.atomic():
        now = timezone.now()
        done = Conversation.objects.filter(pk=target.id, assignee_id=target.assignee_id).update(
            assignee=None, assigned_at=None, updated_at=now
        )
        if done:
            record_unassigned(target, target.assignee_id, actor=actor, reason=reason)
    return bool(done)


def may_pull_from(user, queue: Queue) -> bool:
    if user.role in MANAGER_ROLES:
        return True
    if queue.agents.filter(user_id=user.pk).exists():
        return True
    return queue.team_id is not None and queue.team.members.filter(pk=user.pk).exists()


def pull_next(user, queue) -> Conversation | None:
    """`user` takes the most urgent waiting conversation of `queue` (a manual queue, usually) that
    they can work on; None when nothing is waiting for them."""
    queue = queue if isinstance(queue, Queue) else Queue.objects.filter(pk=queue).first()
    if queue is None or not may_pull_from(user, queue):
        raise NotFound(f"queue {getattr(queue, 'pk', queue)} not found")
    if user.role not in ASSIGNABLE_ROLES:
        raise Forbidden("your role cannot own conversations")
    check_room(profile_of(user), user.username, force=False)  # fail before taking the write lock
    for _attempt in range(5):
        with transaction.atomic():
            profile = profile_of(user, lock=True)
            check_room(profile, user.username, force=False)
            target = next_waiting(user, queue)
            if target is None:
                return None
            try:
                take(target, user, actor=user, via="claim", locked_profile=profile)
            except AlreadyAssigned:
                continue  # someone was quicker on SQLite's read; try the next one
        return Conversation.objects.get(pk=target.id)
    return None


def next_waiting(user, queue: Queue) -> Target | None:
    """The queue's most urgent unowned conversation for `user`, locked (skipping rows another
    transaction holds) where the database can."""
    waiting = visible_conversations(user).filter(
        queue_id=queue.pk, assignee__isnull=True, status__in=ASSIGNABLE_STATUSES, not_for_us=False
    )
    # Only conversations in a language they work in (or not known yet), like routing.
    waiting = waiting.filter(Q(language__in=["", "und"]) | Q(language__in=user.languages or []))
    waiting = waiting.order_by(F("sla_due_at").asc(nulls_last=True), "started_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        waiting = waiting.select_for_update(skip_locked=True, of=("self",))
    row = waiting.values_list(
        "pk", "channel_id", "channel__kind", "queue_id", "assignee_id", "status"
    ).first()
    return None if row is None else Target(*row)


def user_by_id(user_id: int) -> User:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user
