"""Polling the brand account's mentions: each one is fetched and stored once, whatever happens."""

import pytest

from tests.mastodon.fake_server import FakeMastodon
from townsquare.connectors import polling
from townsquare.connectors.health import state_of
from townsquare.connectors.mastodon import notifications
from townsquare.connectors.polling import poll_channel
from townsquare.inbox.models import Conversation, Message

pytestmark = pytest.mark.django_db


def since_id(channel) -> str | None:
    return state_of(channel.pk).cursor.get("since_id")


def notification_requests(fake):
    return [r for r in fake.requests if r.path == "/api/v1/notifications"]


def test_mentions_are_stored_once_across_repeated_polls(acme, fake):
    first = fake.mention("where is my order 48213?")
    fake.mention("my parcel is late", visibility="unlisted")
    outcome = poll_channel(acme.pk)
    assert (outcome.stored, outcome.duplicates, outcome.error) == (2, 0, "")
    assert since_id(acme) == str(int(first["id"]) + 1)

    again = poll_channel(acme.pk)
    assert (again.stored, again.duplicates) == (0, 0)
    # The second poll asked only for what is newer than the newest mention it had.
    assert notification_requests(fake)[-1].query["since_id"] == [str(int(first["id"]) + 1)]
    assert notification_requests(fake)[-1].query["types[]"] == ["mention"]

    newer = fake.mention("any news?")
    third = poll_channel(acme.pk)
    assert third.stored == 1
    assert Message.objects.filter(channel=acme).count() == 3
    assert since_id(acme) == newer["id"]


def test_other_notification_types_are_not_asked_for(acme, fake):
    fake.other_notification("favourite")
    fake.mention("hello")
    assert poll_channel(acme.pk).stored == 1
    assert Message.objects.get(channel=acme).raw["visibility"] == "public"


def test_a_crash_between_fetch_and_commit_stores_nothing_and_the_next_poll_stores_each_once(
    acme, fake, monkeypatch
):
    fake.mention("first")
    fake.mention("second")
    real_store = polling.store_messages

    def store_then_crash(*args, **kwargs):
        real_store(*args, **kwargs)
        raise RuntimeError("worker killed before commit")

    monkeypatch.setattr(polling, "store_messages", store_then_crash)
    crashed = poll_channel(acme.pk)
    assert "worker killed before commit" in crashed.error
    assert not Message.objects.filter(channel=acme).exists()
    assert state_of(acme.pk).cursor == {}

    monkeypatch.setattr(polling, "store_messages", real_store)
    assert poll_channel(acme.pk).stored == 2
    assert poll_channel(acme.pk).stored == 0
    assert sorted(Message.objects.filter(channel=acme).values_list("text", flat=True)) == [
        "@acme first",
        "@acme second",
    ]


def test_many_new_mentions_are_fetched_page_by_page_down_to_the_cursor(acme, fake):
    fake.mention("already seen")
    poll_channel(acme.pk)
    seen = len(fake.requests)
    for number in range(95):
        fake.mention(f"question {number}")
    outcome = poll_channel(acme.pk)
    assert outcome.stored == 95
    pages = notification_requests(fake)[-3:]
    assert len(fake.requests) - seen == 3
    # Each next page goes below the oldest of the one before (the Link header's max_id).
    assert "max_id" not in pages[0].query
    assert int(pages[1].query["max_id"][0]) > int(pages[2].query["max_id"][0])
    assert all(page.query["since_id"] == pages[0].query["since_id"] for page in pages)
    assert Conversation.objects.filter(channel=acme).count() == 96


def test_a_burst_larger_than_one_poll_is_caught_up_over_the_next_polls_without_gaps(acme, fake, monkeypatch):
    monkeypatch.setattr(notifications, "MAX_PAGES", 2)
    fake.mention("already seen")
    poll_channel(acme.pk)
    burst = [fake.mention(f"burst {number}") for number in range(130)]

    first = poll_channel(acme.pk)
    assert first.stored == 80
    assert "gap" in state_of(acme.pk).cursor
    second = poll_channel(acme.pk)
    assert second.stored == 50
    assert since_id(acme) == burst[-1]["id"]
    assert poll_channel(acme.pk).stored == 0
    stored = set(Message.objects.filter(channel=acme).values_list("external_id", flat=True))
    assert {n["status"]["id"] for n in burst} <= stored
    assert Message.objects.filter(channel=acme).count() == 131


def test_mentions_arriving_during_a_catch_up_are_fetched_after_it(acme, fake, monkeypatch):
    monkeypatch.setattr(notifications, "MAX_PAGES", 1)
    fake.mention("already seen")
    poll_channel(acme.pk)
    for number in range(60):
        fake.mention(f"burst {number}")
    assert poll_channel(acme.pk).stored == 40
    late = fake.mention("arrived meanwhile")
    assert poll_channel(acme.pk).stored == 20
    assert poll_channel(acme.pk).stored == 1
    assert since_id(acme) == late["id"]
    assert Message.objects.filter(channel=acme).count() == 62


def test_the_first_poll_starts_from_the_newest_mentions_not_the_whole_history(acme, fake, monkeypatch):
    monkeypatch.setattr(notifications, "MAX_PAGES", 2)
    history = [fake.mention(f"old {number}") for number in range(100)]
    assert poll_channel(acme.pk).stored == 80
    assert since_id(acme) == history[-1]["id"]
    assert poll_channel(acme.pk).stored == 0


def test_a_channel_moved_to_another_instance_starts_afresh_there(acme, fake):
    fake.mention("on the old instance")
    poll_channel(acme.pk)
    assert state_of(acme.pk).cursor["instance"] == fake.url
    other = FakeMastodon().start()
    try:
        other._next_notification = 5  # lower ids than the old instance's cursor
        other._next_status = 200_000_000_000_000_000
        other.mention("on the new instance")
        acme.settings["base_url"] = other.url
        acme.save()
        assert poll_channel(acme.pk).stored == 1
        assert "since_id" not in other.requests[0].query
        assert state_of(acme.pk).cursor == {"since_id": "6", "instance": other.url}
    finally:
        other.stop()


def test_mentions_the_accounts_notification_policy_filters_are_fetched_too(acme, fake):
    fake.mention("a stranger's private question", visibility="direct", filtered=True)
    assert poll_channel(acme.pk).stored == 1
    assert notification_requests(fake)[-1].query["include_filtered"] == ["true"]
