"""Ingest → fast triage starts the clocks of what invites a reply, for a whole batch at once."""

import pytest

from tests.inbox.helpers import msg
from tests.labels.builders import store, thread
from tests.sla.helpers import policy
from townsquare.inbox.models import Channel, ChannelKind, Conversation
from townsquare.labels import duplicates
from townsquare.labels.fast import label_fast
from townsquare.sla.models import ConversationSla

pytestmark = pytest.mark.django_db
QUESTION = "How do I change the password of my account?"


@pytest.fixture(autouse=True)
def fresh_duplicate_index():
    duplicates.forget()
    yield
    duplicates.forget()


def test_a_question_to_the_brand_gets_clocks_and_public_chatter_does_not(twitter):
    policy(first_response_minutes=60)
    email = Channel.objects.create(name="support-mail", kind=ChannelKind.EMAIL)
    mailed = store(email, msg("e1", text=QUESTION))["e1"]
    posted = store(twitter, msg("p1", text="lol that new ad"))["p1"]

    label_fast([mailed.pk, posted.pk])

    sla = ConversationSla.objects.get(pk=mailed.conversation_id)
    assert sla.first_response_started_at == mailed.received_at
    conversation = Conversation.objects.get(pk=mailed.conversation_id)
    assert conversation.sla_due_at == sla.first_response_due_at
    assert not ConversationSla.objects.filter(pk=posted.conversation_id).exists()


def test_the_customer_answering_a_brand_question_starts_next_response(twitter):
    policy(first_response_minutes=60, next_response_minutes=30)
    messages = thread(
        twitter, "my router is broken, can you help?", "Sorry! Which model?", QUESTION, outbound_at=1
    )
    first, reply, again = messages["t0"], messages["t1"], messages["t2"]

    label_fast([first.pk, again.pk])

    sla = ConversationSla.objects.get(pk=first.conversation_id)
    assert sla.first_response_met_at == reply.created_at
    assert sla.next_response_started_at == again.received_at
