"""Farid asks, Bob answers, Farid accepts: the core of peer support."""

import pytest

from townsquare.community.accepting import accept, unaccept
from townsquare.community.errors import CommunityError, Conflict, NotAllowed
from townsquare.community.models import Topic
from townsquare.community.posting import answer, ask, comment
from townsquare.community.voting import mark_helpful, vote
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def test_a_question_is_asked_answered_and_accepted(devices_space, members, alice):
    farid, bob = members["farid"], members["bob"]
    topic = ask(
        farid,
        devices_space,
        "My headphones will not pair",
        "They blink red and never connect.",
        tags=["pairing"],
    )
    assert topic.language == "en" and topic.visibility == "visible"
    assert list(topic.tags.values_list("name", flat=True)) == ["pairing"]
    staff_answer = answer(alice, topic, "Hold the button for ten seconds to reset them.")
    peer_answer = answer(bob, topic, "Reset them: hold the power button for ten seconds, then pair again.")
    comment(farid, topic, "Thanks, trying now", parent=peer_answer)
    accept(farid, peer_answer)
    topic.refresh_from_db()
    assert topic.accepted_post_id == peer_answer.pk and topic.answer_count == 2
    event = Event.objects.get(kind="community.answer_accepted")
    assert event.data["peer"] is True and event.data["answerer"] == bob.pk
    with pytest.raises(Conflict):
        accept(farid, staff_answer)


def test_only_the_asker_or_staff_accept(devices_space, members, alice):
    farid, bob, dana = members["farid"], members["bob"], members["dana"]
    topic = ask(farid, devices_space, "Battery drains overnight", "Even when switched off.")
    reply = answer(bob, topic, "Turn off the always-listening feature.")
    with pytest.raises(NotAllowed):
        accept(dana, reply)
    accept(alice, reply)
    event = Event.objects.filter(kind="community.answer_accepted").get()
    assert event.actor_id == alice.pk
    unaccept(farid, Topic.objects.get(pk=topic.pk))
    assert Topic.objects.get(pk=topic.pk).accepted_post_id is None


def test_a_comment_cannot_be_accepted_and_votes_follow_trust_levels(devices_space, members):
    farid, bob, dana = members["farid"], members["bob"], members["dana"]
    topic = ask(dana, devices_space, "Which charger do I need?", "For the new model.")
    note = comment(bob, topic, "Any USB-C one.")
    with pytest.raises(CommunityError):
        accept(dana, note)
    reply = answer(bob, topic, "Any USB-C charger of 20 W or more.")
    with pytest.raises(NotAllowed, match="trust level 1"):
        vote(farid, post=reply, value=1)
    assert vote(dana, post=reply, value=1) == 1
    with pytest.raises(NotAllowed, match="trust level 2"):
        vote(dana, post=reply, value=-1)
    assert vote(dana, post=reply, value=0) == 0
    with pytest.raises(NotAllowed, match="own post"):
        vote(bob, post=reply, value=1)
    assert mark_helpful(farid, reply) == 1
    assert mark_helpful(farid, reply) == 1  # marking twice changes nothing


def test_links_need_trust_level_one(devices_space, members):
    with pytest.raises(NotAllowed, match="links"):
        ask(members["farid"], devices_space, "Look at this page", "See https://example.com/page")
    topic = ask(members["dana"], devices_space, "Look at this page", "See https://example.com/page")
    assert 'rel="nofollow ugc noopener"' in topic.body_html


def test_brand_staff_cannot_post_a_pitch_in_a_support_space(devices_space, members, alice):
    topic = ask(members["farid"], devices_space, "Screen flickers", "Since the update.")
    with pytest.raises(CommunityError, match="reply guard"):
        answer(alice, topic, "Use code SAVE20 for 20% off a new screen!")
