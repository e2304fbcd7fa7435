"""Claiming, assigning and releasing: one owner at a time, within capacity, and only what you can see."""

import pytest

from tests.care.routing_helpers import conv, events, on_duty, owner, queue, team
from townsquare.api.errors import NotFound
from townsquare.care.claims import (
    AlreadyAssigned,
    AtCapacity,
    ClaimError,
    NotAssignable,
    NotAvailable,
    assign,
    claim,
    unassign,
)
from townsquare.care.models import AgentProfile, Presence
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.inbox.visibility import Forbidden

pytestmark = pytest.mark.django_db


def test_alice_claims_and_bruno_cannot_claim_it_too(twitter, alice, bruno):
    on_duty(alice)
    on_duty(bruno)
    waiting = conv(twitter)
    claim(alice, waiting)
    with pytest.raises(AlreadyAssigned, match="already assigned to alice"):
        claim(bruno, waiting.pk)
    assert owner(waiting) == alice
    [assigned] = events("conversation.assigned", waiting)
    assert assigned.actor_id == alice.pk
    assert assigned.data == {"assignee_id": alice.pk, "queue_id": None, "via": "claim"}
    assert AgentProfile.objects.get(user=alice).last_assigned_at is not None


def test_capacity_counts_new_and_open_only(twitter, alice):
    on_duty(alice, capacity=1)
    conv(twitter, status="pending", assignee=alice)  # waiting on the customer: not load
    claim(alice, conv(twitter))
    with pytest.raises(AtCapacity, match="1 open conversation and a capacity of 1"):
        claim(alice, conv(twitter))


def test_away_offline_and_profileless_people_take_nothing(twitter, alice, bruno, carol):
    on_duty(alice, presence=Presence.AWAY)
    on_duty(bruno, presence=Presence.OFFLINE)
    waiting = conv(twitter)
    for person in (alice, bruno, carol):  # Carol has no profile yet: offline
        with pytest.raises(NotAvailable):
            claim(person, waiting)
    assert owner(waiting) is None


def test_resolved_conversations_are_not_claimed(twitter, alice):
    on_duty(alice)
    with pytest.raises(NotAssignable, match="reopen"):
        claim(alice, conv(twitter, status="resolved"))


def test_what_you_cannot_see_is_not_found(twitter, alice):
    devices = team("Devices")
    hidden = conv(twitter, queue=queue("Devices", team=devices))
    on_duty(alice)
    with pytest.raises(NotFound):
        claim(alice, hidden)
    with pytest.raises(NotFound):
        claim(alice, 999_999)


def test_carol_reassigns_and_forces_over_capacity(twitter, carol, alice, bruno):
    on_duty(alice, capacity=0)
    on_duty(bruno)
    waiting = conv(twitter)
    assign(carol, waiting, bruno)
    with pytest.raises(AtCapacity):
        assign(carol, waiting, alice)
    assign(carol, waiting, alice, force=True)
    assert owner(waiting) == alice
    unassigned = events("conversation.unassigned", waiting)
    assert [e.data for e in unassigned] == [{"reason": "reassigned to alice", "assignee_id": bruno.pk}]
    assert [e.data["via"] for e in events("conversation.assigned", waiting)] == ["manual", "manual"]
    with pytest.raises(AlreadyAssigned):
        assign(carol, waiting, alice)


def test_supervisors_cannot_give_care_conversations_to_ambassadors(twitter, carol, bob):
    on_duty(bob)
    with pytest.raises(NotAssignable, match="only community conversations"):
        assign(carol, conv(twitter), bob, force=True)
    forum = Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    question = conv(forum)
    assign(carol, question, bob)
    assert owner(question) == bob


def test_agents_assign_only_to_themselves(twitter, alice, bruno):
    on_duty(alice)
    on_duty(bruno)
    waiting = conv(twitter)
    with pytest.raises(Forbidden):
        assign(alice, waiting, bruno)
    assign(alice, waiting, alice)
    assert owner(waiting) == alice


def test_release_and_unassign(twitter, alice, bruno, carol):
    on_duty(alice)
    held = conv(twitter, assignee=alice)
    with pytest.raises(Forbidden):
        unassign(bruno, held)
    assert unassign(alice, held) == alice.pk
    assert owner(held) is None
    assert events("conversation.unassigned", held)[-1].data == {"reason": "released", "assignee_id": alice.pk}
    with pytest.raises(ClaimError, match="not assigned"):
        unassign(alice, held)
    held.assignee = bruno
    held.save()
    unassign(carol, held, reason="shift change")
    assert events("conversation.unassigned", held)[-1].data == {
        "reason": "shift change",
        "assignee_id": bruno.pk,
    }


def test_a_released_conversation_goes_to_someone_else(
    twitter, alice, bruno, django_capture_on_commit_callbacks
):
    general = queue("General")
    on_duty(alice, queues=[general])
    on_duty(bruno, queues=[general])
    held = conv(twitter, queue=general, assignee=alice)
    with django_capture_on_commit_callbacks(execute=True):
        unassign(alice, held)
    assert owner(held) == bruno
