"""A post held as spam tells nobody; once a moderator approves it, its notifications go out."""

import pytest

from townsquare.community.models import Post, Subscription
from townsquare.community.moderation.actions import moderate
from townsquare.community.posting import answer

from .conftest import told

pytestmark = pytest.mark.django_db


def test_held_answer_notifies_after_approval(settings, question, members, eve):
    settings.COMMUNITY_SPAM_HOLD_PERCENT = 0  # every new post is held
    held = answer(members["bob"], question, "Hold the power button, @dana knows too.")
    assert held.visibility == "held"
    assert told(members["farid"]) == [] and told(members["dana"]) == []
    # Bob follows the topic already, so he hears what happens next once he is approved.
    assert Subscription.objects.filter(topic=question, user=members["bob"]).exists()
    moderate(eve, "approve", post_id=held.pk, reason="not spam, a real answer")
    assert Post.objects.get(pk=held.pk).visibility == "visible"
    assert ("answer", "Bob answered your topic “My headphones will not pair”") in told(members["farid"])
    assert told(members["dana"]) == [("mention", "Bob mentioned you in “My headphones will not pair”")]
    assert [kind for kind, _ in told(members["bob"]) if kind != "moderation"] == []
    assert told(eve) == []
