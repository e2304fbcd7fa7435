import pytest
from django.core.cache import cache

from townsquare.people.tokens import create_token


@pytest.fixture(autouse=True)
def fresh_cache():
    # The webhook rate limit counts in the cache; each test starts with none used.
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
