"""Eve edits out a referral link with a reason; the old text stays in the moderators' log only."""

import pytest

from townsquare.community.errors import CommunityError
from townsquare.community.models import ModerationAction, Notification
from townsquare.community.moderation import log
from townsquare.community.moderation.actions import moderate
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def test_eve_edits_bobs_answer(bobs_answer, members, eve, rule_3):
    old = bobs_answer.body
    moderate(
        eve,
        "edit",
        post_id=bobs_answer.pk,
        body="Hold the power button for ten seconds.",
        reason="Removed a referral code",
        rule=3,
    )
    bobs_answer.refresh_from_db()
    assert bobs_answer.body == "Hold the power button for ten seconds." and bobs_answer.edited_by == eve
    assert "ten seconds" in bobs_answer.body_html
    assert Event.objects.get(kind="community.post_edited").actor_id == eve.pk
    assert ModerationAction.objects.get().data["before"] == {"body": old}
    assert "before" not in Event.objects.get(kind="community.moderated").data
    (public,) = log.entries()
    assert public.details is None and public.rule == 3
    (full,) = log.entries(full=True)
    assert full.details["before"] == {"body": old}
    assert "Removed a referral code" in Notification.objects.get(user=members["bob"], kind="moderation").text


def test_eve_retitles_a_topic(question, eve):
    moderate(eve, "edit", topic_id=question.pk, title="Headphones do not pair", reason="Clearer title")
    question.refresh_from_db()
    assert question.title == "Headphones do not pair"
    assert Event.objects.get(kind="community.topic_edited").data["fields"] == ["title"]


def test_an_edit_needs_new_text(bobs_answer, eve):
    with pytest.raises(CommunityError, match="give the new body"):
        moderate(eve, "edit", post_id=bobs_answer.pk, reason="Removed a referral code")
    with pytest.raises(CommunityError, match="no title"):
        moderate(eve, "edit", post_id=bobs_answer.pk, title="A title", reason="Removed a referral code")
    with pytest.raises(CommunityError, match="body must have"):
        moderate(eve, "edit", post_id=bobs_answer.pk, body="  ", reason="Removed a referral code")
    assert not ModerationAction.objects.exists()
