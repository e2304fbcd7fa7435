"""A sender that retries a delivery does not create the messages twice."""

from tests.api.signing import message, post_signed
from townsquare.inbox.models import Channel, Message


def test_the_same_batch_twice_is_all_duplicates_the_second_time(client, hook):
    batch = {"messages": [message(1), message(2, in_reply_to="m-1"), message(3)]}
    first = post_signed(client, hook, batch).json()
    second = post_signed(client, hook, batch)
    assert second.status_code == 202
    body = second.json()
    assert (body["stored"], body["duplicates"]) == (0, 3)
    assert [m["status"] for m in body["messages"]] == ["duplicate"] * 3
    assert [m["message_id"] for m in body["messages"]] == [m["message_id"] for m in first["messages"]]
    assert Message.objects.count() == 3
    channel = Channel.objects.get(pk=hook.pk)
    assert (channel.messages_stored, channel.messages_duplicate) == (3, 3)


def test_a_repeated_id_inside_one_batch_is_stored_once(client, hook):
    body = post_signed(client, hook, {"messages": [message(1), message(1, text="again")]}).json()
    assert (body["stored"], body["duplicates"]) == (1, 1)
    assert [m["status"] for m in body["messages"]] == ["stored", "duplicate"]
    assert Message.objects.get().text == "Where is my order #1?"


def test_the_same_external_id_on_another_channel_is_a_different_message(client, hook):
    other = Channel.objects.create(name="other-hook", kind="webhook")
    post_signed(client, hook, {"messages": [message(1)]})
    body = post_signed(client, other, {"messages": [message(1)]}).json()
    assert body["stored"] == 1
