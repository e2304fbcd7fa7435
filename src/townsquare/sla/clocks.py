"""SLA clock services: start, stop, pause and resume the clocks of conversations; keep `sla_due_at`.

Every entry point reconciles the clocks with what is known now — the conversation's status, queue
and priority, and its messages in thread order — so calling one twice, late, or for a conversation
that needs nothing changes nothing wrong. One call handles a whole batch in a fixed number of
queries (ingest calls it once per fast-triage batch).

- first response: starts when the first customer message that invites a reply reaches Townsquare;
  met by the brand's first reply after it.
- next response: starts when the customer writes again after a brand reply; met by the next reply.
- resolution: starts with the first response; stands still while the conversation is pending
  (waiting on the customer); met when it is resolved or closed; a reopen starts a new cycle.
"""

from datetime import datetime, timedelta
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from townsquare.events.models import Event
from townsquare.inbox.ingest.bulk_sql import datetime_adapter, execute_many
from townsquare.inbox.models import Conversation, ConversationStatus
from townsquare.sla.calendar import Calendar, add_business_seconds, business_seconds_between
from townsquare.sla.calendars import calendars_by_id
from townsquare.sla.models import METRICS, ConversationSla, SlaPolicy, is_running, nearest_due
from townsquare.sla.policies import all_policies, best_policy
from townsquare.sla.timeline import Timeline, timelines

FINISHED = (ConversationStatus.RESOLVED, ConversationStatus.CLOSED)
CONVERSATION_FIELDS = (
    "id",
    "status",
    "resolved_at",
    "queue_id",
    "priority",
    "invites_reply",
    "sla_due_at",
    "channel_id",
)
# Clocks whose starts are logged (`sla.clock_started`): the denominator of SLA attainment in insights.
LOGGED_STARTS = ("first_response", "resolution")
ROW_FIELDS = [f.name for f in ConversationSla._meta.concrete_fields if f.name != "conversation"]
UPDATE_DUE = f"UPDATE {Conversation._meta.db_table} SET sla_due_at = %s WHERE id = %s"
ALL_FIELDS = ConversationSla._meta.concrete_fields
ROW_COLUMNS = [field.attname for field in ALL_FIELDS]
# A new row's values before its clocks start: the model's defaults.
NEW_ROW = {field.attname: None if field.null else field.get_default() for field in ALL_FIELDS}
INSERT = (
    f"INSERT INTO {ConversationSla._meta.db_table} ({', '.join(f.column for f in ALL_FIELDS)})"
    f" VALUES ({', '.join(['%s'] * len(ALL_FIELDS))}) ON CONFLICT (conversation_id) DO NOTHING"
)


def start_clocks(conversation_ids, *, now: datetime | None = None) -> dict[int, datetime | None]:
    """Start the clocks of conversations that invite a reply (after triage, or when queued; a new
    queue or priority moves running clocks to the policy that now applies)."""
    return sync(conversation_ids, now=now)


def on_inbound(conversation_ids, *, now: datetime | None = None) -> dict[int, datetime | None]:
    """The customer wrote in these conversations: a new next-response cycle where the brand had answered."""
    return sync(conversation_ids, now=now)


def on_outbound_reply(conversation: Conversation, *, now: datetime | None = None) -> None:
    """The brand replied now: the first- or next-response clock stops."""
    due = sync([conversation.pk], now=now, replied=True)
    if conversation.pk in due:
        conversation.sla_due_at = due[conversation.pk]


def on_status(conversation: Conversation, *, now: datetime | None = None) -> None:
    """The status changed: pending pauses resolution, open resumes it, resolved/closed stops every clock."""
    due = sync([conversation.pk], now=now)
    if conversation.pk in due:
        conversation.sla_due_at = due[conversation.pk]


def sync(
    conversation_ids, *, now: datetime | None = None, replied: bool = False
) -> dict[int, datetime | None]:
    """Reconcile the clocks of these conversations; returns {id: sla_due_at} for those with clocks."""
    ids = sorted({cid for cid in conversation_ids if cid is not None})
    if not ids:
        return {}
    now = now or timezone.now()
    with transaction.atomic():
        conversations = {
            c["id"]: c for c in Conversation.objects.filter(pk__in=ids).values(*CONVERSATION_FIELDS)
        }
        locked = (
            ConversationSla.objects.select_for_update().filter(pk__in=ids).order_by("pk").values(*ROW_COLUMNS)
        )
        rows = {values["conversation_id"]: SimpleNamespace(**values) for values in locked}
        startable = [cid for cid, c in conversations.items() if cid not in rows and _may_start(c)]
        policies = all_policies() if rows or startable else []
        if not rows and not policies:
            return {}
        known = [cid for cid in conversations if cid in rows or cid in startable]
        lines = timelines(known)
        calendars = calendars_by_id({p.calendar_id for p in policies})
        by_id = {p.pk: p for p in policies}
        created, changed, due, started = [], [], {}, []
        for cid in known:
            conversation, row = conversations[cid], rows.get(cid)
            best = best_policy(policies, conversation["queue_id"], conversation["priority"])
            clocks = Clocks.load(row, cid, best, by_id, calendars, now)
            if clocks is None:
                continue
            before = None if row is None else clocks.snapshot()
            clocks.reconcile(conversation, lines[cid], best, replied=replied)
            if before is None:
                created.append(clocks.row)
            elif clocks.snapshot() != before:
                clocks.row.updated_at = now
                changed.append(clocks.row)
            due[cid] = None if conversation["status"] in FINISHED else nearest_due(clocks.row)
            started += [(conversation["channel_id"], cid, data) for data in clocks.starts]
        _insert(created)
        _log_starts(started, now)
        update_rows(changed, ROW_FIELDS)
        _store_due(conversations, due)
    return due


