"""What the console and the API show about a channel's connector: its health, last error and counts.

`channel_overviews` serves a whole list in two queries whatever its length.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from townsquare.connectors.models import ConnectorState, Health, RejectedInbound
from townsquare.connectors.registry import connector_class
from townsquare.inbox.models import Channel, ChannelKind

RECENT = timedelta(days=7)
SHORT_ERROR = 120


@dataclass
class ChannelOverview:
    channel: Channel
    kind_label: str
    health: str
    health_label: str
    last_checked_at: datetime | None
    last_ok_at: datetime | None
    last_error: str
    last_error_at: datetime | None
    consecutive_failures: int
    next_poll_at: datetime | None
    can_poll: bool
    can_send: bool
    messages_stored: int
    messages_duplicate: int
    messages_rejected: int
    # Input kept byte for byte because it could not be read (RejectedInbound rows).
    rejected_kept: int
    rejected_recent: int

    @property
    def short_error(self) -> str:
        error = " ".join(self.last_error.split())
        return error if len(error) <= SHORT_ERROR else error[: SHORT_ERROR - 1] + "…"


def _kind_label(channel: Channel) -> tuple[str, bool, bool]:
    try:
        cls = connector_class(channel.kind)
    except LookupError:
        return channel.get_kind_display(), False, False
    label = channel.get_kind_display() if channel.kind in ChannelKind.values else cls.label
    return label or channel.kind, cls.can_poll, cls.can_send


def _build(channel: Channel, state: ConnectorState | None, counts: dict) -> ChannelOverview:
    state = state or ConnectorState(channel_id=channel.pk)
    label, can_poll, can_send = _kind_label(channel)
    return ChannelOverview(
        channel=channel,
        kind_label=label,
        health=state.health,
        health_label=Health(state.health).label,
        last_checked_at=state.last_checked_at,
        last_ok_at=state.last_ok_at,
        last_error=state.last_error,
        last_error_at=state.last_error_at,
        consecutive_failures=state.consecutive_failures,
        next_poll_at=state.next_poll_at,
        can_poll=can_poll,
        can_send=can_send,
        messages_stored=channel.messages_stored,
        messages_duplicate=channel.messages_duplicate,
        messages_rejected=channel.messages_rejected,
        rejected_kept=counts.get("kept", 0),
        rejected_recent=counts.get("recent", 0),
    )


def channel_overviews(channels) -> list[ChannelOverview]:
    channels = list(channels)
    ids = [channel.pk for channel in channels]
    states = {state.channel_id: state for state in ConnectorState.objects.filter(channel_id__in=ids)}
    since = timezone.now() - RECENT
    counts = {
        row["channel_id"]: row
        for row in RejectedInbound.objects.filter(channel_id__in=ids)
        .values("channel_id")
        .annotate(kept=Count("id"), recent=Count("id", filter=Q(received_at__gte=since)))
    }
    return [_build(channel, states.get(channel.pk), counts.get(channel.pk, {})) for channel in channels]


def channel_overview(channel: Channel) -> ChannelOverview:
    return channel_overviews([channel])[0]
