"""Alice reads a conversation's clocks: due, met, breached and business time left."""

import pytest
from django.utils import timezone

from tests.sla.helpers import converse, minutes, policy
from townsquare.sla.clocks import on_outbound_reply, start_clocks

pytestmark = pytest.mark.django_db


def url(conversation_id) -> str:
    return f"/api/v1/conversations/{conversation_id}/sla"


def test_alice_sees_running_and_met_clocks(client, alice, twitter, bearer):
    policy(warn_before_minutes=15)
    now = timezone.now()
    dana = converse(twitter, ("in", now - minutes(50)))
    start_clocks([dana.pk], now=now - minutes(50))
    body = client.get(url(dana.pk), headers=bearer(alice)).json()
    assert body["policy_name"] == "Standard"
    assert body["calendar_name"] is None
    first, resolution = body["clocks"]
    assert first["metric"] == "first_response"
    assert first["state"] == "warning"  # 10 minutes left, warned 15 minutes ahead
    assert 500 < first["business_seconds_left"] <= 600
    assert resolution["state"] == "running"
    on_outbound_reply(dana, now=now - minutes(5))
    first = client.get(url(dana.pk), headers=bearer(alice)).json()["clocks"][0]
    assert first["state"] == "met"
    assert first["business_seconds_left"] is None


def test_an_overdue_clock_reads_breached_with_negative_time_left(client, alice, twitter, bearer):
    policy()
    now = timezone.now()
    dana = converse(twitter, ("in", now - minutes(90)))
    start_clocks([dana.pk], now=now - minutes(90))
    first = client.get(url(dana.pk), headers=bearer(alice)).json()["clocks"][0]
    assert first["state"] == "breached"
    assert first["breached"] is True
    assert -1900 < first["business_seconds_left"] < -1700


def test_a_conversation_without_clocks_says_so(client, alice, twitter, bearer):
    chatter = converse(twitter, ("in", timezone.now()), invites_reply=False)
    body = client.get(url(chatter.pk), headers=bearer(alice)).json()
    assert body["clocks"] == [] and body["sla_due_at"] is None and body["policy_id"] is None


def test_unknown_and_invisible_conversations_are_404(client, alice, bob, twitter, bearer):
    assert client.get(url(424242), headers=bearer(alice)).status_code == 404
    assert client.get(url(0), headers=bearer(alice)).status_code == 422
    tweet = converse(twitter, ("in", timezone.now()))
    # Bob the ambassador sees community conversations only.
    assert client.get(url(tweet.pk), headers=bearer(bob)).status_code == 404


def test_customers_have_no_access(client, farid, twitter, bearer):
    tweet = converse(twitter, ("in", timezone.now()))
    assert client.get(url(tweet.pk), headers=bearer(farid)).status_code == 403
