"""Two workers sweep at the same moment: the question is escalated once, by whichever claims it first."""

import threading
from datetime import timedelta

import pytest
from django.db import connections

from tests.care.test_concurrent_claims import shared_database  # noqa: F401  (SQLite: a WAL file, like production)
from tests.community.conftest import at_trust_level
from townsquare.community.bridge.unanswered import escalate_topic
from townsquare.community.members import member_of
from townsquare.community.models import Space
from townsquare.community.posting import ask
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ChannelKind

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.usefixtures("shared_database")
def test_only_one_claim_wins(farid):
    channel = Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)
    space = Space.objects.create(slug="devices", name="Devices", channel=channel)
    member_of(farid)
    at_trust_level(farid, 1)
    topic = ask(farid, space, "My headphones will not pair", "They blink red.")
    due = topic.created_at + timedelta(hours=24)
    results, start = [], threading.Barrier(2)

    def sweep():
        try:
            start.wait()
            results.append(escalate_topic(topic.pk, now=due))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=sweep) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert sorted(result is None for result in results) == [False, True]
    assert Event.objects.filter(kind="community.question_escalated").count() == 1
    assert Event.objects.filter(kind="conversation.escalated").count() == 1
