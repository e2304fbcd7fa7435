"""Trust levels follow the rules table: members are promoted as they take part, a regular who stops
meeting the rules drops back, and a level staff set stays where they put it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.community import trust
from townsquare.community.accepting import accept
from townsquare.community.events import record_community
from townsquare.community.ledger import recompute
from townsquare.community.members import member_of
from townsquare.community.models import Member, Notification
from townsquare.community.posting import answer, ask
from townsquare.community.voting import vote
from townsquare.events.models import Event
from townsquare.ops import periodic

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def facts(**values):
    base = {"reputation": 0, "topics": 0, "answers": 0, "accepted": 0, "joined_at": NOW, "at": NOW}
    flags = values.pop("recent_flags", 0)
    return trust.Facts(**{**base, **values}, recent_flags=lambda: flags)


def test_the_rules_table_decides_each_level():
    assert trust.earned_level(facts()) == 0
    assert trust.earned_level(facts(topics=1)) == 0  # posted, but new and no reputation
    assert trust.earned_level(facts(topics=1, joined_at=NOW - timedelta(days=3))) == 1
    assert trust.earned_level(facts(answers=1, reputation=10)) == 1
    assert trust.earned_level(facts(answers=5, reputation=50, accepted=1)) == 2
    regular = {"answers": 20, "accepted": 10, "reputation": 250}
    assert trust.earned_level(facts(**regular)) == 3
    assert trust.earned_level(facts(**regular, recent_flags=1)) == 2
    # Level 4 is never automatic; a locked level never moves.
    assert trust.next_level(3, False, facts(**regular), may_demote=True) is None
    assert trust.next_level(0, True, facts(**regular), may_demote=True) is None


def test_demotion_only_from_regular_and_only_when_something_went_against_the_member():
    assert trust.next_level(2, False, facts(), may_demote=True) is None  # levels 1-2 are kept
    assert trust.next_level(3, False, facts(), may_demote=False) is None
    level, reason = trust.next_level(
        3, False, facts(answers=20, accepted=10, reputation=240), may_demote=True
    )
    assert level == 2 and "reputation" in reason


def test_a_member_is_promoted_as_they_take_part(devices_space, members, eve):
    farid, bob = members["farid"], members["bob"]
    topic = ask(farid, devices_space, "Battery drains overnight", "Even when it is switched off.")
    assert Member.objects.get(user=farid).trust_level == 0
    vote(eve, topic=topic, value=1)
    vote(bob, topic=topic, value=1)  # 10 reputation and a question posted
    assert Member.objects.get(user=farid).trust_level == 1
    event = Event.objects.get(kind="community.trust_level_changed")
    assert event.data == {
        "user": farid.pk,
        "from": 0,
        "to": 1,
        "reason": "met the rules for trust level 1 (basic)",
        "source": "rules",
    }
    assert event.actor_id == bob.pk  # whose action it followed
    told = Notification.objects.get(user=farid, kind="trust_level")
    assert told.text == "Your trust level went up to 1 (basic): met the rules for trust level 1 (basic)."


def test_an_upheld_flag_drops_a_regular_to_member(members, eve):
    dana = members["dana"]
    Member.objects.filter(user=dana).update(
        trust_level=3, answers_posted=25, accepted_answers=12, reputation=300
    )
    record_community(
        "community.moderated",
        actor=eve,
        data={
            "action": "hide",
            "target_user": dana.pk,
            "upheld_flags": [{"flag": 7, "reporter": eve.pk}],
            "reason": "rude",
        },
    )
    member = Member.objects.get(user=dana)
    assert member.trust_level == 2
    change = Event.objects.get(kind="community.trust_level_changed")
    assert "upheld flags" in change.data["reason"] and change.data["to"] == 2


def test_a_level_set_by_staff_is_locked(devices_space, members, eve):
    farid = members["farid"]
    trust.set_trust_level(eve, farid, 2, reason="trusted from the old forum")
    topic = ask(farid, devices_space, "Which charger do I need?", "For the new model.")
    vote(eve, topic=topic, value=-1)
    member = Member.objects.get(user=farid)
    assert (member.trust_level, member.trust_level_locked) == (2, True)


def test_only_moderators_set_levels_and_only_to_real_levels(members, eve, alice):
    with pytest.raises(trust.NotAllowed):
        trust.set_trust_level(alice, members["farid"], 3)
    with pytest.raises(trust.CommunityError):
        trust.set_trust_level(eve, members["farid"], 5)
    assert not Event.objects.filter(kind="community.trust_level_changed").exists()


def test_progress_lists_each_requirement_with_have_and_need(members):
    dana = member_of(members["dana"])  # level 1
    progress = trust.next_level_progress(dana)
    assert progress["next"] == 2
    assert [(s.label, s.have, s.need, s.met) for s in progress["steps"]] == [
        ("answers posted", 0, 5, False),
        ("reputation", 0, 50, False),
        ("accepted answers", 0, 1, False),
    ]
    bob = member_of(members["bob"])  # level 3
    assert trust.next_level_progress(bob)["next"] is None


def test_accepting_answers_promotes_to_member(devices_space, members, eve):
    farid, dana = members["farid"], members["dana"]
    for number in range(5):
        topic = ask(farid, devices_space, f"Question number {number} about pairing", "It does not pair.")
        reply = answer(dana, topic, "Hold the power button for ten seconds, then pair again.")
        vote(eve, post=reply, value=1)
        if number == 0:
            accept(farid, reply)
    member = Member.objects.get(user=dana)
    assert (member.answers_posted, member.accepted_answers, member.reputation) == (5, 1, 65)
    assert member.trust_level == 2


def test_time_alone_promotes_a_member_who_posted_once(devices_space, members):
    """Farid asked once; three days later the periodic sweep makes him basic, and the recompute agrees."""
    farid = members["farid"]
    ask(farid, devices_space, "Which charger do I need?", "For the new model.")
    assert trust.promote_by_time() == []  # joined today
    Member.objects.filter(user=farid).update(joined_at=timezone.now() - timedelta(days=4))
    assert periodic.promote_trust_by_time(force=True)  # what `townsquare run` does once an hour
    assert Member.objects.get(user=farid).trust_level == 1
    assert trust.promote_by_time() == []
    changed = dict(recompute(write=False).changed)  # Bob and Dana's levels were set by fixtures
    assert farid.pk not in changed and set(changed) == {members["bob"].pk, members["dana"].pk}
