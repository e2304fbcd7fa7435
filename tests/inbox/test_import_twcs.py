"""Grace imports a file of exported support tweets (journey 1)."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from townsquare.events.models import Event
from townsquare.inbox.models import Channel, Conversation, ImportRun, Message

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "twcs_sample.csv"
pytestmark = pytest.mark.django_db


def ingest(path, fmt="twcs", channel="twitter", *extra) -> dict:
    out = io.StringIO()
    call_command("ingest", str(path), "--format", fmt, "--channel", channel, "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


def expected_threads(path) -> int:
    """Count conversations independently: rows linked by in_response_to_tweet_id, within the file."""
    rows = list(csv.DictReader(path.open(newline="", encoding="utf-8")))
    ids = {r["tweet_id"] for r in rows}
    parent = {r["tweet_id"]: r["in_response_to_tweet_id"] for r in rows}

    def root(tweet):
        while parent.get(tweet) in ids:
            tweet = parent[tweet]
        return tweet

    return len({root(r["tweet_id"]) for r in rows})


def test_every_row_is_stored_once_and_threaded():
    summary = ingest(FIXTURE)
    assert summary["read"] == summary["stored"] == 38
    assert (summary["duplicates"], summary["rejected"], summary["reject_report"]) == (0, 0, None)
    assert Message.objects.count() == 38
    assert Conversation.objects.count() == expected_threads(FIXTURE)
    assert Message.objects.filter(conversation__isnull=True).count() == 0
    # a reply sits in the same conversation as the tweet it answers
    for reply in Message.objects.exclude(parent=None).select_related("parent"):
        assert reply.conversation_id == reply.parent.conversation_id


def test_the_raw_row_the_direction_and_the_author_are_kept():
    ingest(FIXTURE)
    message = Message.objects.get(external_id="119238")
    assert message.direction == "out"
    assert message.author.handle == "@ChaseSupport" and message.author.is_brand
    assert message.raw["in_response_to_tweet_id"] == "119239"
    assert message.created_at.isoformat() == "2017-10-11T13:25:49+00:00"
    customer_tweet = Message.objects.get(external_id="119239")
    assert customer_tweet.direction == "in" and customer_tweet.author.customer is not None
    assert message.conversation_id == customer_tweet.conversation_id


def test_importing_the_same_file_again_stores_nothing_new():
    ingest(FIXTURE)
    events_before = Event.objects.count()
    again = ingest(FIXTURE)
    assert (again["read"], again["stored"], again["duplicates"], again["rejected"]) == (38, 0, 38, 0)
    assert Message.objects.count() == 38
    # only the import's own start and finish are new events
    assert Event.objects.count() == events_before + 2
    channel = Channel.objects.get(name="twitter")
    assert (channel.messages_stored, channel.messages_duplicate) == (38, 38)


def test_the_import_is_recorded_with_its_counts():
    ingest(FIXTURE)
    run = ImportRun.objects.get()
    assert (run.status, run.read, run.stored, run.rejected) == ("done", 38, 38, 0)
    finished = Event.objects.get(kind="import.finished")
    assert finished.data["stored"] == 38


def test_small_batches_give_the_same_threads_as_one_batch():
    ingest(FIXTURE, "twcs", "twitter", "--batch-size", "3")
    assert Message.objects.count() == 38
    assert Conversation.objects.count() == expected_threads(FIXTURE)
    for reply in (
        Message.objects.exclude(parent_external_id=None).exclude(parent=None).select_related("parent")
    ):
        assert reply.conversation_id == reply.parent.conversation_id


def test_a_file_that_is_not_twcs_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("id,body\n1,hello\n")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a TWCS file"):
        ingest(path)
    assert Message.objects.count() == 0


def test_a_missing_file_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        ingest(tmp_path / "nope.csv")


def test_html_entities_that_twitter_added_are_decoded(tmp_path):
    path = tmp_path / "entities.csv"
    path.write_text(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "1,42,True,Tue Oct 31 22:10:47 +0000 2017,Q&amp;A &lt;3 &gt; AT&T,,\n"
    )
    ingest(path)
    message = Message.objects.get()
    assert message.text == "Q&A <3 > AT&T"
    assert message.raw["text"] == "Q&amp;A &lt;3 &gt; AT&T"


def test_a_new_channel_is_created_as_an_import_channel_with_an_event():
    ingest(FIXTURE, "twcs", "archive-2017")
    channel = Channel.objects.get(name="archive-2017")
    assert channel.kind == "import"
    created = Event.objects.get(kind="channel.created")
    assert (created.channel_id, created.data["via"]) == (channel.pk, "cli")


def test_an_inactive_channel_takes_no_import(twitter):
    from django.core.management.base import CommandError

    twitter.is_active = False
    twitter.save()
    with pytest.raises(CommandError, match="inactive"):
        ingest(FIXTURE)
    assert Message.objects.count() == 0


@pytest.mark.parametrize("size", ["0", "-5", "50001"])
def test_a_batch_size_out_of_range_is_refused(size):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--batch-size"):
        ingest(FIXTURE, "twcs", "twitter", "--batch-size", size)


def test_importing_into_a_database_that_was_never_migrated_says_what_to_do(tmp_path):
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "townsquare.cli",
            "ingest",
            str(FIXTURE),
            "--format",
            "twcs",
            "--channel",
            "t",
        ],
        env={**os.environ, "TOWNSQUARE_DATA_DIR": str(tmp_path), "DATABASE_URL": ""},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "run `townsquare migrate` first" in done.stderr
    assert "Traceback" not in done.stderr
