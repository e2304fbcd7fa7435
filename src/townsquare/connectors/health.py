"""A channel connector's health: the last check, the last success and the last error.

Polls, deliveries and the console's "Test connection" all report here. An event is written only
when the health flips (working ↔ failing), so a channel that fails every minute does not flood
the event log, and the console still shows the newest error and when it happened.
"""

from django.db import transaction
from django.utils import timezone

from townsquare.connectors.models import ConnectorState, Health
from townsquare.events.log import record

MAX_ERROR_LENGTH = 2000


def state_of(channel_id: int) -> ConnectorState:
    state, _ = ConnectorState.objects.get_or_create(channel_id=channel_id)
    return state


def record_success(channel_id: int, *, actor=None) -> None:
    now = timezone.now()
    with transaction.atomic():
        state = ConnectorState.objects.select_for_update().filter(channel_id=channel_id).first()
        if state is None:
            state = ConnectorState.objects.create(channel_id=channel_id)
        flipped = state.health != Health.OK
        state.health = Health.OK
        state.last_checked_at = now
        state.last_ok_at = now
        state.consecutive_failures = 0
        state.updated_at = now
        state.save(
            update_fields=["health", "last_checked_at", "last_ok_at", "consecutive_failures", "updated_at"]
        )
        if flipped:
            record("channel.health_changed", actor=actor, channel_id=channel_id, data={"health": Health.OK})


def record_failure(channel_id: int, error: str, *, actor=None) -> None:
    now = timezone.now()
    error = (error or "unknown error")[:MAX_ERROR_LENGTH]
    with transaction.atomic():
        state = ConnectorState.objects.select_for_update().filter(channel_id=channel_id).first()
        if state is None:
            state = ConnectorState.objects.create(channel_id=channel_id)
        flipped = state.health != Health.FAILING
        state.health = Health.FAILING
        state.last_checked_at = now
        state.last_error = error
        state.last_error_at = now
        state.consecutive_failures += 1
        state.updated_at = now
        state.save(
            update_fields=[
                "health",
                "last_checked_at",
                "last_error",
                "last_error_at",
                "consecutive_failures",
                "updated_at",
            ]
        )
        if flipped:
            record(
                "channel.health_changed",
                actor=actor,
                channel_id=channel_id,
                data={"health": Health.FAILING, "error": error[:500]},
            )
