"""Dana and her colleague Fox write 30 mails in one thread from Gmail, Outlook, Apple Mail,
Thunderbird and a webmail that trims References; the shop answers in between. One conversation."""

import random

import pytest
from django.utils import timezone

from tests.email.conftest import SUPPORT
from tests.email.inbound_mails import Thread, plain, send_smtp
from townsquare.connectors.email.inbound import receive_email
from townsquare.connectors.email.reply_token import reply_address
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Conversation, Message

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("email_data_dir")]


def brand_answers(channel, thread: Thread, n: int) -> None:
    """The shop's answer, stored as delivery stores a sent reply (external id = its Message-ID)."""
    parent = thread.ids[-1]
    message_id = thread.brand_reply_id(n)
    store_messages(
        channel,
        [
            InboundMessage(
                external_id=message_id,
                author_id="brand",
                text=f"answer {n}",
                created_at=timezone.now(),
                direction="out",
                parent_external_id=parent,
            )
        ],
        source="reply",
    )


def writers(thread: Thread):
    return [
        thread.gmail,
        thread.outlook,  # no In-Reply-To, References kept
        thread.apple,
        thread.thunderbird,
        thread.trimmer,  # the last 10 References only
        lambda n: thread.outlook(n, keep_references=False),  # Thread-Index only
    ]


def test_a_30_message_thread_from_mixed_clients_stays_one_conversation(support, smtp_port):
    thread = Thread()
    kinds = writers(thread)
    for n in range(29):
        _, raw = kinds[n % len(kinds)](n)
        assert send_smtp(smtp_port, raw, [SUPPORT]) == {}
        if n % 4 == 3:
            brand_answers(support, thread, n)
    conversation = Conversation.objects.get(channel=support)
    # The 30th: a client that kept no threading header at all, but answered our Reply-To token.
    token_only = plain("Any news?", message_id="bare@customer.test", subject="hello?")
    send_smtp(smtp_port, token_only, [reply_address(support, conversation.pk)])

    assert Conversation.objects.filter(channel=support).count() == 1
    inbound = Message.objects.filter(channel=support, direction="in")
    assert inbound.count() == 30
    assert set(inbound.values_list("conversation_id", flat=True)) == {conversation.pk}
    conversation.refresh_from_db()
    assert conversation.message_count == 30 + 7
    assert conversation.subject == "Router keeps dropping the connection"
    assert {m.raw["threaded_by"] for m in inbound} == {
        "new",
        "in-reply-to",
        "references",
        "thread-index",
        "reply-token",
    }


def test_a_thread_delivered_out_of_order_ends_in_one_conversation(support):
    thread = Thread()
    kinds = [thread.gmail, thread.apple, thread.thunderbird, thread.outlook, thread.trimmer]
    mails = [kinds[n % len(kinds)](n)[1] for n in range(20)]
    random.Random(8).shuffle(mails)
    for raw in mails:
        assert receive_email(support, raw).status == "stored"
    assert Conversation.objects.filter(channel=support).count() == 1
    conversation = Conversation.objects.get(channel=support)
    assert conversation.message_count == 20
    # Every reply found its parent once the parent arrived.
    assert Message.objects.filter(channel=support, parent__isnull=True).count() == 1


def test_two_customers_with_the_same_subject_are_two_conversations(support):
    receive_email(
        support, plain("Where is it?", message_id="a@one.test", subject="Order", sender="a@one.test")
    )
    receive_email(
        support, plain("Where is it?", message_id="b@two.test", subject="Order", sender="b@two.test")
    )
    assert Conversation.objects.filter(channel=support).count() == 2


def test_a_forged_reply_token_threads_nowhere(support):
    first = receive_email(support, plain("mine", message_id="own@one.test"))
    forged = f"support+c{first.conversation_id}-0000000000@shop.test"
    other = receive_email(
        support, plain("sneaky", message_id="x@evil.test", sender="eve@evil.test", to=forged)
    )
    assert other.conversation_id != first.conversation_id