def _insert(rows: list[ConversationSla]) -> None:
    """New clock rows in one statement; a row another worker inserted meanwhile wins (its clocks
    came from the same messages). Django's bulk_create cost more than the clocks themselves."""
    to_db = datetime_adapter()
    values = [
        tuple(
            to_db(value) if isinstance(value, datetime) else value
            for value in (getattr(row, field.attname) for field in ALL_FIELDS)
        )
        for row in rows
    ]
    execute_many(INSERT, values)


def _log_starts(started: list[tuple], now: datetime) -> None:
    """One `sla.clock_started` event per clock started, in one statement (ingest starts thousands)."""
    if not started:
        return
    Event.objects.bulk_create(
        [
            Event(
                kind="sla.clock_started",
                occurred_at=now,
                channel_id=channel_id,
                conversation_id=cid,
                data=data,
            )
            for channel_id, cid, data in started
        ],
        batch_size=500,
    )


def update_rows(rows: list[ConversationSla], fields: list[str]) -> None:
    """Write these fields of these rows with one executemany (bulk_update's CASE per field and
    row took seconds for a batch of 500)."""
    columns = [ConversationSla._meta.get_field(name) for name in fields]
    statement = (
        f"UPDATE {ConversationSla._meta.db_table} SET "
        + ", ".join(f"{field.column} = %s" for field in columns)
        + " WHERE conversation_id = %s"
    )
    to_db = datetime_adapter()
    values = [
        (
            *(
                to_db(value) if isinstance(value, datetime) else value
                for value in (getattr(row, field.attname) for field in columns)
            ),
            row.conversation_id,
        )
        for row in rows
    ]
    execute_many(statement, values)


def _may_start(conversation: dict) -> bool:
    return bool(conversation["invites_reply"]) and conversation["status"] not in FINISHED


def _store_due(conversations: dict, due: dict) -> None:
    to_db = datetime_adapter()
    rows = [
        (None if moment is None else to_db(moment), cid)
        for cid, moment in due.items()
        if conversations[cid]["sla_due_at"] != moment
    ]
    execute_many(UPDATE_DUE, rows)


