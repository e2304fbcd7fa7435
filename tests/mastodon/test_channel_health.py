"""A polled channel's health: rate limits waited out, failures shown with their reason and backed off."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.mastodon.conftest import mastodon_channel
from townsquare.connectors.health import state_of
from townsquare.connectors.models import ConnectorState, Health
from townsquare.connectors.polling import MAX_BACKOFF_SECONDS, poll_channel
from townsquare.connectors.registry import connector_for
from townsquare.events.models import Event
from townsquare.inbox.models import Message

pytestmark = pytest.mark.django_db


def seconds_until(moment) -> float:
    return (moment - timezone.now()).total_seconds()


def test_a_healthy_poll_waits_the_channels_interval(db, fake):
    channel = mastodon_channel(fake, poll_seconds=120)
    fake.mention("hi")
    outcome = poll_channel(channel.pk)
    state = state_of(channel.pk)
    assert state.health == Health.OK and state.last_ok_at is not None
    assert 110 < seconds_until(state.next_poll_at) <= 120
    assert outcome.next_poll_at == state.next_poll_at


def test_when_few_requests_are_left_the_next_poll_waits_for_the_rate_limit_reset(acme, fake):
    fake.rate_remaining = 4
    fake.rate_reset = timezone.now() + timedelta(minutes=4)
    fake.mention("hi")
    assert poll_channel(acme.pk).stored == 1
    state = state_of(acme.pk)
    assert state.health == Health.OK
    assert 200 < seconds_until(state.next_poll_at) <= 240


def test_paging_stops_when_the_rate_limit_runs_low_and_goes_on_after_the_reset(acme, fake):
    fake.mention("already seen")
    poll_channel(acme.pk)
    for number in range(100):
        fake.mention(f"burst {number}")
    fake.rate_remaining = 6
    fake.rate_reset = timezone.now() + timedelta(minutes=3)
    assert poll_channel(acme.pk).stored == 40  # one page, then 5 requests left: stop
    assert 150 < seconds_until(state_of(acme.pk).next_poll_at) <= 180
    fake.rate_remaining = 300
    assert poll_channel(acme.pk).stored == 60
    assert Message.objects.filter(channel=acme).count() == 101


def test_a_429_marks_the_channel_failing_and_polls_again_after_the_reset(acme, fake):
    fake.rate_remaining = 0
    fake.rate_reset = timezone.now() + timedelta(minutes=10)
    outcome = poll_channel(acme.pk)
    assert "rate limited" in outcome.error
    state = state_of(acme.pk)
    assert state.health == Health.FAILING
    assert 590 < seconds_until(state.next_poll_at) <= 600


def test_a_rejected_token_makes_the_channel_failing_with_the_reason(acme, fake):
    fake.token = "revoked"  # noqa: S105
    fake.mention("hi")
    outcome = poll_channel(acme.pk)
    state = state_of(acme.pk)
    assert state.health == Health.FAILING
    assert state.last_error.startswith("access token rejected (401: The access token is invalid)")
    assert outcome.error == state.last_error
    event = Event.objects.get(kind="channel.health_changed", channel_id=acme.pk)
    assert event.data["health"] == Health.FAILING
    assert not Message.objects.filter(channel=acme).exists()


def test_a_failing_channel_backs_off_exponentially_up_to_30_minutes(acme, fake):
    fake.token = "revoked"  # noqa: S105
    waits = []
    for _ in range(8):
        waits.append(round(seconds_until(poll_channel(acme.pk).next_poll_at) / 60))
    assert waits == [1, 2, 4, 8, 16, 30, 30, 30]
    assert MAX_BACKOFF_SECONDS == 30 * 60
    # One event for the flip to failing, not one per failure.
    assert Event.objects.filter(kind="channel.health_changed", channel_id=acme.pk).count() == 1


def test_a_channel_recovers_once_the_token_works_again(acme, fake):
    fake.token = "revoked"  # noqa: S105
    poll_channel(acme.pk)
    fake.token = "good-token"  # noqa: S105
    fake.mention("hello again")
    assert poll_channel(acme.pk).stored == 1
    state = state_of(acme.pk)
    assert (state.health, state.consecutive_failures) == (Health.OK, 0)


def test_an_unreachable_instance_is_a_failure_with_the_reason(db, fake):
    channel = mastodon_channel(fake)
    fake.stop()
    outcome = poll_channel(channel.pk)
    assert "could not reach http://127.0.0.1" in outcome.error
    fake.start()  # the fixture stops it again


def test_a_server_that_answers_html_is_a_failure_not_a_crash(acme, fake, monkeypatch):
    fake.fail_next.append((502, {"error": "Bad Gateway"}, {}))
    assert "the instance answered 502: Bad Gateway" in poll_channel(acme.pk).error


def test_test_connection_names_the_signed_in_account(acme, fake):
    report = connector_for(acme).check()
    assert (report.ok, report.detail) == (True, "signed in as @acme@social.example")
    assert [r.path for r in fake.requests] == [
        "/api/v1/accounts/verify_credentials",
        "/api/v2/notifications/policy",
    ]


def test_test_connection_says_when_the_token_belongs_to_another_account(db, fake):
    channel = mastodon_channel(fake, account="@support@social.example")
    report = connector_for(channel).check()
    assert not report.ok
    assert report.detail == "the access token belongs to @acme@social.example, not @support@social.example"


def test_test_connection_reports_a_rejected_token(acme, fake):
    fake.token = "revoked"  # noqa: S105
    report = connector_for(acme).check()
    assert not report.ok and report.detail.startswith("access token rejected")


def test_test_connection_accepts_the_brand_handle_without_its_domain(db, fake):
    channel = mastodon_channel(fake, account="@ACME")
    assert connector_for(channel).check().ok


def test_a_channel_missing_its_token_fails_naming_the_setting(db, fake):
    channel = mastodon_channel(fake)
    ConnectorState.objects.filter(channel=channel).update(sealed_secrets="")
    outcome = poll_channel(channel.pk)
    assert outcome.error == "some required settings are missing (access_token: required)"
    assert state_of(channel.pk).last_error == outcome.error
    assert not fake.requests


def test_secrets_sealed_with_a_lost_key_fail_with_what_to_do(db, fake, settings):
    channel = mastodon_channel(fake)
    settings.SECRETS_KEYS = ["a-new-key-that-did-not-seal-them"]
    outcome = poll_channel(channel.pk)
    assert "encrypted with another key: set them again" in outcome.error
    assert state_of(channel.pk).health == Health.FAILING


def test_test_connection_warns_when_the_notification_policy_drops_mentions(acme, fake):
    fake.policy["for_private_mentions"] = "drop"
    fake.policy["for_new_accounts"] = "drop"
    report = connector_for(acme).check()
    assert report.ok
    assert report.detail == (
        "signed in as @acme@social.example; but its notification policy drops mentions from new accounts, "
        "unsolicited private mentions: those never reach Townsquare (set them to accept or filter in "
        "Mastodon's notification settings)"
    )


def test_test_connection_on_an_instance_without_notification_policies(acme, fake):
    fake.policy = None
    assert connector_for(acme).check().detail == "signed in as @acme@social.example"
