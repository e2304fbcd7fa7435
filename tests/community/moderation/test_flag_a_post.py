"""Members of trust level 1 and up flag a post once; three flags (or one trusted flag) hide it."""

import pytest

from tests.community.conftest import at_trust_level
from tests.conftest import make_user
from townsquare.community.errors import CommunityError, Conflict, NotAllowed
from townsquare.community.models import Flag, ModerationAction, Notification, Topic, Visibility
from townsquare.community.moderation.flags import flag
from townsquare.events.models import Event
from townsquare.people.models import Role

pytestmark = pytest.mark.django_db


def member(name: str, level: int):
    return at_trust_level(make_user(name, Role.CUSTOMER, ["en"]), level)


def test_dana_flags_bobs_answer_once(bobs_answer, members):
    dana = members["dana"]
    created = flag(dana, post_id=bobs_answer.pk, reason="spam", note="a link to a shop")
    assert created.status == "open" and created.post_id == bobs_answer.pk
    event = Event.objects.get(kind="community.flagged")
    assert event.actor_id == dana.pk and event.data["post"] == bobs_answer.pk
    with pytest.raises(Conflict, match="already flagged"):
        flag(dana, post_id=bobs_answer.pk, reason="offensive")
    bobs_answer.refresh_from_db()
    assert bobs_answer.visibility == Visibility.VISIBLE  # one ordinary flag hides nothing


def test_new_members_and_suspended_members_cannot_flag(bobs_answer, members):
    with pytest.raises(NotAllowed, match="trust level 1"):
        flag(members["farid"], post_id=bobs_answer.pk, reason="spam")
    from datetime import timedelta

    from django.utils import timezone

    from townsquare.community.members import member_of

    dana = members["dana"]
    profile = member_of(dana)
    profile.suspended_until = timezone.now() + timedelta(days=1)
    profile.save()
    with pytest.raises(NotAllowed, match="suspended"):
        flag(dana, post_id=bobs_answer.pk, reason="spam")
    assert not Flag.objects.exists()


def test_bad_flags_are_refused_with_a_reason(bobs_answer, question, members, rule_3):
    bob, dana = members["bob"], members["dana"]
    with pytest.raises(CommunityError, match="your own"):
        flag(bob, post_id=bobs_answer.pk, reason="spam")
    with pytest.raises(CommunityError, match="reason must be one of"):
        flag(dana, post_id=bobs_answer.pk, reason="boring")
    with pytest.raises(CommunityError, match="rule number"):
        flag(dana, post_id=bobs_answer.pk, reason="rule")
    with pytest.raises(CommunityError, match="rule 9 does not exist"):
        flag(dana, post_id=bobs_answer.pk, reason="rule", rule=9)
    with pytest.raises(CommunityError, match="either a topic or a post"):
        flag(dana, reason="spam")
    assert not Flag.objects.exists()
    cited = flag(dana, topic_id=question.pk, reason="rule", rule=3)
    assert cited.guideline == rule_3 and cited.post is None


def test_three_flags_from_different_members_hide_the_answer(bobs_answer, question, members):
    flaggers = [members["dana"], member("hana", 1), member("ivan", 2)]
    flag(flaggers[0], post_id=bobs_answer.pk, reason="spam")
    flag(flaggers[1], post_id=bobs_answer.pk, reason="spam")
    bobs_answer.refresh_from_db()
    assert bobs_answer.visibility == Visibility.VISIBLE
    assert Topic.objects.get(pk=question.pk).answer_count == 1
    flag(flaggers[2], post_id=bobs_answer.pk, reason="offensive")
    bobs_answer.refresh_from_db()
    assert bobs_answer.visibility == Visibility.HIDDEN
    assert "until a moderator reviews it" in bobs_answer.visibility_reason
    assert Topic.objects.get(pk=question.pk).answer_count == 0
    logged = ModerationAction.objects.get()
    assert logged.action == "hide" and logged.moderator is None and logged.data["automatic"] is True
    assert "3 flags" in logged.reason
    event = Event.objects.get(kind="community.moderated")
    assert event.actor_id == flaggers[2].pk and event.data["action"] == "hide"
    assert Notification.objects.get(user=members["bob"], kind="moderation").post_id == bobs_answer.pk
    # Everyone's flag stays open for the moderator to uphold or dismiss.
    assert Flag.objects.filter(status="open").count() == 3


def test_one_flag_from_a_trust_level_3_member_hides_the_question(question, members):
    flag(members["bob"], topic_id=question.pk, reason="off_topic")
    question.refresh_from_db()
    assert question.visibility == Visibility.HIDDEN
    with pytest.raises(CommunityError, match="not shown"):
        flag(members["dana"], topic_id=question.pk, reason="spam")
