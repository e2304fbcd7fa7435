"""Polling the channels whose connector fetches new messages (`can_poll`, e.g. Mastodon).

One poll: `connector.poll(cursor)` over the network, then ONE transaction stores the messages,
keeps what could not be read (RejectedInbound) and saves the new cursor with the next poll time.
A crash before that commit stores nothing and keeps the old cursor, so the next poll fetches the
same messages again; ingest is idempotent per external id, so nothing is stored twice either.

Scheduling: `townsquare run`'s periodic checks call `enqueue_due()` about once a minute; it claims
the channels whose `next_poll_at` has passed (a conditional UPDATE, so two workers never poll one
channel at once) and enqueues a reliable task per channel. A channel polls again after its
`poll_seconds`, or after a rate limit's reset when that is later; one that fails waits twice as
long after each failure, up to 30 minutes. `townsquare poll-channels` polls from the command line.
"""

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.tasks.exceptions import InvalidTask
from django.utils import timezone

from townsquare.connectors.base import ConfigInvalid, ConnectorError, PollResult, TransientError
from townsquare.connectors.health import record_failure, record_success, state_of
from townsquare.connectors.models import ConnectorState, RejectedInbound
from townsquare.connectors.registry import connector_class, connector_for, registered_kinds
from townsquare.connectors.secrets import SecretsUnreadable
from townsquare.events.log import record
from townsquare.inbox.ingest.locks import lock_channel_for_ingest
from townsquare.inbox.ingest.store import count_rejected, store_messages
from townsquare.inbox.models import Channel
from townsquare.tasks import reliable_task

logger = logging.getLogger("townsquare.connectors.polling")

DEFAULT_INTERVAL_SECONDS = 60
MIN_INTERVAL_SECONDS = 10
MAX_BACKOFF_SECONDS = 30 * 60
# A claimed channel whose poll has not finished by then is due again (its task was lost).
CLAIM_SECONDS = 5 * 60
MAX_DUE_PER_PASS = 500


@dataclass
class PollOutcome:
    channel_id: int
    channel: str = ""
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    error: str = ""
    # Why nothing was polled (inactive, not a polled channel, another poll finished first).
    skipped: str = ""
    next_poll_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.error

    def as_dict(self) -> dict:
        shown = asdict(self)
        shown["next_poll_at"] = self.next_poll_at.isoformat() if self.next_poll_at else None
        return shown


def pollable_kinds() -> list[str]:
    return [kind for kind in registered_kinds() if connector_class(kind).can_poll]


def is_pollable(channel: Channel) -> bool:
    return channel.kind in pollable_kinds()


def interval_seconds(channel: Channel) -> int:
    """The channel's `poll_seconds` setting, within sane bounds."""
    value = (channel.settings or {}).get("poll_seconds")
    try:
        seconds = int(value) if value not in (None, "") and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        seconds = None
    return max(MIN_INTERVAL_SECONDS, seconds or DEFAULT_INTERVAL_SECONDS)


def backoff_seconds(interval: int, failures: int, retry_after: float | None = None) -> float:
    """After `failures` failures in a row: the interval doubled per failure, at most 30 minutes,
    and never sooner than the remote side asked for."""
    doubled = interval * 2 ** max(0, min(failures - 1, 20))
    return max(min(doubled, MAX_BACKOFF_SECONDS), retry_after or 0)


def poll_channel(channel_id: int) -> PollOutcome:
    """Poll one channel now (whatever its next poll time) and store what is new."""
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        return PollOutcome(channel_id, skipped="no such channel")
    outcome = PollOutcome(channel_id, channel.name)
    if not channel.is_active:
        outcome.skipped = "the channel is inactive"
        return outcome
    if not is_pollable(channel):
        outcome.skipped = f"{channel.kind} channels are not polled"
        return outcome
    started_from = dict(state_of(channel_id).cursor or {})
    try:
        result = connector_for(channel).poll(dict(started_from))
    except (ConnectorError, SecretsUnreadable) as exc:
        return _failed(channel, outcome, exc)
    try:
        _commit(channel, started_from, result, outcome)
    except Exception as exc:
        logger.exception("Storing what channel %s's poll fetched failed", channel.name)
        return _failed(channel, outcome, exc)
    if not outcome.skipped:
        record_success(channel_id)
    return outcome


def _commit(channel: Channel, started_from: dict, result: PollResult, outcome: PollOutcome) -> None:
    now = timezone.now()
    with transaction.atomic():
        # The ingest lock first, as every writer of this channel's messages takes it first.
        lock_channel_for_ingest(channel.pk)
        state = ConnectorState.objects.select_for_update().get(channel_id=channel.pk)
        if (state.cursor or {}) != started_from:
            # Another poll of this channel committed meanwhile; its cursor must not go back.
            outcome.skipped = "another poll of this channel finished first"
            outcome.next_poll_at = state.next_poll_at
            return
        stored = store_messages(channel, result.messages, source="poll")
        outcome.stored, outcome.duplicates = stored.stored, stored.duplicates
        outcome.rejected = _keep_rejected(channel, getattr(result, "rejected", None) or [], now)
        wait = max(float(interval_seconds(channel)), result.wait_seconds or 0.0)
        state.cursor = result.cursor
        state.next_poll_at = outcome.next_poll_at = now + timedelta(seconds=wait)
        state.updated_at = now
        state.save(update_fields=["cursor", "next_poll_at", "updated_at"])
        new_ids = [message_id for _, what, message_id in stored.outcomes if what == "stored"]
        transaction.on_commit(lambda: _publish(new_ids))


