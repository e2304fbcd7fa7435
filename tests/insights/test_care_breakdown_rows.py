"""The care tables: one row per channel, queue, language, kind, agent, level and period, labelled."""

from datetime import UTC, datetime

import pytest

from tests.insights.care_story import MONDAY, care, converse, row
from townsquare.care.models import Queue
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.insights import breakdown, care_section
from townsquare.insights.filters import Filters
from townsquare.insights.frame import load_frame
from townsquare.insights.projection import refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(hook, alice, bob):
    shop = Channel.objects.create(name="shop-chat", kind=ChannelKind.LIVECHAT)
    billing = Queue.objects.create(name="Billing")
    for _ in range(3):
        converse(hook, reply_after=60, language="en", kind="question", queue_id=billing.pk, assignee=alice)
    converse(hook, reply_after=120, language="de", kind="problem", assignee=bob, resolve_after=300)
    converse(shop, reply_after=600, language="en", kind="complaint", assignee=bob)
    converse(shop)
    return {"shop": shop, "billing": billing}


def test_rows_by_channel_queue_and_agent_carry_names_and_their_drill_filters(story, hook, alice, bob):
    section = care()
    by_hook = row(section, "channel", str(hook.pk))
    assert by_hook["label"] == "shop-webhook"
    assert by_hook["volume"]["value"] == 4
    assert by_hook["first_response_median"]["value"] == 60  # 60, 60, 60, 120
    assert by_hook["drill"] == {"channel": str(hook.pk)}
    assert row(section, "channel", str(story["shop"].pk))["volume"]["value"] == 2
    billing = row(section, "queue", str(story["billing"].pk))
    assert (billing["label"], billing["volume"]["value"]) == ("Billing", 3)
    assert row(section, "queue", "none")["volume"]["value"] == 3
    assert row(section, "agent", str(alice.pk))["label"] == "alice"
    by_bob = row(section, "agent", str(bob.pk))
    assert (by_bob["label"], by_bob["volume"]["value"]) == ("bob", 2)
    assert by_bob["first_response_median"]["value"] == 360  # median of 120 and 600
    assert by_bob["resolution_rate"]["value"] == 0.5
    assert row(section, "agent", "none")["label"] == "(unassigned)"


def test_rows_by_language_kind_and_level(story):
    section = care()
    assert row(section, "language", "en")["volume"]["value"] == 4
    assert row(section, "language", "de")["volume"]["value"] == 1
    assert row(section, "language", "none")["volume"]["value"] == 1
    assert row(section, "kind", "complaint")["volume"]["value"] == 1
    assert row(section, "level", "agent")["volume"]["value"] == 3
    assert row(section, "level", "ambassador")["volume"]["value"] == 2
    table = next(t for t in section["tables"] if t["dimension"] == "language")
    assert table["columns"] == care_section.COLUMNS


def test_periods_follow_the_filters_time_zone(hook):
    # Sunday 22 November 23:30 UTC is still Sunday in London but Monday morning in Tokyo.
    late_sunday = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    converse(hook, late_sunday, reply_after=60)
    converse(hook, MONDAY, reply_after=120)
    london = care(time_zone="Europe/London", period="week")
    assert row(london, "period", "2026-11-16")["volume"]["value"] == 2
    tokyo = care(time_zone="Asia/Tokyo", period="week")
    assert row(tokyo, "period", "2026-11-16")["volume"]["value"] == 1
    assert row(tokyo, "period", "2026-11-23")["volume"]["value"] == 1
    by_day = care(time_zone="Europe/London", period="day")
    volume = next(s for s in by_day["series"] if s["name"] == "volume_by_day")
    assert [(p["x"], p["y"]["value"]) for p in volume["points"]] == [("2026-11-16", 1), ("2026-11-22", 1)]
    names = {s["name"] for s in by_day["series"]}
    assert names == {"volume_by_day", "first_response_median_by_day", "resolution_rate_by_day"}


def test_row_labels_cost_one_query_per_named_dimension(story, django_assert_num_queries):
    refresh()
    frame = load_frame(Filters())
    with django_assert_num_queries(3):  # channels, queues, usernames
        care_section.care_section(frame, frame.filters)
    assert len(breakdown.group(frame, "channel")) == 2
