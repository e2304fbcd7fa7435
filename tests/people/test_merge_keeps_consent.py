"""Dana opted in to offers in the chat widget. Her email identity was a customer of its own until
the verified email merged them: a promotional reply on her email conversation is now allowed,
because consent is read across the survivor and every customer merged into it."""

import pytest

from tests.people.merge_builders import chat_channel, conversation_by, email_channel, person
from townsquare.people.consent import consent_state, has_consent, ledger, record_consent
from townsquare.people.merging import attach_email
from townsquare.replies.guard import check_outgoing

pytestmark = pytest.mark.django_db

PITCH = "Glad it's fixed — and use code SAVE20 for 20% off your next order!"


def opt(customer, granted: bool):
    record_consent(None, customer, "offers", granted=granted, source="livechat", wording="Send me offers.")


@pytest.fixture
def dana():
    """(chat customer, chat identity, email customer, email identity, email conversation)."""
    chat_customer, chat_identity = person(chat_channel(), "visitor-7", created_minutes=10)
    email_customer, email_identity = person(email_channel(), "dana@example.org", created_minutes=0)
    conversation = conversation_by(email_identity, texts=("the blender works now, thanks",))
    return chat_customer, chat_identity, email_customer, email_identity, conversation


def test_consent_given_in_chat_allows_a_promo_on_email_after_the_merge(dana):
    chat_customer, chat_identity, email_customer, email_identity, conversation = dana
    opt(chat_customer, granted=True)
    assert check_outgoing(PITCH, conversation=conversation).blocked

    attach_email(email_identity, "dana@example.org", verified=True)
    attach_email(chat_identity, "dana@example.org", verified=True)  # the host site signed it

    chat_customer.refresh_from_db()
    assert chat_customer.merged_into == email_customer  # the email customer is older
    conversation.refresh_from_db()
    verdict = check_outgoing(PITCH, conversation=conversation)
    assert not verdict.blocked and verdict.reasons == []


def test_the_latest_answer_wins_across_merged_customers(dana):
    chat_customer, chat_identity, email_customer, email_identity, conversation = dana
    opt(chat_customer, granted=True)
    opt(email_customer, granted=False)  # later: revoked by email
    attach_email(email_identity, "dana@example.org", verified=True)
    attach_email(chat_identity, "dana@example.org", verified=True)

    email_customer.refresh_from_db()
    assert not has_consent(email_customer, "offers")
    conversation.refresh_from_db()
    assert check_outgoing(PITCH, conversation=conversation).blocked
    state = consent_state(email_customer)
    assert state["offers"].granted is False and state["offers"].customer == email_customer
    assert len(ledger(email_customer)) == 2


def test_a_merged_away_customer_reads_its_survivors_consent(dana):
    chat_customer, chat_identity, email_customer, email_identity, _ = dana
    opt(email_customer, granted=True)
    attach_email(email_identity, "dana@example.org", verified=True)
    attach_email(chat_identity, "dana@example.org", verified=True)
    chat_customer.refresh_from_db()
    assert has_consent(chat_customer, "offers")


def test_an_unverified_email_shares_no_consent(dana):
    chat_customer, chat_identity, email_customer, email_identity, conversation = dana
    opt(chat_customer, granted=True)
    attach_email(email_identity, "dana@example.org", verified=True)
    attach_email(chat_identity, "dana@example.org", verified=False)  # typed into the offline form
    assert check_outgoing(PITCH, conversation=conversation).blocked
