"""A community question Bob the ambassador holds, and a Twitter complaint Alice holds."""

import pytest

from tests.web.conftest import conversation
from townsquare.inbox.models import Channel, ChannelKind


@pytest.fixture
def forum(db):
    return Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)


@pytest.fixture
def bobs_question(forum, bob):
    held = conversation(forum, [("in", "How do I pair the controller with my TV?")], subject="Pairing")
    held.assignee = bob
    held.escalation_level = "ambassador"
    held.save()
    return held


@pytest.fixture
def alices_complaint(twitter, alice):
    held = conversation(twitter, [("in", "My order arrived broken")], subject="Broken order", status="open")
    held.assignee = alice
    held.save()
    return held


@pytest.fixture
def bearer():
    """bearer(user) -> headers with a fresh personal API token for that user."""
    from townsquare.people.tokens import create_token

    def headers_for(user) -> dict:
        return {"Authorization": f"Bearer {create_token(user, 'tests')[1]}"}

    return headers_for
