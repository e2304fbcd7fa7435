"""Dana, a customer who has not opted in to anything, and her conversation on the tweet import."""

import pytest

from tests.api.factories import make_conversation, make_customer
from townsquare.people.tokens import create_token


@pytest.fixture
def dana(db):
    """Dana, a customer (es) who never opted in to offers."""
    return make_customer("Dana")


@pytest.fixture
def dana_conversation(twitter, dana):
    """Dana's complaint that invited the brand's reply."""
    conversation = make_conversation(twitter, subject="my order arrived broken", customer=dana)
    conversation.kind, conversation.invites_reply = "complaint", True
    conversation.save(update_fields=["kind", "invites_reply"])
    return conversation


@pytest.fixture
def bearer():
    """bearer(user) -> headers with a fresh personal token for that user."""

    def headers_for(user) -> dict:
        _, plaintext = create_token(user, "tests")
        return {"Authorization": f"Bearer {plaintext}"}

    return headers_for
