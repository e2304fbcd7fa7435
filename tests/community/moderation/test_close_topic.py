"""Eve closes a topic that has run its course, and reopens it."""

import pytest

from townsquare.community.errors import CommunityError, Conflict
from townsquare.community.models import ModerationAction, Notification
from townsquare.community.moderation.actions import moderate
from townsquare.community.posting import answer

pytestmark = pytest.mark.django_db


def test_eve_closes_and_reopens_a_topic(question, members, eve):
    moderate(eve, "close", topic_id=question.pk, reason="Solved; the thread turned into arguments")
    question.refresh_from_db()
    assert question.is_closed
    with pytest.raises(CommunityError, match="closed"):
        answer(members["bob"], question, "One more idea for this question.")
    with pytest.raises(Conflict, match="already closed"):
        moderate(eve, "close", topic_id=question.pk, reason="Solved; closing again")
    moderate(eve, "reopen", topic_id=question.pk, reason="New firmware, new problems")
    question.refresh_from_db()
    assert not question.is_closed
    assert list(ModerationAction.objects.values_list("action", flat=True)) == ["reopen", "close"]
    assert Notification.objects.filter(user=members["farid"], kind="moderation").count() == 2
