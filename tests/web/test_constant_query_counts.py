"""The console stays fast: every page makes the same number of queries with 3 and with 30 of its rows
(conversations, messages, history, agents, queues, changes)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.web.care_builders import care_conversation, profile, queue
from tests.web.conftest import identity
from townsquare.events.log import record
from townsquare.inbox.models import Channel, ChannelKind, Conversation
from townsquare.people.models import Customer, Role, User
from townsquare.replies.models import CannedReply
from townsquare.web.live import newest_event_id

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)
VIEWS = ["all", "mine", "unassigned", "breaching", "queue"]
CONVERSATION_PAGE_QUERIES = 12


def queries(client, url, params=None) -> int:
    client.get(url, params)  # warm: session and caches as on any later request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def inbox_of(channel, n: int, *, alice, devices):
    for i in range(n):
        customer = Customer.objects.create(display_name=f"Customer {i}")
        care_conversation(
            channel,
            assignee=alice if i % 2 else None,
            in_queue=devices,
            due_in=HOUR / 2 - timedelta(minutes=i),
            customer=customer,
            messages=2,
        )


@pytest.mark.parametrize("view", VIEWS)
def test_inbox_views(client, alice, twitter, view):
    devices = queue("Devices")
    profile(alice, queues=[devices])
    queue("Billing")  # a queue Alice does not work: no tab, no query
    params = {"view": f"queue-{devices.pk}" if view == "queue" else view}
    client.force_login(alice)
    inbox_of(twitter, 3, alice=alice, devices=devices)
    few = queries(client, reverse("web:conversations"), params)
    counts = queries(client, reverse("web:view-counts"), params)
    inbox_of(twitter, 27, alice=alice, devices=devices)
    assert queries(client, reverse("web:conversations"), params) == few
    assert queries(client, reverse("web:view-counts"), params) == counts


def test_inbox_with_more_queues(client, carol, twitter):
    client.force_login(carol)
    for i in range(3):
        queue(f"Queue {i}")
    few = queries(client, reverse("web:conversations"))
    counts = queries(client, reverse("web:view-counts"))
    for i in range(3, 30):
        queue(f"Queue {i}")
    assert queries(client, reverse("web:conversations")) == few
    assert queries(client, reverse("web:view-counts")) == counts


def grow_conversation_page(conv, customer, channels, n: int):
    """n messages more in the thread, n other conversations and identities for the customer, n canned replies."""
    done = CannedReply.objects.count()
    for i in range(done, done + n):
        care_conversation(channels[0], f"other {i}", customer=customer)
        identity(channels[1 + i % 2], f"dana{i}", customer)
        CannedReply.objects.create(
            title=f"Reply {i}", shortcut=f"reply-{i}", text="Hi {{customer.first_name}}"
        )
    last = conv.messages.order_by("-created_at").first()
    for i in range(n):
        conv.messages.create(
            channel=conv.channel,
            external_id=f"more-{conv.pk}-{last.pk}-{i}",
            direction="in" if i % 2 else "out",
            author=last.author,
            text=f"message {i}",
            created_at=last.created_at + timedelta(seconds=i + 1),
            received_at=last.received_at + timedelta(seconds=i + 1),
        )


def test_conversation_page(client, alice, twitter):
    channels = [twitter, Channel.objects.create(name="email", kind=ChannelKind.EMAIL), twitter]
    dana = Customer.objects.create(display_name="Dana Ortiz")
    conv = care_conversation(twitter, "My blender arrived broken", customer=dana, assignee=alice, messages=3)
    client.force_login(alice)
    url = reverse("web:conversation", args=[conv.pk])
    grow_conversation_page(conv, dana, channels, 3)
    few = queries(client, url)
    # Session, user, the conversation (with its survey and newest event id), the thread, the
    # customer's identities and other conversations, canned replies, SLA, escalations, replies, notes,
    # consent: the page's parts share what they read (townsquare.inbox.page_reads).
    assert few <= CONVERSATION_PAGE_QUERIES
    grow_conversation_page(conv, dana, channels, 27)
    assert Conversation.objects.get(pk=conv.pk).messages.count() == 33
    assert queries(client, url) == few


def staff(n: int, start: int, devices):
    for i in range(start, start + n):
        user = User.objects.create(username=f"agent{i}", role=Role.AGENT, languages=["en"])
        profile(user, queues=[devices], capacity=3)


def test_supervisor_view(client, carol, twitter):
    devices = queue("Devices")
    client.force_login(carol)
    url = reverse("web:supervisor")
    staff(3, 0, devices)
    inbox_of(twitter, 3, alice=User.objects.get(username="agent0"), devices=devices)
    for i in range(3):
        queue(f"Queue {i}")
    few = queries(client, url)
    staff(27, 3, devices)
    inbox_of(twitter, 27, alice=User.objects.get(username="agent5"), devices=devices)
    for i in range(3, 30):
        queue(f"Queue {i}")
    Conversation.objects.update(priority="urgent")
    assert queries(client, url) == few


def test_live_changes(client, alice, twitter):
    client.force_login(alice)
    url = reverse("web:live-changes")
    # Start from a real event: on PostgreSQL the id sequence is not rolled back between tests, so
    # "after=0" on an empty log can be thousands of ids behind and is rightly told to reload.
    record("auth.login", actor=alice)
    after = newest_event_id()
    for conv in [care_conversation(twitter) for _ in range(3)]:
        record("conversation.assigned", conversation_id=conv.pk, data={})
    few = queries(client, url, {"after": after})
    for conv in [care_conversation(twitter) for _ in range(27)]:
        record("conversation.assigned", conversation_id=conv.pk, data={})
    assert queries(client, url, {"after": after}) == few
    assert len(client.get(url, {"after": after}).json()["changed"]) == 30
