"""Going offline hands your open conversations to someone else; coming online picks up what waits."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.care.routing_helpers import conv, events, on_duty, owner, queue
from townsquare.care.models import AgentProfile, Presence
from townsquare.care.presence import set_presence
from townsquare.inbox.visibility import Forbidden

pytestmark = pytest.mark.django_db


@pytest.fixture
def general(db):
    return queue("General")


def test_alice_goes_offline_and_bruno_gets_her_open_conversations(twitter, alice, bruno, general):
    on_duty(alice, queues=[general])
    on_duty(bruno, queues=[general])
    open_one = conv(twitter, queue=general, assignee=alice, status="open")
    pending = conv(twitter, queue=general, assignee=alice, status="pending")
    set_presence(alice, Presence.OFFLINE)
    assert owner(open_one) == bruno
    assert owner(pending) == alice  # waiting on the customer: she keeps it
    [released] = events("conversation.unassigned", open_one)
    assert released.data == {"reason": "agent offline", "assignee_id": alice.pk}
    [assigned] = events("conversation.assigned", open_one)
    assert assigned.data["via"] == "reassign" and assigned.data["assignee_id"] == bruno.pk


def test_nobody_free_leaves_them_queued_until_someone_comes_online(twitter, alice, bruno, general):
    on_duty(alice, queues=[general])
    on_duty(bruno, queues=[general], presence=Presence.OFFLINE)
    held = conv(twitter, queue=general, assignee=alice)
    set_presence(alice, Presence.OFFLINE)
    assert owner(held) is None
    set_presence(bruno, Presence.ONLINE)
    assert owner(held) == bruno


def test_away_keeps_what_you_have_but_gets_nothing_new(twitter, alice, general):
    on_duty(alice, queues=[general])
    held = conv(twitter, queue=general, assignee=alice)
    set_presence(alice, Presence.AWAY)
    waiting = conv(twitter, queue=general)
    set_presence(alice, Presence.AWAY)
    assert owner(held) == alice and owner(waiting) is None
    assert [e.data for e in events("agent.presence_changed")] == [
        {"user_id": alice.pk, "from": "online", "to": "away"}
    ]


def test_bad_presence_and_roles_without_work(alice, eve):
    with pytest.raises(ValueError, match="presence must be one of"):
        set_presence(alice, "asleep")
    with pytest.raises(Forbidden):
        set_presence(eve, Presence.ONLINE)


def test_the_stale_sweep_sets_unseen_agents_offline(twitter, alice, bruno, general):
    on_duty(alice, queues=[general])
    on_duty(bruno, queues=[general])
    set_presence(alice, Presence.ONLINE)
    set_presence(bruno, Presence.ONLINE)
    AgentProfile.objects.filter(user=alice).update(last_seen_at=timezone.now() - timedelta(minutes=30))
    held = conv(twitter, queue=general, assignee=alice)
    call_command("sweep_presence", "--minutes", "15")
    assert AgentProfile.objects.get(user=alice).presence == Presence.OFFLINE
    assert AgentProfile.objects.get(user=bruno).presence == Presence.ONLINE
    assert owner(held) == bruno


def test_resolving_one_frees_room_for_the_next_waiting_one(
    twitter, alice, general, django_capture_on_commit_callbacks
):
    from townsquare.replies.status import change_status

    on_duty(alice, capacity=1, queues=[general])
    held = conv(twitter, queue=general, assignee=alice, status="open")
    waiting = conv(twitter, queue=general)
    with django_capture_on_commit_callbacks(execute=True):
        change_status(alice, held, "pending")
    assert owner(waiting) == alice
