"""What a conversation's clocks say now, for the API and the console: due, met, breached, time left."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from townsquare.sla.calendar import Calendar, business_seconds_between
from townsquare.sla.calendars import calendars_by_id
from townsquare.sla.models import METRICS, ConversationSla

LABELS = {"first_response": "First response", "next_response": "Next response", "resolution": "Resolution"}


@dataclass(frozen=True)
class ClockReading:
    metric: str
    label: str
    target_minutes: int | None
    started_at: datetime | None
    due_at: datetime | None
    met_at: datetime | None
    paused: bool
    warned: bool
    breached: bool
    state: str  # running, warning, breached, paused, met
    business_seconds_left: float | None  # negative once overdue; None when met


@dataclass(frozen=True)
class SlaReading:
    policy_id: int | None
    policy_name: str | None
    calendar_name: str | None
    clocks: list[ClockReading]

    @property
    def nearest(self) -> ClockReading | None:
        """The running (or paused) clock with the least time left: the one the console shows first."""
        live = [c for c in self.clocks if c.business_seconds_left is not None]
        return min(live, key=lambda c: c.business_seconds_left, default=None)


def read_sla(conversation_id: int, now: datetime | None = None) -> SlaReading | None:
    """The conversation's clocks, or None when it has none. Two or four queries, however many clocks."""
    row = (
        ConversationSla.objects.select_related("policy", "policy__calendar")
        .filter(pk=conversation_id)
        .first()
    )
    if row is None:
        return None
    policy = row.policy
    calendar = None
    if policy is not None and policy.calendar_id is not None:
        calendar = calendars_by_id([policy.calendar_id]).get(policy.calendar_id)
    now = now or timezone.now()
    clocks = [
        _reading(row, metric, calendar, now, warn_minutes=policy.warn_before_minutes if policy else 0)
        for metric in METRICS
        if getattr(row, f"{metric}_started_at") is not None and getattr(row, f"{metric}_due_at") is not None
    ]
    return SlaReading(
        policy_id=policy.pk if policy else None,
        policy_name=policy.name if policy else None,
        calendar_name=policy.calendar.name if policy and policy.calendar_id else None,
        clocks=clocks,
    )


def _reading(row: ConversationSla, metric: str, calendar: Calendar | None, now, *, warn_minutes: int):
    due = getattr(row, f"{metric}_due_at")
    met = getattr(row, f"{metric}_met_at")
    paused = metric == "resolution" and met is None and row.resolution_paused_at is not None
    # Met late, or running past its due time, is a breach even before sla_check has flagged it.
    late = (met is not None and met > due) or (met is None and not paused and due <= now)
    breached = getattr(row, f"{metric}_breached") or late
    left = None
    if met is None:
        # Paused: the time left froze when the pause began.
        until = row.resolution_paused_at if paused else now
        left = business_seconds_between(until, due, calendar)
    if met is not None:
        state = "met"
    elif paused:
        state = "paused"
    elif breached:
        state = "breached"
    elif warn_minutes and due - timedelta(minutes=warn_minutes) <= now:
        state = "warning"
    else:
        state = "running"
    return ClockReading(
        metric=metric,
        label=LABELS[metric],
        target_minutes=row.policy.minutes_for(metric) if row.policy else None,
        started_at=getattr(row, f"{metric}_started_at"),
        due_at=due,
        met_at=met,
        paused=paused,
        warned=getattr(row, f"{metric}_warned"),
        breached=breached,
        state=state,
        business_seconds_left=left,
    )
