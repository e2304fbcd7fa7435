"""What a polled mention becomes: readable text, the author's handle, its thread, what was unreadable."""

import json

import pytest

from tests.mastodon.conftest import mastodon_channel
from tests.mastodon.fake_server import account
from townsquare.connectors.models import RejectedInbound
from townsquare.connectors.polling import poll_channel
from townsquare.events.models import Event
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Channel, Message

pytestmark = pytest.mark.django_db

MASTODON_HTML = (
    '<p><span class="h-card"><a href="https://social.example/@acme" class="u-url mention">'
    "@<span>acme</span></a></span> my order &amp; the <b>refund</b> &lt;3<br />tracking: "
    '<a href="https://shop.example/track/48213" rel="nofollow noopener" target="_blank">'
    '<span class="invisible">https://</span><span class="ellipsis">shop.example/track/</span>'
    '<span class="invisible">48213</span></a></p><p>second paragraph</p>'
    "<script>alert('x')</script><img src=x onerror=alert(1)>"
)


def test_html_content_becomes_plain_text_with_line_breaks_links_and_no_markup(acme, fake):
    fake.mention("", content_html=MASTODON_HTML)
    poll_channel(acme.pk)
    message = Message.objects.get(channel=acme)
    assert message.text == (
        "@acme my order & the refund <3\ntracking: https://shop.example/track/48213\n\nsecond paragraph"
    )
    # The HTML as sent is kept in the raw payload, not shown.
    assert message.raw["content_html"] == MASTODON_HTML


def test_the_content_warning_and_media_are_kept(acme, fake):
    fake.mention(
        "the box arrived crushed",
        spoiler_text="damaged delivery",
        media=[
            {
                "id": "77",
                "type": "image",
                "url": "https://files.example/a.jpg",
                "preview_url": "https://files.example/a_small.jpg",
                "description": "a crushed box",
                "meta": {"width": 800},
            }
        ],
    )
    poll_channel(acme.pk)
    message = Message.objects.get(channel=acme)
    assert message.text.startswith("CW: damaged delivery\n\n@acme the box arrived crushed")
    assert "[image — a crushed box] https://files.example/a.jpg" in message.text
    assert message.raw["spoiler_text"] == "damaged delivery"
    assert message.raw["media"] == [
        {
            "id": "77",
            "type": "image",
            "url": "https://files.example/a.jpg",
            "preview_url": "https://files.example/a_small.jpg",
            "description": "a crushed box",
        }
    ]


def test_authors_are_named_by_their_full_handle(acme, fake):
    fake.mention("remote", author=account("dana", domain="mastodon.example", name="Dana Ortiz"))
    fake.mention("local", author=account("lee", name="Lee"))
    poll_channel(acme.pk)
    dana = Message.objects.get(channel=acme, text="@acme remote").author
    lee = Message.objects.get(channel=acme, text="@acme local").author
    assert (dana.handle, dana.display_name) == ("@dana@mastodon.example", "Dana Ortiz")
    # An account on the brand's own instance is named with the instance's public host.
    assert lee.handle == "@lee@social.example"
    assert Message.objects.get(channel=acme, text="@acme remote").raw["account"]["acct"] == (
        "@dana@mastodon.example"
    )


def test_a_mention_answering_our_reply_joins_the_conversation(acme, fake):
    question = fake.mention("where is my order?")
    poll_channel(acme.pk)
    asked = Message.objects.get(channel=acme)
    # Our reply, stored as delivery stores it: under the id of the status the instance created.
    store_messages(
        acme,
        [
            InboundMessage(
                external_id="109000000000000555",
                author_id="townsquare-brand",
                text="It ships today.",
                created_at=asked.created_at,
                direction="out",
                parent_external_id=question["status"]["id"],
                raw={"visibility": "public"},
            )
        ],
        source="reply",
    )
    fake.statuses["109000000000000555"] = {"id": "109000000000000555"}
    fake.mention("thanks! and the invoice?", in_reply_to_id="109000000000000555")
    poll_channel(acme.pk)
    follow_up = Message.objects.get(channel=acme, text="@acme thanks! and the invoice?")
    assert follow_up.conversation_id == asked.conversation_id
    assert follow_up.parent.external_id == "109000000000000555"
    assert follow_up.conversation.message_count == 3


def test_direct_messages_are_skipped_when_the_channel_leaves_them_out(db, fake):
    channel = mastodon_channel(fake, include_direct=False)
    fake.mention("a private question", visibility="direct")
    fake.mention("a public one")
    outcome = poll_channel(channel.pk)
    assert outcome.stored == 1
    assert list(Message.objects.filter(channel=channel).values_list("text", flat=True)) == [
        "@acme a public one"
    ]
    # The cursor moved past the skipped DM: it is not fetched again.
    assert poll_channel(channel.pk).stored == 0


def test_direct_messages_are_polled_by_default(acme, fake):
    fake.mention("a private question", visibility="direct")
    poll_channel(acme.pk)
    assert Message.objects.get(channel=acme).raw["visibility"] == "direct"


def test_an_unreadable_notification_is_kept_for_inspection_and_does_not_block_the_others(acme, fake):
    broken = fake.mention("fine so far")
    broken["status"]["created_at"] = "last tuesday"
    fake.mention("readable")
    outcome = poll_channel(acme.pk)
    assert (outcome.stored, outcome.rejected, outcome.error) == (1, 1, "")
    rejected = RejectedInbound.objects.get(channel=acme)
    assert "created_at 'last tuesday' is not an ISO 8601 date" in rejected.reason
    assert json.loads(bytes(rejected.raw))["id"] == broken["id"]
    assert broken["id"] in rejected.summary
    assert Channel.objects.get(pk=acme.pk).messages_rejected == 1
    assert Event.objects.filter(kind="channel.poll_rejected", channel_id=acme.pk).count() == 1
    # The cursor moved past it: it is not fetched and rejected again.
    assert poll_channel(acme.pk).rejected == 0
    assert RejectedInbound.objects.count() == 1


def test_a_status_with_a_nul_character_is_rejected_not_stored(acme, fake):
    fake.mention("bad \x00 byte")
    outcome = poll_channel(acme.pk)
    assert (outcome.stored, outcome.rejected) == (0, 1)
    assert "NUL" in RejectedInbound.objects.get().reason
