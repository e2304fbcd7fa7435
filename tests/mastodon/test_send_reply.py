"""Posting a reply: the same visibility as the status answered, never public to a direct message."""

import pytest

from townsquare.connectors.base import Outgoing, PermanentError, TransientError
from townsquare.connectors.mastodon import client as mastodon_client
from townsquare.connectors.polling import poll_channel
from townsquare.connectors.registry import connector_for
from townsquare.inbox.models import Message

pytestmark = pytest.mark.django_db


def outgoing_for(message: Message, text="Thanks, it ships today.", reply_id=7) -> Outgoing:
    """What delivery hands the connector: the reply and the message it answers."""
    return Outgoing(
        reply_id=reply_id,
        conversation_id=message.conversation_id,
        text=text,
        parent_message_id=message.pk,
        parent_external_id=message.external_id,
        parent_raw=message.raw,
        recipient_external_id=message.author.external_id,
        recipient_handle=message.author.handle,
        idempotency_key=f"townsquare-reply-{reply_id}",
    )


def polled(acme, fake, visibility: str, text="where is my order?") -> Message:
    notification = fake.mention(text, visibility=visibility)
    poll_channel(acme.pk)
    return Message.objects.get(channel=acme, external_id=notification["status"]["id"])


@pytest.mark.parametrize("visibility", ["public", "unlisted", "private", "direct"])
def test_a_reply_keeps_the_visibility_of_the_status_it_answers(acme, fake, visibility):
    asked = polled(acme, fake, visibility)
    sent = connector_for(acme).send(outgoing_for(asked))
    [posted] = fake.posted
    assert posted["visibility"] == visibility
    assert posted["in_reply_to_id"] == asked.external_id
    assert sent.external_id == posted["id"]
    assert sent.raw["visibility"] == visibility
    assert sent.raw["url"].endswith(posted["id"])


@pytest.mark.parametrize("stored_visibility", ["direct", None, "limited", ""])
def test_a_direct_message_or_an_unknown_visibility_is_never_answered_publicly(acme, fake, stored_visibility):
    asked = polled(acme, fake, "direct")
    raw = dict(asked.raw)
    if stored_visibility is None:
        raw.pop("visibility")
    else:
        raw["visibility"] = stored_visibility
    Message.objects.filter(pk=asked.pk).update(raw=raw)
    asked.refresh_from_db()
    connector_for(acme).send(outgoing_for(asked))
    assert [p["visibility"] for p in fake.posted] == ["direct"]


def test_the_reply_mentions_the_customer_unless_it_already_does(acme, fake):
    asked = polled(acme, fake, "direct")
    connector = connector_for(acme)
    connector.send(outgoing_for(asked, "Sending you the label now.", reply_id=1))
    connector.send(outgoing_for(asked, "Hi @dana@mastodon.example, done.", reply_id=2))
    # A bare @dana would reach a local user of that name, not Dana: the full handle is added.
    connector.send(outgoing_for(asked, "@dana all set", reply_id=3))
    assert [p["status"] for p in fake.posted] == [
        "@dana@mastodon.example Sending you the label now.",
        "Hi @dana@mastodon.example, done.",
        "@dana@mastodon.example @dana all set",
    ]


def test_the_content_warning_of_the_status_answered_is_kept(acme, fake):
    notification = fake.mention("my card was charged twice", spoiler_text="billing")
    poll_channel(acme.pk)
    asked = Message.objects.get(external_id=notification["status"]["id"])
    connector_for(acme).send(outgoing_for(asked))
    assert fake.posted[0]["spoiler_text"] == "billing"


def test_a_retried_delivery_sends_the_same_idempotency_key_and_gets_the_same_status(acme, fake):
    asked = polled(acme, fake, "public")
    connector = connector_for(acme)
    first = connector.send(outgoing_for(asked))
    second = connector.send(outgoing_for(asked))
    assert first.external_id == second.external_id
    assert len(fake.posted) == 1
    keys = {r.headers.get("Idempotency-Key") for r in fake.requests if r.method == "POST"}
    assert keys == {"townsquare-reply-7"}


