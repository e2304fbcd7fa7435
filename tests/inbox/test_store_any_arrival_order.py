"""Whatever order and batching the messages of a set of threads arrive in, each thread ends up
as exactly one conversation holding exactly its messages."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Channel, Conversation, Message

from .helpers import msg


@st.composite
def threads_and_arrival(draw):
    """A forest of reply trees (parent index < child index), an arrival order, and batch cuts."""
    size = draw(st.integers(min_value=1, max_value=25))
    parents = [None] + [draw(st.one_of(st.none(), st.integers(0, i - 1))) for i in range(1, size)]
    order = draw(st.permutations(range(size)))
    cuts = sorted(draw(st.sets(st.integers(1, max(1, size - 1)), max_size=5)))
    return parents, order, cuts


def roots(parents):
    def root(i):
        while parents[i] is not None:
            i = parents[i]
        return i

    return [root(i) for i in range(len(parents))]


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(threads_and_arrival())
def test_each_thread_becomes_one_conversation(case):
    parents, order, cuts = case
    Message.objects.all().delete()
    Conversation.objects.all().delete()
    channel, _ = Channel.objects.get_or_create(name="property")
    messages = [
        msg(
            str(i),
            parent=None if parents[i] is None else str(parents[i]),
            minute=i,
            author="brand" if i % 2 else f"customer{i % 5}",
            direction="out" if i % 2 else "in",
        )
        for i in range(len(parents))
    ]
    arrival = [messages[i] for i in order]
    for start, end in zip([0, *cuts], [*cuts, len(arrival)], strict=True):
        store_messages(channel, arrival[start:end], source="property")

    stored = {m.external_id: m for m in Message.objects.filter(channel=channel)}
    expected = roots(parents)
    for i in range(len(parents)):
        assert stored[str(i)].conversation_id == stored[str(expected[i])].conversation_id
        if parents[i] is not None:
            assert stored[str(i)].parent_id == stored[str(parents[i])].pk
    assert Conversation.objects.filter(channel=channel).count() == len(set(expected))
    for conversation in Conversation.objects.filter(channel=channel):
        members = [i for i in range(len(parents)) if stored[str(i)].conversation_id == conversation.pk]
        assert conversation.message_count == len(members)
        assert conversation.started_at == min(stored[str(i)].created_at for i in members)
        assert conversation.last_activity_at == max(stored[str(i)].created_at for i in members)
