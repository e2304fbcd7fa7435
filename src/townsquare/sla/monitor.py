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

from townsquare.events.log import record
from townsquare.inbox.models import Conversation
from townsquare.sla.clocks import FINISHED, Clocks, sync
from townsquare.sla.models import METRICS, ConversationSla

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
        for conversation_id in ids:
            conversation = _check_one(conversation_id, now, result)
            if conversation is not None and _escalate(conversation):
                result.escalations += 1
        result.checked += len(ids)


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


def _check_one(conversation_id: int, now: datetime, result: CheckResult) -> Conversation | None:
    """Flag and record what is due; returns the conversation when a clock is near or past breach."""
    with transaction.atomic():
        row = (
            ConversationSla.objects.select_for_update()
            .select_related("policy")
            .filter(pk=conversation_id, next_check_at__lte=now)
            .first()
        )
        if row is None:
            return None
        conversation = Conversation.objects.select_related("channel", "assignee").get(pk=conversation_id)
        if conversation.status in FINISHED:
            row.next_check_at = None
            row.save(update_fields=["next_check_at"])
            return None
        warn = timedelta(minutes=row.policy.warn_before_minutes if row.policy is not None else 0)
        near = False
        for metric in METRICS:
            kind = _flag(row, metric, now, warn)
            if kind is None:
                continue
            due = getattr(row, f"{metric}_due_at")
            record(
                kind,
                conversation_id=conversation_id,
                channel_id=conversation.channel_id,
                data={"metric": metric, "due_at": due.isoformat()},
            )
            result.events.append((conversation_id, kind, metric))
            result.warnings += kind == "sla.warning"
            result.breaches += kind == "sla.breached"
            near = True
        row.next_check_at = Clocks(row, row.policy, None, now).next_check()
        flags = [f"{metric}_{flag}" for metric in METRICS for flag in ("warned", "breached")]
        row.save(update_fields=[*flags, "next_check_at"])
    return conversation if near else None


def _flag(row: ConversationSla, metric: str, now: datetime, warn: timedelta) -> str | None:
    """Set the clock's flag that is due now; the event kind to write, or None."""
    if not row.is_running(metric):
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
