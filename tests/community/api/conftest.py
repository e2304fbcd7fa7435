"""The community API's stories: Farid's question on the Devices space, answered by Bob."""

import pytest
from django.core.cache import cache

from townsquare.community.posting import answer, ask
from townsquare.people.tokens import create_token

API = "/api/v1/community"


@pytest.fixture(autouse=True)
def fresh_cache():
    # The public rate limit counts in the cache; each test starts with none used.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bearer():
    """bearer(user) -> headers with a fresh personal token for that user."""

    def headers_for(user) -> dict:
        _, plaintext = create_token(user, "tests")
        return {"Authorization": f"Bearer {plaintext}"}

    return headers_for


@pytest.fixture
def question(devices_space, members):
    """Farid asks why his headphones will not pair; Bob answers."""
    topic = ask(
        members["farid"],
        devices_space,
        "My headphones will not pair",
        "They blink red and never connect.",
        tags=["pairing"],
    )
    reply = answer(members["bob"], topic, "Hold the power button for ten seconds, then pair again.")
    return topic, reply