def test_a_reply_over_the_instances_limit_fails_before_anything_is_posted(acme, fake):
    asked = polled(acme, fake, "public")
    with pytest.raises(PermanentError, match="the instance allows 500: shorten it"):
        # 495 + "@dana " (the mention counts without its domain) = 501
        connector_for(acme).send(outgoing_for(asked, "x" * 495))
    assert not [r for r in fake.requests if r.method == "POST"]


def test_links_count_as_23_characters_like_mastodon_counts_them(acme, fake):
    asked = polled(acme, fake, "public")
    long_link = "https://shop.example/track/" + "9" * 600
    connector_for(acme).send(outgoing_for(asked, f"Track it here: {long_link}"))
    assert len(fake.posted) == 1


def test_a_larger_instance_limit_is_a_setting(acme, fake):
    acme.settings["max_characters"] = 1000
    acme.save()
    fake.character_limit = 1000
    asked = polled(acme, fake, "public")
    connector_for(acme).send(outgoing_for(asked, "x" * 900))
    assert len(fake.posted) == 1


def test_mastodons_own_refusal_is_permanent_with_its_message(acme, fake):
    asked = polled(acme, fake, "public")
    fake.character_limit = 20  # the instance is stricter than the channel's setting says
    with pytest.raises(PermanentError, match="Text character limit of 20 exceeded"):
        connector_for(acme).send(outgoing_for(asked))


def test_answering_a_deleted_status_is_permanent(acme, fake):
    asked = polled(acme, fake, "public")
    fake.delete_status(asked.external_id)
    with pytest.raises(PermanentError, match="Record not found"):
        connector_for(acme).send(outgoing_for(asked))


def test_a_server_error_is_temporary(acme, fake):
    asked = polled(acme, fake, "public")
    fake.fail_next.append((503, {"error": "Service Unavailable"}, {}))
    with pytest.raises(TransientError, match="503"):
        connector_for(acme).send(outgoing_for(asked))


def test_a_rate_limited_post_is_temporary_with_the_wait_until_the_reset(acme, fake):
    asked = polled(acme, fake, "public")
    fake.rate_remaining = 0
    with pytest.raises(TransientError) as raised:
        connector_for(acme).send(outgoing_for(asked))
    assert 250 < raised.value.retry_after <= 300


def test_a_timeout_is_temporary(acme, fake, monkeypatch):
    asked = polled(acme, fake, "public")
    monkeypatch.setattr(mastodon_client, "TIMEOUT_SECONDS", 0.2)
    fake.delay = 1.0
    with pytest.raises(TransientError, match="could not reach"):
        connector_for(acme).send(outgoing_for(asked))


def test_a_rejected_token_is_permanent(acme, fake):
    asked = polled(acme, fake, "public")
    fake.token = "rotated"  # noqa: S105
    with pytest.raises(PermanentError, match="access token rejected"):
        connector_for(acme).send(outgoing_for(asked))


def test_a_conversation_without_a_mastodon_status_cannot_be_answered_here(acme, fake):
    asked = polled(acme, fake, "public")
    outgoing = outgoing_for(asked)
    outgoing.parent_external_id = None
    with pytest.raises(PermanentError, match="no Mastodon post to answer"):
        connector_for(acme).send(outgoing)
    assert not fake.posted


def test_a_redirect_is_not_followed_so_the_token_stays_with_the_instance(acme, fake):
    asked = polled(acme, fake, "public")
    elsewhere = "http://127.0.0.1:9/api/v1/statuses"
    fake.fail_next.append((307, {}, {"Location": elsewhere}))
    with pytest.raises(PermanentError, match=f"the instance redirects to {elsewhere}"):
        connector_for(acme).send(outgoing_for(asked))
    assert not fake.posted
