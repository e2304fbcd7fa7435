"""Chatter is left alone: replying into a conversation that did not invite the brand gets a warning."""

from townsquare.replies.guard import check_outgoing

REPLY = "Thanks for the shout-out, glad you like the ad!"


def test_reply_to_chatter_is_warned_not_blocked(dana_conversation):
    dana_conversation.kind, dana_conversation.invites_reply = "chatter", False
    verdict = check_outgoing(REPLY, conversation=dana_conversation)
    assert not verdict.blocked
    assert verdict.warnings == ["This conversation did not invite a reply from the brand (chatter)."]


def test_not_for_us_is_warned(dana_conversation):
    dana_conversation.not_for_us = True
    verdict = check_outgoing(REPLY, conversation=dana_conversation)
    assert verdict.warnings == [
        "This conversation was marked not for us: it did not invite a reply from the brand (complaint)."
    ]


def test_conversation_that_invited_a_reply_has_no_warning(dana_conversation):
    assert check_outgoing(REPLY, conversation=dana_conversation).warnings == []


def test_untriaged_conversation_has_no_warning(dana_conversation):
    dana_conversation.kind, dana_conversation.invites_reply = "", None
    assert check_outgoing(REPLY, conversation=dana_conversation).warnings == []


def test_pitch_into_chatter_is_blocked_and_warned(dana_conversation):
    dana_conversation.kind, dana_conversation.invites_reply = "chatter", False
    verdict = check_outgoing("Buy now, limited time!", conversation=dana_conversation)
    assert verdict.blocked and verdict.warnings
