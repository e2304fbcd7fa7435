"""Two workers (the task and the periodic check) reaching the same reply at once: it is sent once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.delivery.email_fixtures import customer_email
from townsquare.inbox.models import Message
from townsquare.replies.delivery import deliver_reply
from townsquare.replies.models import Reply
from townsquare.replies.send import send_reply


@pytest.mark.django_db(transaction=True)
def test_two_workers_deliver_a_reply_once(alice, support_mailbox, smtp_sink):
    conversation = customer_email(support_mailbox, "m1@customer.test", "Hello?").conversation
    reply = send_reply(alice, conversation, "Hello Dana.")
    Reply.objects.filter(pk=reply.pk).update(send_after=timezone.now() - timedelta(seconds=1))
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def worker():
        start.wait()
        try:
            outcomes.append(deliver_reply(reply.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes).count("sent") == 1
    assert set(outcomes) <= {"sent", "sending"}
    assert len(smtp_sink.messages) == 1
    assert Message.objects.filter(conversation=conversation, direction="out").count() == 1
    assert Reply.objects.get(pk=reply.pk).attempts == 1
