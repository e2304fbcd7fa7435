import pytest

from townsquare.people.tokens import create_token


@pytest.fixture
def bearer():
    """bearer(user) -> headers with a fresh personal token for that user."""

    def headers_for(user) -> dict:
        _, plaintext = create_token(user, "tests")
        return {"Authorization": f"Bearer {plaintext}"}

    return headers_for
