"""Which channels are polled when: due ones only, each by one poller, from `townsquare run` or cron."""

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.mastodon.conftest import mastodon_channel
from tests.uploads import IMMEDIATE_TASKS
from townsquare.connectors import polling
from townsquare.connectors.health import state_of
from townsquare.connectors.models import ConnectorState
from townsquare.connectors.polling import claim, due_channel_ids, enqueue_due, poll_channel
from townsquare.inbox.models import Channel, ChannelKind, Message
from townsquare.ops import periodic

pytestmark = pytest.mark.django_db


def not_due_until(channel, minutes: int) -> None:
    ConnectorState.objects.filter(channel=channel).update(
        next_poll_at=timezone.now() + timedelta(minutes=minutes)
    )


def test_only_active_mastodon_channels_whose_time_has_come_are_due(acme, fake, twitter):
    later = mastodon_channel(fake, name="later")
    not_due_until(later, 5)
    off = mastodon_channel(fake, name="off")
    Channel.objects.filter(pk=off.pk).update(is_active=False)
    Channel.objects.create(name="mail", kind=ChannelKind.EMAIL)
    assert due_channel_ids() == [acme.pk]
    not_due_until(later, -1)
    assert due_channel_ids() == [acme.pk, later.pk]


def test_a_due_channel_is_claimed_by_one_poller_only(acme):
    assert claim(acme.pk) is True
    assert claim(acme.pk) is False
    assert acme.pk not in due_channel_ids()


def test_the_periodic_check_enqueues_one_poll_task_per_due_channel(acme, fake):
    fake.mention("hi")
    assert periodic.poll_due_channels in periodic.JOBS
    periodic.poll_due_channels("worker-1")
    [task] = DBTaskResult.objects.filter(task_path__endswith="poll_channel_task")
    assert task.args_kwargs["args"] == [acme.pk]
    # Claimed: the next pass does not enqueue it again while the task waits for a worker.
    periodic.poll_due_channels("worker-1")
    assert DBTaskResult.objects.filter(task_path__endswith="poll_channel_task").count() == 1
    # The worker runs it.
    assert polling.poll_channel_task.call(acme.pk)["stored"] == 1
    assert state_of(acme.pk).next_poll_at > timezone.now()


def test_with_a_backend_that_runs_tasks_at_once_the_periodic_check_polls(acme, fake, settings):
    settings.TASKS = IMMEDIATE_TASKS
    fake.mention("hi")
    assert enqueue_due() == [acme.pk]
    assert Message.objects.filter(channel=acme).count() == 1
    assert enqueue_due() == []  # polled: not due again before its interval


def test_a_poll_that_lost_a_race_does_not_move_the_cursor_back(acme, fake, monkeypatch):
    fake.mention("first")
    real_fetch = polling.connector_for

    def fetch_then_let_another_poll_win(channel):
        connector = real_fetch(channel)
        real_poll = connector.poll

        def poll(cursor):
            result = real_poll(cursor)
            ConnectorState.objects.filter(channel=channel).update(cursor={"since_id": "999999"})
            return result

        connector.poll = poll
        return connector

    monkeypatch.setattr(polling, "connector_for", fetch_then_let_another_poll_win)
    outcome = poll_channel(acme.pk)
    assert outcome.skipped == "another poll of this channel finished first"
    assert state_of(acme.pk).cursor == {"since_id": "999999"}
    assert not Message.objects.filter(channel=acme).exists()


def test_polling_an_inactive_or_unknown_channel_does_nothing(acme, fake, twitter):
    Channel.objects.filter(pk=acme.pk).update(is_active=False)
    assert poll_channel(acme.pk).skipped == "the channel is inactive"
    assert poll_channel(twitter.pk).skipped == "import channels are not polled"
    assert poll_channel(987654).skipped == "no such channel"
    assert not fake.requests


def test_the_command_polls_one_channel_now_and_prints_json(acme, fake, capsys):
    fake.mention("hi")
    not_due_until(acme, 30)
    call_command("poll_channels", "--channel", "acme-mastodon", "--json")
    [shown] = json.loads(capsys.readouterr().out)
    assert (shown["channel"], shown["stored"], shown["error"]) == ("acme-mastodon", 1, "")
    assert shown["next_poll_at"]


def test_the_command_without_a_channel_polls_the_due_ones(acme, fake, capsys):
    later = mastodon_channel(fake, name="later")
    not_due_until(later, 30)
    fake.mention("hi")
    call_command("poll_channels")
    out = capsys.readouterr().out
    assert "acme-mastodon: 1 new, 0 already stored, 0 rejected; next poll" in out
    assert "later" not in out
    call_command("poll_channels")
    assert capsys.readouterr().out.strip() == "no channel is due for polling"


def test_the_command_fails_with_the_reason_when_a_poll_fails(acme, fake, capsys):
    fake.token = "revoked"  # noqa: S105
    with pytest.raises(CommandError, match="polling failed for acme-mastodon"):
        call_command("poll_channels", "--channel", "acme-mastodon")
    assert "acme-mastodon: failed: access token rejected" in capsys.readouterr().out


def test_the_command_names_what_cannot_be_polled(acme, twitter):
    with pytest.raises(CommandError, match="no channel named 'nope'"):
        call_command("poll_channels", "--channel", "nope")
    with pytest.raises(CommandError, match="twitter is not polled: its kind is import"):
        call_command("poll_channels", "--channel", "twitter")
    Channel.objects.filter(pk=acme.pk).update(is_active=False)
    with pytest.raises(CommandError, match="inactive"):
        call_command("poll_channels", "--channel", "acme-mastodon")


def test_one_channel_crashing_does_not_stop_the_others_from_the_command_line(acme, fake, monkeypatch):
    other = mastodon_channel(fake, name="other")
    fake.mention("hi")
    real_poll = polling.poll_channel

    def crash_on_acme(channel_id):
        if channel_id == acme.pk:
            raise RuntimeError("database went away")
        return real_poll(channel_id)

    monkeypatch.setattr(polling, "poll_channel", crash_on_acme)
    crashed, fine = polling.poll_due_now()
    assert crashed.error == "RuntimeError: database went away"
    assert (fine.channel, fine.stored) == (other.name, 1)
