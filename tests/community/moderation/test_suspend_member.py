"""Eve suspends Farid until a time: he cannot post, vote or flag; it ends by itself or early."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.community.errors import CommunityError, Conflict, NotAllowed
from townsquare.community.members import member_of
from townsquare.community.models import ModerationAction, Notification, Suspension
from townsquare.community.moderation.flags import flag
from townsquare.community.moderation.suspensions import lift, suspend
from townsquare.community.posting import answer
from townsquare.community.voting import vote
from townsquare.events.models import Event
from townsquare.people.models import User

pytestmark = pytest.mark.django_db
REASON = "Insulted other members twice"


def fresh(user):
    """The user as their next request loads them (no cached member row)."""
    return User.objects.get(pk=user.pk)


def test_a_suspended_member_cannot_post_vote_or_flag(question, bobs_answer, members, eve, rule_3):
    dana = members["dana"]
    suspension = suspend(eve, dana.pk, days=3, reason=REASON, rule=3)
    assert member_of(fresh(dana)).suspended_until == suspension.until
    dana = fresh(dana)
    with pytest.raises(NotAllowed, match="suspended until"):
        answer(dana, question, "I still want to answer this one.")
    with pytest.raises(NotAllowed, match="suspended until"):
        vote(dana, post=bobs_answer, value=1)
    with pytest.raises(NotAllowed, match="suspended until"):
        flag(dana, post_id=bobs_answer.pk, reason="spam")
    logged = ModerationAction.objects.get()
    assert logged.action == "suspend" and logged.target_user == dana and logged.guideline == rule_3
    event = Event.objects.get(kind="community.moderated")
    assert (
        event.actor_id == eve.pk and event.data["target_user"] == dana.pk and event.data["reason"] == REASON
    )
    assert "suspended until" in Notification.objects.get(user=dana, kind="moderation").text


def test_the_suspension_ends_by_itself(question, members, eve):
    dana = members["dana"]
    suspension = suspend(eve, dana.pk, days=1, reason=REASON)
    # A day later, nothing ran: the check is by time.
    Suspension.objects.filter(pk=suspension.pk).update(until=timezone.now() - timedelta(seconds=1))
    profile = member_of(fresh(dana))
    profile.suspended_until = timezone.now() - timedelta(seconds=1)
    profile.save()
    assert answer(fresh(dana), question, "Back again with an answer.").pk
    with pytest.raises(Conflict, match="expired"):
        lift(eve, suspension.pk, reason="Already served")


def test_eve_lifts_a_suspension_early(question, members, eve):
    dana = members["dana"]
    suspension = suspend(eve, dana.pk, until=timezone.now() + timedelta(days=7), reason=REASON)
    lift(eve, suspension.pk, reason="Apologised to everyone")
    assert member_of(fresh(dana)).suspended_until is None
    assert answer(fresh(dana), question, "Thanks, I will keep it friendly.").pk
    assert ModerationAction.objects.first().action == "unsuspend"
    with pytest.raises(Conflict, match="already lifted"):
        lift(eve, suspension.pk, reason="Apologised to everyone")


def test_a_new_suspension_replaces_the_current_one(members, eve):
    first = suspend(eve, members["dana"].pk, days=1, reason=REASON)
    second = suspend(eve, members["dana"].pk, days=30, reason="Kept insulting members")
    first.refresh_from_db()
    assert first.lifted_at is not None and member_of(fresh(members["dana"])).suspended_until == second.until


def test_staff_and_oneself_cannot_be_suspended(members, eve, alice, carol, grace):
    for staff in (alice, carol, grace):
        with pytest.raises(NotAllowed, match="staff accounts"):
            suspend(eve, staff.pk, days=1, reason=REASON)
    with pytest.raises(CommunityError, match="yourself"):
        suspend(eve, eve.pk, days=1, reason=REASON)
    for bad in ({"days": 0}, {"until": timezone.now() - timedelta(hours=1)}, {}, {"days": 5000}):
        with pytest.raises(CommunityError):
            suspend(eve, members["dana"].pk, reason=REASON, **bad)
    assert not Suspension.objects.exists()
