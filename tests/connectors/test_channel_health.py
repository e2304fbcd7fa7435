"""A channel's health: every check is recorded, the event log hears only when it flips."""

import pytest

from townsquare.connectors.health import MAX_ERROR_LENGTH, record_failure, record_success, state_of
from townsquare.connectors.models import Health
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ChannelKind

pytestmark = pytest.mark.db


@pytest.fixture
def mail(db):
    return Channel.objects.create(name="support mail", kind=ChannelKind.EMAIL)


def flips(channel) -> list[str]:
    return [
        e.data["health"]
        for e in Event.objects.filter(kind="channel.health_changed", channel_id=channel.pk).order_by("id")
    ]


def test_failures_count_up_and_only_the_first_is_an_event(mail):
    record_failure(mail.pk, "connection refused")
    record_failure(mail.pk, "x" * (MAX_ERROR_LENGTH + 50))
    state = state_of(mail.pk)
    assert (state.health, state.consecutive_failures) == (Health.FAILING, 2)
    assert state.last_error == "x" * MAX_ERROR_LENGTH and state.last_error_at is not None
    assert flips(mail) == ["failing"]


def test_a_success_resets_the_count_and_keeps_the_last_error_for_the_record(mail):
    record_failure(mail.pk, "connection refused")
    record_success(mail.pk)
    record_success(mail.pk)
    state = state_of(mail.pk)
    assert (state.health, state.consecutive_failures) == (Health.OK, 0)
    assert state.last_ok_at >= state.last_error_at and state.last_error == "connection refused"
    assert flips(mail) == ["failing", "ok"]
