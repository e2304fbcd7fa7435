"""A question triage holds as spam is not care work until a moderator approves it."""

import pytest

from townsquare.community.moderation.actions import moderate
from townsquare.community.posting import ask
from townsquare.inbox.models import Message

pytestmark = pytest.mark.django_db


def test_held_then_approved(settings, members, devices_space, eve):
    settings.COMMUNITY_SPAM_HOLD_PERCENT = 0  # every new post is held for review
    topic = ask(members["dana"], devices_space, "Is my warranty still valid?", "I bought it in March.")
    topic.refresh_from_db()
    assert topic.visibility == "held" and topic.conversation_id is None
    assert not Message.objects.filter(external_id=f"topic:{topic.pk}").exists()

    moderate(eve, "approve", topic_id=topic.pk, reason="not spam: a real warranty question")
    topic.refresh_from_db()
    assert topic.conversation is not None
    assert topic.conversation.messages.get().external_id == f"topic:{topic.pk}"
