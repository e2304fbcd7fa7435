"""Collision detection: who else is replying now, and a reply sent while Alice was drafting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.inbox.models import Message
from townsquare.replies.models import ReplyPresence
from townsquare.replies.presence import heartbeat, replying_now
from townsquare.replies.send import NeedsAcknowledgement, send_reply

from .helpers import SUPPORT, deliver_now


def test_bruno_sees_alice_replying_for_15_seconds(alice, bruno, dana_asks):
    heartbeat(alice, dana_asks)
    heartbeat(bruno, dana_asks)
    assert replying_now(dana_asks, except_user=bruno) == [alice]
    assert replying_now(dana_asks, except_user=alice) == [bruno]
    ReplyPresence.objects.filter(user=alice).update(last_seen=timezone.now() - timedelta(seconds=16))
    assert replying_now(dana_asks, except_user=bruno) == []


def test_someone_else_replied_after_alice_opened_her_draft(alice, bruno, dana_asks):
    seen = Message.objects.get(external_id="t1").pk
    deliver_now(send_reply(bruno, dana_asks, "Bruno here: looking into it."))
    with pytest.raises(NeedsAcknowledgement, match="warnings") as warned:
        send_reply(alice, dana_asks, SUPPORT, seen_message_id=seen)
    assert "someone else replied" in warned.value.warnings[0]
    assert (
        send_reply(alice, dana_asks, SUPPORT, seen_message_id=seen, acknowledge_warnings=True).status
        == "scheduled"
    )


def test_a_reply_still_in_its_undo_window_counts_too(alice, bruno, dana_asks):
    seen = Message.objects.get(external_id="t1").pk
    send_reply(bruno, dana_asks, "Bruno here: looking into it.")
    with pytest.raises(NeedsAcknowledgement):
        send_reply(alice, dana_asks, SUPPORT, seen_message_id=seen)


def test_alice_is_not_warned_about_her_own_reply_or_when_she_saw_the_latest(alice, bruno, dana_asks):
    seen = Message.objects.get(external_id="t1").pk
    deliver_now(send_reply(alice, dana_asks, SUPPORT))
    assert send_reply(alice, dana_asks, "One more detail.", seen_message_id=seen).status == "scheduled"
    bruno_reply = send_reply(bruno, dana_asks, "Bruno here.", seen_message_id=seen, acknowledge_warnings=True)
    deliver_now(bruno_reply)
    latest = bruno_reply.message_id
    assert send_reply(alice, dana_asks, "Thanks Bruno.", seen_message_id=latest).status == "scheduled"
