"""A channel connector's health: the last check, the last success and the last error.

Polls, deliveries and the console's "Test connection" all report here. An event is written only
when the health flips (working ↔ failing), so a channel that fails every minute does not flood
the event log, and the console still shows the newest error and when it happened.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from townsquare.connectors.models import ConnectorState, Health
from townsquare.events.log import record

MAX_ERROR_LENGTH = 2000


def state_of(channel_id: int) -> ConnectorState:
    state, _ = ConnectorState.objects.get_or_create(channel_id=channel_id)
    return state


def record_success(channel_id: int, *, actor=None) -> None:
    now = timezone.now()
    _report(channel_id, Health.OK, {}, actor, last_ok_at=now, consecutive_failures=0)


def record_failure(channel_id: int, error: str, *, actor=None) -> None:
    error = (error or "unknown error")[:MAX_ERROR_LENGTH]
    _report(
        channel_id,
        Health.FAILING,
        {"error": error[:500]},
        actor,
        last_error=error,
        last_error_at=timezone.now(),
        consecutive_failures=F("consecutive_failures") + 1,
    )


def _report(channel_id: int, health: str, event_data: dict, actor, **fields) -> None:
    """Store the outcome of a check; write `channel.health_changed` when the health flipped."""
    now = timezone.now()
    with transaction.atomic():
        state = ConnectorState.objects.select_for_update().filter(channel_id=channel_id).first()
        if state is None:
            state = ConnectorState.objects.create(channel_id=channel_id)
        flipped = state.health != health
        ConnectorState.objects.filter(pk=state.pk).update(
            health=health, last_checked_at=now, updated_at=now, **fields
        )
        if flipped:
            record(
                "channel.health_changed",
                actor=actor,
                channel_id=channel_id,
                data={"health": health, **event_data},
            )
