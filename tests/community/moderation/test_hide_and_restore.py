"""Eve hides an answer with a written reason and the rule it breaks; the author is told why."""

import pytest

from townsquare.community.errors import CommunityError, Conflict
from townsquare.community.members import member_of
from townsquare.community.models import Flag, ModerationAction, Notification, Topic, Visibility
from townsquare.community.moderation.actions import moderate
from townsquare.community.moderation.flags import flag
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def test_eve_hides_bobs_answer_citing_rule_3(bobs_answer, question, members, eve, rule_3):
    dana = members["dana"]
    flag(dana, post_id=bobs_answer.pk, reason="rule", rule=3)
    entry = moderate(eve, "hide", post_id=bobs_answer.pk, reason="Referral link to a shop", rule=3)
    bobs_answer.refresh_from_db()
    assert bobs_answer.visibility == Visibility.HIDDEN
    assert bobs_answer.visibility_reason == (
        "Hidden by a moderator: Referral link to a shop (rule 3: No referral links)"
    )
    assert Topic.objects.get(pk=question.pk).answer_count == 0
    assert entry.moderator == eve and entry.guideline == rule_3 and entry.target_user == members["bob"]
    event = Event.objects.get(kind="community.moderated")
    assert event.actor_id == eve.pk
    assert event.data | {} == event.data and {
        key: event.data[key] for key in ("action", "topic", "post", "target_user", "guideline", "reason")
    } == {
        "action": "hide",
        "topic": question.pk,
        "post": bobs_answer.pk,
        "target_user": members["bob"].pk,
        "guideline": rule_3.pk,
        "reason": "Referral link to a shop",
    }
    # Dana's flag was right: it is upheld and counts for her.
    assert Flag.objects.get().status == "upheld"
    assert member_of(dana).__class__.objects.get(user=dana).flags_upheld == 1
    assert event.data["upheld_flags"] == [{"flag": Flag.objects.get().pk, "reporter": dana.pk}]
    notice = Notification.objects.get(user=members["bob"], kind="moderation")
    assert "Referral link to a shop (rule 3: No referral links)" in notice.text and notice.actor == eve


def test_eve_restores_it_and_bob_is_told(bobs_answer, question, members, eve):
    moderate(eve, "hide", post_id=bobs_answer.pk, reason="Looks like an advert")
    with pytest.raises(Conflict, match="already hidden"):
        moderate(eve, "hide", post_id=bobs_answer.pk, reason="Looks like an advert")
    moderate(eve, "restore", post_id=bobs_answer.pk, reason="Checked: the link is the maker's manual")
    bobs_answer.refresh_from_db()
    assert bobs_answer.visibility == Visibility.VISIBLE and bobs_answer.visibility_reason == ""
    assert Topic.objects.get(pk=question.pk).answer_count == 1
    assert list(ModerationAction.objects.values_list("action", flat=True)) == ["restore", "hide"]
    assert Notification.objects.filter(user=members["bob"], kind="moderation").count() == 2
    with pytest.raises(Conflict, match="not hidden"):
        moderate(eve, "restore", post_id=bobs_answer.pk, reason="again, by mistake")


def test_every_action_needs_a_written_reason(bobs_answer, question, eve):
    for reason in ("", "   ", "ok"):
        with pytest.raises(CommunityError, match="reason of at least"):
            moderate(eve, "hide", post_id=bobs_answer.pk, reason=reason)
    with pytest.raises(CommunityError, match="action must be one of"):
        moderate(eve, "delete", post_id=bobs_answer.pk, reason="Spam from a bot")
    with pytest.raises(CommunityError, match="rule 7 does not exist"):
        moderate(eve, "hide", post_id=bobs_answer.pk, reason="Spam from a bot", rule=7)
    with pytest.raises(CommunityError, match="applies to a topic"):
        moderate(eve, "close", post_id=bobs_answer.pk, reason="Spam from a bot")
    bobs_answer.refresh_from_db()
    assert bobs_answer.visibility == Visibility.VISIBLE
    assert not ModerationAction.objects.exists()
    assert not Event.objects.filter(kind="community.moderated").exists()


def test_a_repealed_rule_cannot_be_cited(bobs_answer, eve, rule_3):
    rule_3.is_active = False
    rule_3.save()
    with pytest.raises(CommunityError, match="repealed"):
        moderate(eve, "hide", post_id=bobs_answer.pk, reason="Referral link", guideline_id=rule_3.pk)
