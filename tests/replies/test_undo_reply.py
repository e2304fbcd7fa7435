"""Undo-send: a reply cancelled in its window never becomes a message."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.events.models import Event
from townsquare.inbox.models import Message
from townsquare.inbox.visibility import Forbidden
from townsquare.replies.models import Reply
from townsquare.replies.send import TooLateToUndo, send_reply, undo
from townsquare.replies.tasks import deliver_reply_task

from .helpers import SUPPORT, deliver_now


def test_alice_undoes_her_reply_and_nothing_is_sent(alice, dana_asks):
    reply = send_reply(alice, dana_asks, SUPPORT)
    undo(alice, reply)
    assert reply.status == "cancelled"
    Reply.objects.filter(pk=reply.pk).update(send_after=timezone.now() - timedelta(seconds=1))
    assert deliver_reply_task.call(reply.pk) == "cancelled"
    assert not Message.objects.filter(direction="out").exists()
    assert Event.objects.filter(kind="reply.undone", data__reply_id=reply.pk).exists()


def test_too_late_once_the_window_has_passed(alice, dana_asks):
    reply = send_reply(alice, dana_asks, SUPPORT)
    Reply.objects.filter(pk=reply.pk).update(send_after=timezone.now() - timedelta(seconds=1))
    with pytest.raises(TooLateToUndo):
        undo(alice, reply)


def test_too_late_once_delivered(alice, dana_asks):
    reply = send_reply(alice, dana_asks, SUPPORT)
    deliver_now(reply)
    with pytest.raises(TooLateToUndo, match="sent"):
        undo(alice, reply)


def test_bruno_cannot_undo_alices_reply_but_carol_can(alice, bruno, carol, dana_asks):
    reply = send_reply(alice, dana_asks, SUPPORT)
    with pytest.raises(Forbidden):
        undo(bruno, reply)
    assert undo(carol, reply).status == "cancelled"
