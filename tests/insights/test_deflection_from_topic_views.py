"""Readers of solved community topics who did not write to us count as contacts deflected.

Twelve readers are linked to a customer; three of them open a conversation within 7 days of
reading, so 9/12 did not write. That share is applied to all 21 readers (8 anonymous, one member
without a customer), and the configured 20% of those are counted as deflected.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from scipy import stats

from townsquare.events.log import record
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.insights.cost_model import update_model
from townsquare.insights.filters import Filters
from townsquare.insights.models import TopicViewFact
from townsquare.insights.projection import rebuild, refresh
from townsquare.insights.report import build_report

pytestmark = pytest.mark.django_db

SINCE = datetime(2026, 10, 1, tzinfo=UTC)
UNTIL = datetime(2026, 10, 29, tzinfo=UTC)  # 28 days
READ = datetime(2026, 10, 2, 10, 0, tzinfo=UTC)


def view(viewer: str, topic: int, at: datetime, *, customer=None, member=None, solved=True) -> None:
    record(
        "community.topic_viewed",
        occurred_at=at,
        data={
            "topic": topic,
            "viewer": viewer,
            "member_id": member,
            "customer_id": customer,
            "solved": solved,
        },
    )


def contact(cid: int, customer: int, at: datetime, *, created_at: datetime | None = None) -> None:
    """A conversation the customer opened at `at` (ingest may log it later, at `created_at`)."""
    channel = Channel.objects.get_or_create(name="mail", kind=ChannelKind.EMAIL)[0]
    record(
        "conversation.created",
        channel_id=channel.pk,
        conversation_id=cid,
        occurred_at=created_at or at,
        data={"customer_id": customer},
    )
    record(
        "message.received",
        channel_id=channel.pk,
        conversation_id=cid,
        message_id=cid,
        occurred_at=created_at or at,
        data={"direction": "in", "written_at": at.isoformat()},
    )


@pytest.fixture
def readers(grace):
    update_model(grace, by_role={"staff": 5}, deflection_share=0.2)
    for i in range(1, 13):  # members 1..12, customers 101..112
        view(f"m:{i}", 7, READ, member=i, customer=100 + i)
    view("m:1", 8, READ + timedelta(days=1), member=1, customer=101)  # a second topic: still one reader
    contact(1, 101, READ + timedelta(days=2))  # wrote within 7 days
    contact(2, 102, READ + timedelta(days=6, hours=23))
    contact(3, 103, READ + timedelta(minutes=30))
    contact(4, 104, READ + timedelta(days=10))  # after the window: deflected
    contact(5, 105, READ - timedelta(days=1))  # before reading: deflected
    for i in range(8):  # anonymous readers, one of them reads two topics
        view(f"a:{i:032x}", 7, READ + timedelta(hours=i))
    view(f"a:{0:032x}", 9, READ + timedelta(hours=20))
    view("m:50", 7, READ, member=50)  # a member not linked to a customer
    view("a:unsolved", 10, READ, solved=False)  # no accepted answer when read: not a reader
    view("m:60", 7, SINCE - timedelta(days=3), member=60, customer=160)  # before the period


def cost_report() -> dict:
    refresh()
    return build_report(
        Filters(since=SINCE, until=UNTIL, include_not_for_us=True), sections=["cost"]
    ).as_json()["cost"]


def clopper_pearson(k: int, n: int) -> tuple[float, float]:
    return stats.beta.ppf(0.025, k, n - k + 1), stats.beta.ppf(0.975, k + 1, n - k)


def test_deflected_contacts_by_hand(readers):
    figures = cost_report()["figures"]
    assert figures["readers"]["value"] == 21
    share = figures["not_writing_share"]
    assert share["value"] == pytest.approx(9 / 12) and share["n"] == 12
    low, high = clopper_pearson(9, 12)
    assert share["ci95"] == pytest.approx([low, high], abs=1e-6)
    deflected = figures["contacts_deflected"]
    assert deflected["value"] == pytest.approx(21 * 0.75 * 0.2)
    assert deflected["ci95"] == pytest.approx([21 * low * 0.2, 21 * high * 0.2], rel=1e-6)
    assert not deflected["too_small"]
    assert figures["deflection_saving"]["value"] == pytest.approx(21 * 0.75 * 0.2 * 5)
    # Five contacts in the period, all by staff at 5: nothing saved by handling, only by deflection.
    assert figures["total_saving"]["value"] == pytest.approx(21 * 0.75 * 0.2 * 5)


def test_yearly_deflections_combine_the_readers_poisson_interval_with_the_share(readers):
    figures = cost_report()["figures"]
    scale = 365 / 28
    low, high = clopper_pearson(9, 12)
    readers_low, readers_high = stats.chi2.ppf(0.025, 42) / 2, stats.chi2.ppf(0.975, 44) / 2
    per_year = figures["deflected_per_year"]
    assert per_year["value"] == pytest.approx(21 * 0.75 * 0.2 * scale)
    assert per_year["ci95"] == pytest.approx(
        [readers_low * low * 0.2 * scale, readers_high * high * 0.2 * scale], rel=1e-5
    )


def test_without_followable_readers_deflection_is_not_enough_data(grace):
    for i in range(30):
        view(f"a:{i:032x}", 7, READ)
    report = cost_report()
    assert report["figures"]["readers"]["value"] == 30
    assert report["figures"]["contacts_deflected"]["value"] is None
    assert report["figures"]["contacts_deflected"]["too_small"]
    assert any("not enough data for contacts deflected" in note for note in report["notes"])


def test_a_recent_reader_who_has_not_written_yet_is_not_counted(grace):
    now = timezone.now()
    view("m:1", 7, now - timedelta(days=2), member=1, customer=101)
    view("m:2", 7, now - timedelta(days=2), member=2, customer=102)
    contact(1, 102, now - timedelta(days=1))
    refresh()
    report = build_report(Filters(since=now - timedelta(days=10)), sections=["cost"]).as_json()["cost"]
    share = report["figures"]["not_writing_share"]
    assert share["n"] == 1 and share["value"] == 0.0  # m:2 wrote; m:1 may still write
    assert any("1 readers linked to a customer read less than 7 days ago" in n for n in report["notes"])


def test_a_contact_logged_before_its_messages_starts_when_the_customer_wrote(grace):
    """Ingest logs the conversation now; its (imported) message was written before the reading."""
    view("m:1", 7, READ, member=1, customer=101)
    record(
        "conversation.created",
        conversation_id=1,
        occurred_at=READ + timedelta(days=1),
        data={"customer_id": 101},
    )
    refresh()
    mark = TopicViewFact.objects.get(topic_id=0)
    assert mark.viewed_at == READ + timedelta(days=1)
    record(
        "message.received",
        conversation_id=1,
        message_id=1,
        occurred_at=READ + timedelta(days=1),
        data={"direction": "in", "written_at": (READ - timedelta(days=30)).isoformat()},
    )
    refresh()
    assert TopicViewFact.objects.get(topic_id=0).viewed_at == READ - timedelta(days=30)


def test_rebuild_gives_the_same_deflection(readers):
    first = cost_report()["figures"]
    rebuild()
    again = cost_report()["figures"]
    for name in ("readers", "not_writing_share", "contacts_deflected", "deflected_per_year"):
        assert first[name] == again[name]
