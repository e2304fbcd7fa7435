"""Carol pages through a long "breaching soon" list, least SLA time left first, without gaps or repeats."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tests.web.conftest import conversation
from townsquare.inbox.models import Conversation
from townsquare.web.paging import PAGE_SIZE, TIME_LEFT, Cursor, page_of

pytestmark = pytest.mark.django_db
URL = reverse("web:conversations")


def with_deadlines(channel, deadlines) -> list[int]:
    """One conversation per deadline (None: no running clock); ids in time-left order, nulls last."""
    for i, due in enumerate(deadlines):
        conv = conversation(channel, [("in", f"help {i}")], handle=f"c{i}", status="open")
        Conversation.objects.filter(pk=conv.pk).update(sla_due_at=due)
    return list(
        Conversation.objects.order_by(F("sla_due_at").asc(nulls_last=True), "id").values_list("pk", flat=True)
    )


def walk(conversations):
    """Every page forwards, then every page back up; returns both walks' ids."""
    pages = [page_of(conversations, ordering=TIME_LEFT)]
    while pages[-1].older is not None:
        pages.append(page_of(conversations, after=pages[-1].older, ordering=TIME_LEFT))
    down = [c.pk for page in pages for c in page.rows]
    up_pages = [pages[-1]]
    while not up_pages[-1].is_first:
        up_pages.append(page_of(conversations, before=up_pages[-1].newer, ordering=TIME_LEFT))
    up = [c.pk for page in reversed(up_pages) for c in page.rows]
    return down, up, pages


@pytest.mark.parametrize("ties", [False, True])
def test_walk_by_time_left_with_ties_and_conversations_without_a_clock(twitter, ties):
    now = timezone.now()
    deadlines = [now + timedelta(minutes=0 if ties else i % 70 - 20) for i in range(PAGE_SIZE + 20)]
    deadlines += [None] * (PAGE_SIZE + 5)  # no running clock: after every deadline
    expected = with_deadlines(twitter, deadlines)
    down, up, pages = walk(Conversation.objects.all())
    assert down == expected
    assert up == expected
    assert len(pages) == 3
    # The second page ends among the conversations without a clock: its cursor says so.
    assert pages[1].older.at is None


def test_a_cursor_without_a_deadline_round_trips():
    cursor = Cursor(None, 42)
    assert cursor.encode() == "~.42"
    assert Cursor.decode("~.42") == cursor


def test_breaching_soon_pages_through_the_view(client, alice, twitter):
    now = timezone.now()
    expected = with_deadlines(twitter, [now + timedelta(seconds=30 * i - 600) for i in range(PAGE_SIZE + 3)])
    client.force_login(alice)
    first = client.get(URL, {"view": "breaching"})
    assert [c.pk for c in first.context["page"].rows] == expected[:PAGE_SIZE]
    older = first.context["page"].older.encode()
    assert f"view=breaching&amp;after={older}" in first.content.decode()
    second = client.get(URL, {"view": "breaching", "after": older})
    assert [c.pk for c in second.context["page"].rows] == expected[PAGE_SIZE:]
