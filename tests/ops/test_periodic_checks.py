"""`townsquare run`'s periodic checks: the safety nets for lost tasks and silent clocks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.care.routing_helpers import conv, on_duty
from tests.sla.helpers import converse, policy
from townsquare.care.models import AgentProfile, Presence
from townsquare.events.models import Event
from townsquare.inbox.models import Message
from townsquare.ops import periodic
from townsquare.replies.models import Reply
from townsquare.replies.send import send_reply
from townsquare.sla.clocks import start_clocks

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failing_job_does_not_stop_the_others(twitter, monkeypatch):
    policy(first_response_minutes=30)
    long_ago = timezone.now() - timedelta(hours=2)
    dana = converse(twitter, ("in", long_ago))
    start_clocks([dana.pk], now=long_ago)

    def broken(*args, **kwargs):
        raise RuntimeError("recovery failed")

    monkeypatch.setattr(periodic, "recover_stale", broken)
    periodic.run_periodic_checks("live-worker")
    assert Event.objects.filter(kind="sla.breached", conversation_id=dana.pk).exists()


def test_agents_without_a_heartbeat_go_offline_and_their_work_moves(twitter, alice, settings):
    settings.PRESENCE_TIMEOUT_SECONDS = 600
    profile = on_duty(alice)
    AgentProfile.objects.filter(pk=profile.pk).update(last_seen_at=timezone.now() - timedelta(minutes=11))
    held = conv(twitter, assignee=alice)
    periodic.run_periodic_checks("live-worker")
    profile.refresh_from_db()
    held.refresh_from_db()
    assert profile.presence == Presence.OFFLINE
    assert held.assignee_id is None


def test_someone_seen_recently_stays_online(alice, settings):
    settings.PRESENCE_TIMEOUT_SECONDS = 600
    profile = on_duty(alice)
    AgentProfile.objects.filter(pk=profile.pk).update(last_seen_at=timezone.now() - timedelta(minutes=2))
    periodic.run_periodic_checks("live-worker")
    profile.refresh_from_db()
    assert profile.presence == Presence.ONLINE


def test_a_reply_whose_delivery_task_was_lost_is_delivered(twitter, alice, settings):
    settings.TRIAGE_ON_INGEST = False
    dana = converse(twitter, ("in", timezone.now() - timedelta(minutes=10)))
    reply = send_reply(alice, dana, "Sorry Dana, your order left our warehouse today.")
    Reply.objects.filter(pk=reply.pk).update(send_after=timezone.now() - timedelta(minutes=2))
    periodic.run_periodic_checks("live-worker")
    reply.refresh_from_db()
    assert reply.status == "sent"
    assert Message.objects.filter(conversation=dana, direction="out").count() == 1


def test_a_reply_still_in_its_window_is_left_to_its_task(twitter, alice, settings):
    settings.TRIAGE_ON_INGEST = False
    dana = converse(twitter, ("in", timezone.now() - timedelta(minutes=10)))
    reply = send_reply(alice, dana, "Sorry Dana, your order left our warehouse today.")
    periodic.run_periodic_checks("live-worker")
    reply.refresh_from_db()
    assert reply.status == "scheduled"


def test_sqlite_statistics_are_refreshed_at_most_hourly():
    from django.db import connection

    if connection.vendor != "sqlite":
        assert periodic.refresh_sqlite_statistics(force=True) is False
        return
    assert periodic.refresh_sqlite_statistics(force=True) is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1")
        assert cursor.fetchone()[0] > 0
    assert periodic.refresh_sqlite_statistics() is False  # analysed a moment ago
