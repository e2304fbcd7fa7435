"""The reply guard on a reply: a pitch to Dana is blocked, Carol may override with a reason, Alice may not."""

import pytest

from townsquare.events.models import Event
from townsquare.inbox.models import Conversation, Message
from townsquare.people.consent import record_consent
from townsquare.replies.models import Reply
from townsquare.replies.send import NeedsAcknowledgement, ReplyBlocked, send_reply
from townsquare.replies.tasks import deliver_reply_task

from .helpers import PITCH, SUPPORT, deliver_now


def test_a_pitch_to_dana_is_blocked_with_reasons_and_never_becomes_a_message(alice, dana_asks):
    with pytest.raises(ReplyBlocked) as blocked:
        send_reply(alice, dana_asks, PITCH)
    assert blocked.value.reasons and any(
        "SAVE20" in reason or "discount" in reason.lower() for reason in blocked.value.reasons
    )
    reply = Reply.objects.get()
    assert reply.status == "blocked" and reply.guard["blocked"] is True
    event = Event.objects.get(kind="guard.blocked")
    assert event.data["reasons"] == blocked.value.reasons and event.actor_id == alice.pk
    assert deliver_reply_task.call(reply.pk) == "blocked"
    assert not Message.objects.filter(direction="out").exists()


def test_carol_overrides_with_a_reason_and_the_override_is_logged(carol, dana_asks):
    reply = send_reply(carol, dana_asks, PITCH, override_reason="Dana asked for a coupon on the phone")
    assert (reply.status, reply.overridden_by, reply.override_reason) == (
        "scheduled",
        carol,
        "Dana asked for a coupon on the phone",
    )
    event = Event.objects.get(kind="guard.overridden")
    assert event.actor_id == carol.pk
    assert event.data["reason"] == "Dana asked for a coupon on the phone"
    assert deliver_now(reply) == "sent"


def test_carol_without_a_reason_is_blocked_and_told_to_give_one(carol, dana_asks):
    with pytest.raises(ReplyBlocked, match="override reason"):
        send_reply(carol, dana_asks, PITCH, override_reason="   ")


def test_alice_cannot_override(alice, dana_asks):
    with pytest.raises(ReplyBlocked, match="only a supervisor or an admin"):
        send_reply(alice, dana_asks, PITCH, override_reason="I think she would like it")
    assert not Event.objects.filter(kind="guard.overridden").exists()
    assert Reply.objects.get().status == "blocked"


def test_after_dana_opts_in_to_offers_the_same_text_passes(alice, dana_asks):
    record_consent(
        None, dana_asks.customer, "offers", granted=True, source="livechat", wording="Send me offers"
    )
    assert send_reply(alice, dana_asks, PITCH).status == "scheduled"


def test_a_reply_to_chatter_needs_the_warning_acknowledged(alice, dana_asks):
    Conversation.objects.filter(pk=dana_asks.pk).update(invites_reply=False, kind="chatter")
    dana_asks.refresh_from_db()
    with pytest.raises(NeedsAcknowledgement) as warned:
        send_reply(alice, dana_asks, SUPPORT)
    assert warned.value.warnings
    assert not Reply.objects.exists()
    reply = send_reply(alice, dana_asks, SUPPORT, acknowledge_warnings=True)
    assert reply.status == "scheduled"
    acknowledged = [e.data["acknowledged"] for e in Event.objects.filter(kind="guard.warned")]
    assert acknowledged == [False, True]