class Clocks:
    """One conversation's clocks under one policy and calendar, changed in memory."""

    def __init__(self, row: ConversationSla, policy: SlaPolicy | None, calendar: Calendar | None, now):
        self.row, self.policy, self.calendar, self.now = row, policy, calendar, now
        # Event data of the timed clocks started by this reconcile (see LOGGED_STARTS).
        self.starts: list[dict] = []

    @classmethod
    def load(cls, row, conversation_id, best, policies_by_id, calendars, now) -> "Clocks | None":
        if row is None:
            if best is None:
                return None
            row = SimpleNamespace(
                **{**NEW_ROW, "conversation_id": conversation_id, "policy_id": best.pk, "updated_at": now}
            )
            policy = best
        else:
            policy = policies_by_id.get(row.policy_id)
        calendar = calendars.get(policy.calendar_id) if policy is not None else None
        return cls(row, policy, calendar, now)

    def snapshot(self) -> tuple:
        return tuple(getattr(self.row, f.attname) for f in ConversationSla._meta.concrete_fields)

    # -- the steps of a reconcile, in order -------------------------------------------------

    def reconcile(self, conversation: dict, timeline: Timeline, best: SlaPolicy | None, *, replied: bool):
        first_in = timeline.first_inbound()
        row = self.row
        if row.first_response_started_at is None and row.resolution_started_at is None:
            if first_in is None:
                return
            self.start("first_response", first_in.received_at)
            self.start("resolution", first_in.received_at)
        elif best is not None and best.pk != row.policy_id:
            self.retarget(best)
        if replied:
            self.meet("first_response", self.now)
            self.meet("next_response", self.now)
        if first_in is not None and self.started("first_response"):
            self.meet("first_response", timeline.first_reply_after(first_in.written_at))
        self.cycle_next_response(timeline)
        self.apply_status(conversation["status"], conversation["resolved_at"])
        row.next_check_at = self.next_check()

    def started(self, metric: str) -> bool:
        """Started and not yet met (whether or not a target is set, whether or not paused)."""
        row = self.row
        return getattr(row, f"{metric}_started_at") is not None and getattr(row, f"{metric}_met_at") is None

    def due_for(self, metric: str) -> datetime | None:
        minutes = self.policy.minutes_for(metric) if self.policy is not None else None
        started = getattr(self.row, f"{metric}_started_at")
        if minutes is None or started is None:
            return None
        paused = self.row.resolution_paused_seconds if metric == "resolution" else 0
        return add_business_seconds(started, minutes * 60 + paused, self.calendar)

    def start(self, metric: str, at: datetime) -> None:
        row = self.row
        setattr(row, f"{metric}_started_at", at)
        setattr(row, f"{metric}_met_at", None)
        setattr(row, f"{metric}_warned", False)
        setattr(row, f"{metric}_breached", False)
        if metric == "resolution":
            row.resolution_paused_at, row.resolution_paused_seconds = None, 0
        setattr(row, f"{metric}_due_at", self.due_for(metric))
        self.log_start(metric, at)

    def log_start(self, metric: str, at: datetime) -> None:
        due = getattr(self.row, f"{metric}_due_at")
        # Only a clock with a target can be met or breached.
        if metric in LOGGED_STARTS and due is not None:
            self.starts.append(
                {
                    "metric": metric,
                    "due_at": due.isoformat(),
                    "policy_id": self.row.policy_id,
                    "started_at": at.isoformat(),
                }
            )

    def meet(self, metric: str, at: datetime | None) -> None:
        if at is None or not self.started(metric):
            return
        setattr(self.row, f"{metric}_met_at", at)
        if metric == "resolution":
            self.row.resolution_paused_at = None

    def retarget(self, policy: SlaPolicy) -> None:
        """A more specific policy applies now (queued, priority changed): running clocks take its targets."""
        self.row.policy_id, self.policy = policy.pk, policy
        warn = timedelta(minutes=policy.warn_before_minutes)
        for metric in METRICS:
            if not self.started(metric):
                continue
            due, before = self.due_for(metric), getattr(self.row, f"{metric}_due_at")
            setattr(self.row, f"{metric}_due_at", due)
            if before is None and due is not None:
                self.log_start(metric, getattr(self.row, f"{metric}_started_at"))
            # A later deadline is a new promise: it may warn and breach again.
            if due is None or due > self.now:
                setattr(self.row, f"{metric}_breached", False)
            if due is None or due - warn > self.now:
                setattr(self.row, f"{metric}_warned", False)

    def cycle_next_response(self, timeline: Timeline) -> None:
        row = self.row
        if row.first_response_met_at is None:
            return
        if self.started("next_response"):
            self.meet("next_response", timeline.first_reply_after(row.next_response_started_at))
            if self.started("next_response"):
                return
        marks = [m for m in (timeline.last_reply(), row.first_response_met_at, row.next_response_met_at) if m]
        waiting = timeline.first_inbound_after(max(marks))
        if waiting is not None and self.policy is not None and self.policy.next_response_minutes:
            self.start("next_response", waiting.received_at)

    def apply_status(self, status: str, resolved_at: datetime | None) -> None:
        row = self.row
        if status in FINISHED:
            at = resolved_at if status == ConversationStatus.RESOLVED and resolved_at else self.now
            for metric in METRICS:
                if self.started(metric):
                    self.meet(metric, max(at, getattr(row, f"{metric}_started_at")))
        elif status == ConversationStatus.PENDING:
            if self.started("resolution") and row.resolution_paused_at is None:
                row.resolution_paused_at = self.now
        elif row.resolution_paused_at is not None:
            paused = max(business_seconds_between(row.resolution_paused_at, self.now, self.calendar), 0)
            row.resolution_paused_seconds += paused
            if self.policy is None:
                # The policy was deleted: its target is gone, so shift the due time by the pause.
                row.resolution_due_at += timedelta(seconds=paused)
            else:
                row.resolution_due_at = self.due_for("resolution")
            row.resolution_paused_at = None
        elif row.resolution_met_at is not None and self.policy is not None and self.policy.resolution_minutes:
            self.start("resolution", self.now)  # reopened: a new resolution cycle

    def next_check(self) -> datetime | None:
        """When sla_check must look again: the next unsent warning or breach of a running clock."""
        warn = timedelta(minutes=self.policy.warn_before_minutes if self.policy is not None else 0)
        moments = []
        for metric in METRICS:
            if not is_running(self.row, metric):
                continue
            due = getattr(self.row, f"{metric}_due_at")
            if not getattr(self.row, f"{metric}_breached"):
                moments.append(due)
            if (
                warn
                and not getattr(self.row, f"{metric}_warned")
                and not getattr(self.row, f"{metric}_breached")
            ):
                moments.append(due - warn)
        return min(moments, default=None)
