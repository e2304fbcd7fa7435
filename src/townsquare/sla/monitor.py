"""Warnings and breaches: `sla.warning` once per clock when its deadline is near, `sla.breached` once
when it passes; an SLA about to breach escalates the conversation one rung.

A pass reads only conversations whose `next_check_at` has come (an index), first reconciles them
with their messages (a brand reply that arrived through ingest stops the clock rather than breach
it), then flags each clock under a row lock, so two monitors running at once never send an event twice.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connections, transaction
from django.utils import timezone

from townsquare.events.models import Event
from townsquare.inbox.models import Conversation
from townsquare.sla.clocks import FINISHED, Clocks, sync, update_rows
from townsquare.sla.models import METRICS, ConversationSla, is_running

logger = logging.getLogger("townsquare.sla")
BATCH = 500
ESCALATION_REASON = "sla_near_breach"


@dataclass
class CheckResult:
    checked: int = 0
    warnings: int = 0
    breaches: int = 0
    escalations: int = 0
    events: list[tuple[int, str, str]] = field(default_factory=list)  # (conversation id, kind, metric)

    def as_dict(self) -> dict:
        return {
            "checked": self.checked,
            "warnings": self.warnings,
            "breaches": self.breaches,
            "escalations": self.escalations,
        }


def check(now: datetime | None = None, *, batch: int = BATCH) -> CheckResult:
    """One pass over every conversation with a warning or breach due by `now`."""
    now = now or timezone.now()
    result = CheckResult()
    after = 0
    while True:
        ids = list(
            ConversationSla.objects.filter(next_check_at__lte=now, pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return result
        after = ids[-1]
        sync(ids, now=now)
        near = _flag_batch(ids, now, result)
        result.checked += len(ids)
        # After the flags are committed, one conversation at a time: a step takes its own lock.
        for conversation in Conversation.objects.filter(pk__in=near).select_related("channel", "assignee"):
            result.escalations += _escalate(conversation)


def check_slas() -> CheckResult:
    """One pass from a thread of `townsquare run` (every TOWNSQUARE_TASK_RECOVERY_INTERVAL_SECONDS);
    `townsquare sla_check --loop` does the same as a process of its own."""
    try:
        result = check()
        if result.warnings or result.breaches:
            logger.info("sla_check: %s", result.as_dict())
        return result
    finally:
        connections.close_all()


FLAG_FIELDS = [f"{metric}_{flag}" for metric in METRICS for flag in ("warned", "breached")]


def _flag_batch(ids: list[int], now: datetime, result: CheckResult) -> list[int]:
    """Flag and record what is due among these, in one transaction holding their row locks;
    returns the ids of conversations with a clock near or past breach."""
    with transaction.atomic():
        rows = list(
            ConversationSla.objects.select_for_update(of=("self",))
            .select_related("policy")
            .filter(pk__in=ids, next_check_at__lte=now)
            .order_by("pk")  # one lock order for every pass: two monitors never deadlock
        )
        facts = {
            pk: (status, channel_id)
            for pk, status, channel_id in Conversation.objects.filter(
                pk__in=[row.pk for row in rows]
            ).values_list("pk", "status", "channel_id")
        }
        events, near = [], []
        for row in rows:
            status, channel_id = facts[row.pk]
            found = [] if status in FINISHED else _flag_row(row, now, channel_id)
            if found:
                near.append(row.pk)
                events += found
                result.events += [(row.pk, event.kind, event.data["metric"]) for event in found]
            finished = status in FINISHED
            row.next_check_at = None if finished else Clocks(row, row.policy, None, now).next_check()
        for event in events:
            event.save()  # one by one: outgoing webhooks (hooks.dispatch) listen for post_save
        update_rows(rows, [*FLAG_FIELDS, "next_check_at"])
    result.warnings += sum(event.kind == "sla.warning" for event in events)
    result.breaches += sum(event.kind == "sla.breached" for event in events)
    return near


def _flag_row(row: ConversationSla, now: datetime, channel_id: int) -> list[Event]:
    warn = timedelta(minutes=row.policy.warn_before_minutes if row.policy is not None else 0)
    events = []
    for metric in METRICS:
        kind = _flag(row, metric, now, warn)
        if kind is not None:
            due = getattr(row, f"{metric}_due_at")
            data = {"metric": metric, "due_at": due.isoformat()}
            events.append(Event(kind=kind, conversation_id=row.pk, channel_id=channel_id, data=data))
    return events


def _flag(row: ConversationSla, metric: str, now: datetime, warn: timedelta) -> str | None:
    """Set the clock's flag that is due now; the event kind to write, or None."""
    if not is_running(row, metric):
        return None
    due = getattr(row, f"{metric}_due_at")
    if due <= now and not getattr(row, f"{metric}_breached"):
        # A breach implies the warning: one that never went out is not sent after the fact.
        setattr(row, f"{metric}_breached", True)
        setattr(row, f"{metric}_warned", True)
        return "sla.breached"
    if warn and due - warn <= now and not getattr(row, f"{metric}_warned"):
        setattr(row, f"{metric}_warned", True)
        return "sla.warning"
    return None


def _escalate(conversation: Conversation) -> bool:
    """Near breach: the escalation ladder takes one automatic step (at most once per level). After
    the flags are committed: a failed step is logged and retried by nobody, the events stand."""
    from townsquare.care.escalation import escalate_automatically

    try:
        return escalate_automatically(conversation, reason=ESCALATION_REASON) is not None
    except Exception:
        logger.exception("automatic escalation of conversation %s failed", conversation.pk)
        return False