def _keep_rejected(channel: Channel, rejected: list[tuple[str, dict]], now) -> int:
    for reason, payload in rejected:
        raw = json.dumps(payload, sort_keys=True, default=str).encode()
        kept = RejectedInbound.objects.create(
            channel=channel,
            received_at=now,
            reason=reason[:2000],
            summary=_summary(payload),
            raw=raw,
            size=len(raw),
            sha256=hashlib.sha256(raw).hexdigest(),
        )
        record(
            "channel.poll_rejected",
            channel_id=channel.pk,
            data={"rejected_id": kept.pk, "reason": reason[:500], "summary": kept.summary},
        )
    count_rejected(channel, len(rejected))
    return len(rejected)


def _summary(payload) -> str:
    if not isinstance(payload, dict):
        return ""
    status = payload.get("status") if isinstance(payload.get("status"), dict) else {}
    account = status.get("account") if isinstance(status.get("account"), dict) else {}
    parts = [f"notification {payload.get('id')}", f"status {status.get('id')}", f"from {account.get('acct')}"]
    return ", ".join(part for part in parts if not part.endswith(" None"))[:500]


def _failed(channel: Channel, outcome: PollOutcome, exc: Exception) -> PollOutcome:
    outcome.error = describe_error(exc)
    record_failure(channel.pk, outcome.error)
    retry_after = exc.retry_after if isinstance(exc, TransientError) else None
    failures = state_of(channel.pk).consecutive_failures
    outcome.next_poll_at = timezone.now() + timedelta(
        seconds=backoff_seconds(interval_seconds(channel), failures, retry_after)
    )
    ConnectorState.objects.filter(channel_id=channel.pk).update(next_poll_at=outcome.next_poll_at)
    logger.warning("Polling channel %s failed: %s", channel.name, outcome.error)
    return outcome


def describe_error(exc: Exception) -> str:
    """The error as shown on the channels page: a connector's own words, with the settings at fault."""
    if isinstance(exc, ConfigInvalid) and exc.fields:
        fields = "; ".join(f"{name}: {problem}" for name, problem in exc.fields.items())
        return f"{exc} ({fields})"
    if isinstance(exc, ConnectorError | SecretsUnreadable):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _publish(message_ids: list[int]) -> None:
    """Tell open consoles about the new messages (the live-update module may not be installed)."""
    try:
        from townsquare.realtime.publish import message_stored
    except ImportError:
        return
    for message_id in message_ids:
        try:
            message_stored(message_id)
        except Exception:
            logger.exception("Publishing polled message %s failed", message_id)


# Scheduling.


def due_channel_ids(now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    due = (
        Q(connector_state__isnull=True)
        | Q(connector_state__next_poll_at__isnull=True)
        | Q(connector_state__next_poll_at__lte=now)
    )
    channels = Channel.objects.filter(due, is_active=True, kind__in=pollable_kinds()).order_by("pk")
    return list(channels.values_list("pk", flat=True)[:MAX_DUE_PER_PASS])


def claim(channel_id: int, now: datetime | None = None) -> bool:
    """Take the channel's next poll: True for exactly one of several callers."""
    now = now or timezone.now()
    state_of(channel_id)
    due = Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
    return bool(
        ConnectorState.objects.filter(due, channel_id=channel_id).update(
            next_poll_at=now + timedelta(seconds=CLAIM_SECONDS)
        )
    )


@reliable_task(max_attempts=3)
def poll_channel_task(channel_id: int) -> dict:
    return poll_channel(channel_id).as_dict()


def enqueue_due() -> list[int]:
    """Claim every due channel and enqueue its poll; returns the channel ids enqueued."""
    enqueued = []
    for channel_id in due_channel_ids():
        if not claim(channel_id):
            continue
        try:
            poll_channel_task.enqueue(channel_id)
        except InvalidTask:
            # A backend without the default queue: poll here rather than not at all.
            logger.exception("Could not enqueue polling channel %s; polling it here", channel_id)
            poll_channel(channel_id)
        enqueued.append(channel_id)
    return enqueued


def poll_due_now() -> list[PollOutcome]:
    """Claim and poll every due channel in this process (the command line); one failing channel
    (even on a database error) does not stop the others."""
    outcomes = []
    for channel_id in due_channel_ids():
        if not claim(channel_id):
            continue
        try:
            outcomes.append(poll_channel(channel_id))
        except Exception as exc:
            logger.exception("Polling channel %s failed", channel_id)
            outcomes.append(PollOutcome(channel_id, str(channel_id), error=describe_error(exc)))
    return outcomes
