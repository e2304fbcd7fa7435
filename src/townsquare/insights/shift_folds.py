"""Shifts from presence changes: going online starts a shift, going away or offline ends it.

Repeated "online" while a shift is open changes nothing (the shift goes on); "away" or "offline"
without an open shift changes nothing either. A shift still open has no end yet. When the stale
sweep sets someone offline, the shift ends when they were last seen, not when the sweep ran.
"""

from datetime import datetime

from townsquare.insights import projection
from townsquare.insights.care_folds import parse_time
from townsquare.insights.folding import EventRow, FoldBatch, after_fold, folds
from townsquare.insights.models import ShiftFact

ONLINE = "online"
ENDS_SHIFT = ("away", "offline")


class PendingShifts:
    """The batch's shifts: the open one per person (from earlier batches or this one) and every
    shift this batch created or ended, written once at the end."""

    def __init__(self) -> None:
        self.open: dict[int, ShiftFact] = {}
        for shift in ShiftFact.objects.filter(ended_at__isnull=True).order_by("started_at", "pk"):
            self.open[shift.user_id] = shift  # the latest wins if there were ever two
        self.changed: list[ShiftFact] = []

    def start(self, user_id: int, at: datetime) -> None:
        if user_id in self.open:
            return
        shift = ShiftFact(user_id=user_id, started_at=at)
        self.open[user_id] = shift
        self.changed.append(shift)

    def end(self, user_id: int, at: datetime) -> None:
        shift = self.open.pop(user_id, None)
        if shift is None:
            return
        shift.ended_at = max(at, shift.started_at)
        if shift.pk is not None:
            self.changed.append(shift)


def _pending(batch: FoldBatch) -> PendingShifts:
    pending = batch.extra.get("shifts")
    if pending is None:
        pending = batch.extra["shifts"] = PendingShifts()
    return pending


@folds("agent.presence_changed")
def presence_changed(event: EventRow, batch: FoldBatch) -> None:
    user_id = event.data.get("user_id")
    if user_id is None:
        return
    pending = _pending(batch)
    to = event.data.get("to")
    if to == ONLINE:
        pending.start(int(user_id), event.occurred_at)
    elif to in ENDS_SHIFT:
        # Set offline by the stale sweep: the person left when last seen.
        ended = min(event.occurred_at, parse_time(event.data.get("last_seen_at"), event.occurred_at))
        pending.end(int(user_id), ended)


@after_fold
def write_shifts(batch: FoldBatch) -> None:
    pending = batch.extra.get("shifts")
    if pending is None or not pending.changed:
        return
    new = [shift for shift in pending.changed if shift.pk is None]
    ended = [shift for shift in pending.changed if shift.pk is not None]
    ShiftFact.objects.bulk_create(new, batch_size=500)
    if ended:
        ShiftFact.objects.bulk_update(ended, ["ended_at"], batch_size=500)


def reset_shifts() -> None:
    ShiftFact.objects.all().delete()


projection.RESETTERS.append(reset_shifts)
