"""`townsquare retriage`: choosing the range, clear errors, background mode (no models needed)."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from tests.inbox.helpers import msg
from tests.labels.builders import label, store
from townsquare.labels.management.commands.retriage import parse_moment
from townsquare.labels.retriage import Selection
from townsquare.labels.tasks import triage_fast_task

pytestmark = pytest.mark.django_db


def retriage(*args: str) -> str:
    out = StringIO()
    call_command("retriage", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def messages(twitter, hook):
    stored = store(twitter, *(msg(f"m{i}", minute=i * 60) for i in range(6)))  # 09:00 … 14:00
    stored |= store(hook, msg("w0", minute=0), msg("out", direction="out", author="brand"))
    label(stored["m0"], status="failed", kind="")
    label(stored["m1"], status="semantic")
    label(stored["m2"], status="fast")
    return stored


def selected(**options) -> set[str]:
    return set(Selection(**options).messages().values_list("external_id", flat=True))


def test_selection_by_time_channel_conversation_and_status(messages, twitter):
    assert selected() == {"m0", "m1", "m2", "m3", "m4", "m5", "w0"}  # inbound only
    assert selected(since=parse_moment("--since", "2026-11-20T11:00Z")) == {"m2", "m3", "m4", "m5"}
    assert selected(until=parse_moment("--until", "2026-11-20T10:00:00+00:00")) == {"m0", "w0"}
    assert selected(channel_id=twitter.pk, status="missing") == {"m3", "m4", "m5"}
    assert selected(status="failed") == {"m0"}
    assert selected(status="semantic") == {"m1"}
    assert selected(conversation_id=messages["m4"].conversation_id) == {"m4"}


def test_dates_without_time_or_offset_mean_utc_midnight():
    assert parse_moment("--since", "2026-11-20") == datetime(2026, 11, 20, tzinfo=UTC)
    assert parse_moment("--since", "2026-11-20T08:30") == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--since", "yesterday"], "--since 'yesterday' is not an ISO 8601 date"),
        (["--until", "2026-13-01"], "--until '2026-13-01' is not an ISO 8601 date"),
        (["--since", "2026-11-02", "--until", "2026-11-01"], "--since must be before --until"),
        (["--channel", "nope"], "no channel named 'nope'"),
        (["--conversation", "987654"], "no conversation with id 987654"),
        (["--batch-size", "0"], "--batch-size must be at least 1"),
    ],
)
def test_bad_arguments_are_clear_errors(db, args, error):
    with pytest.raises(CommandError, match=error):
        retriage(*args)


def test_background_enqueues_batches_of_the_selection(messages):
    out = retriage("--background", "--status", "missing", "--batch-size", "2", "--fast-only")

    assert out.strip() == "Enqueued 2 triage task(s) for 4 message(s)."
    tasks = DBTaskResult.objects.filter(task_path=triage_fast_task.module_path).order_by("enqueued_at")
    assert [t.args_kwargs["kwargs"] for t in tasks] == [{"then_semantic": False}] * 2
    assert [t.priority for t in tasks] == [-10, -10]  # behind live messages
    ids = sorted(sum((t.args_kwargs["args"][0] for t in tasks), []))
    assert ids == sorted(messages[e].pk for e in ("m3", "m4", "m5", "w0"))
