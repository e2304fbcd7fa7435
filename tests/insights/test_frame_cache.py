"""Reports read a warm copy of the facts, patched with what the fold changed since."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from tests.insights.test_first_response_from_twcs import FIXTURE
from townsquare.events.log import record
from townsquare.insights import frame_cache
from townsquare.insights.filters import Filters
from townsquare.insights.frame import load_frame
from townsquare.insights.projection import rebuild, refresh
from townsquare.insights.report import build_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def warm(settings):
    settings.TOWNSQUARE_INSIGHTS_FRAME_CACHE = True
    frame_cache.forget()
    yield
    frame_cache.forget()


def same(a, b):
    order_a, order_b = a["conversation_id"].argsort(), b["conversation_id"].argsort()
    assert len(a) == len(b)
    for name in b.columns:
        left, right = a[name][order_a], b[name][order_b]
        if left.dtype == object:
            assert left.tolist() == right.tolist(), name
        else:
            assert ((left == right) | ((left != left) & (right != right))).all(), name


def test_a_warm_frame_follows_new_messages_replies_and_status_changes(warm):
    call_command("ingest", str(FIXTURE), "--format", "twcs", "--channel", "twitter", stdout=io.StringIO())
    first = build_report(Filters()).as_json()
    # Events the fold folds after the first report: a new thread, a reply and a resolution.
    when = datetime(2026, 11, 20, 9, tzinfo=UTC)
    record("conversation.created", channel_id=1, conversation_id=90001, message_id=90001, occurred_at=when)
    record(
        "message.received",
        channel_id=1,
        conversation_id=90001,
        message_id=90001,
        data={"direction": "in", "written_at": when.isoformat()},
    )
    record(
        "message.sent",
        channel_id=1,
        conversation_id=90001,
        message_id=90002,
        occurred_at=when + timedelta(minutes=7),
    )
    record(
        "conversation.status_changed",
        conversation_id=90001,
        data={"from": "open", "to": "resolved"},
        occurred_at=when + timedelta(minutes=9),
    )
    refresh()
    warm_frame = frame_cache.frame_for(Filters())
    same(warm_frame, load_frame(Filters()))
    second = build_report(Filters()).as_json()
    assert second["first_response_seconds"]["n"] == first["first_response_seconds"]["n"] + 1


def test_filters_on_the_warm_copy_match_the_database(warm):
    call_command("ingest", str(FIXTURE), "--format", "twcs", "--channel", "twitter", stdout=io.StringIO())
    refresh()
    frame_cache.frame_for(Filters())
    narrowed = Filters(since=datetime(2017, 10, 31, 22, tzinfo=UTC), until=datetime(2017, 11, 1, tzinfo=UTC))
    same(frame_cache.frame_for(narrowed), load_frame(narrowed))
    by_channel = Filters(channel_ids=(999,))
    assert len(frame_cache.frame_for(by_channel)) == 0


def test_a_rebuild_makes_every_warm_copy_load_afresh(warm):
    call_command("ingest", str(FIXTURE), "--format", "twcs", "--channel", "twitter", stdout=io.StringIO())
    refresh()
    before = len(frame_cache.frame_for(Filters()))
    rebuild()
    same(frame_cache.frame_for(Filters()), load_frame(Filters()))
    assert len(frame_cache.frame_for(Filters())) == before


def test_a_report_with_nothing_new_to_fold_writes_nothing():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("ingest", str(FIXTURE), "--format", "twcs", "--channel", "twitter", stdout=io.StringIO())
    refresh()
    with CaptureQueriesContext(connection) as queries:
        result = refresh()
    assert result.events == 0 and result.last_event_id > 0
    assert not [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def test_an_event_that_commits_late_below_the_checkpoint_still_reaches_a_warm_frame(warm):
    """On PostgreSQL a transaction can take an event id and commit after later ids were folded."""
    import time

    from townsquare.events.models import Event
    from townsquare.insights.models import Checkpoint

    call_command("ingest", str(FIXTURE), "--format", "twcs", "--channel", "twitter", stdout=io.StringIO())
    refresh()
    before = len(frame_cache.frame_for(Filters()))
    checkpoint = Checkpoint.objects.get(name="main")
    late_id = checkpoint.last_event_id + 1
    # The fold has read past the late id, which it keeps as a gap to read again.
    checkpoint.last_event_id += 5
    checkpoint.gaps = [[late_id, time.time()]]
    checkpoint.save()
    when = datetime(2026, 11, 20, 9, tzinfo=UTC)
    late = Event(
        id=late_id,
        kind="message.received",
        channel_id=1,
        conversation_id=90007,
        message_id=90007,
        data={"direction": "in", "written_at": when.isoformat()},
    )
    Event.objects.bulk_create([late])
    refresh()
    assert len(frame_cache.frame_for(Filters())) == before + 1
    same(frame_cache.frame_for(Filters()), load_frame(Filters()))


def test_scoring_brand_posts_is_read_once_by_a_warm_frame(warm):
    from django.db import connection

    from townsquare.insights.brand_posts import score_pending
    from townsquare.insights.models import ConversationFact

    call_command("ingest", str(FIXTURE), "--format", "twcs", "--channel", "twitter", stdout=io.StringIO())
    refresh()
    frame_cache.frame_for(Filters())
    assert score_pending() > 0
    same(frame_cache.frame_for(Filters()), load_frame(Filters()))
    # Nothing changed since: the next report's patch reads no fact.
    frame_cache.frame_for(Filters())
    seen = frame_cache._warm[connection.alias].seen
    assert not ConversationFact.objects.filter(last_event_id__gt=seen).exists()
