"""The events ingest writes carry what insights and hooks read, as valid JSON, whatever the ids."""

import pytest

from townsquare.events.models import Event
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Conversation, Message

from .helpers import msg

pytestmark = pytest.mark.django_db


def test_conversation_created_names_root_and_customer_even_for_awkward_ids(twitter):
    awkward = 'tw "1" \\ ünï 😀'
    store_messages(
        twitter,
        [msg(awkward), msg("b-1", author="Brand", direction="out", minute=2)],
        source='import:"7"',
    )
    created = {e.data["root_external_id"]: e.data for e in Event.objects.filter(kind="conversation.created")}
    customer = Conversation.objects.get(root_message__external_id=awkward).customer_id
    assert created[awkward] == {"source": 'import:"7"', "root_external_id": awkward, "customer_id": customer}
    # The brand wrote first and alone: nobody is the customer yet.
    assert created["b-1"]["customer_id"] is None
    message_id = Message.objects.get(external_id=awkward).pk
    received = Event.objects.get(kind="message.received", message_id=message_id).data
    assert received == {"direction": "in", "written_at": "2026-11-20T09:00:00+00:00", "source": 'import:"7"'}
