"""Bob answers Farid's question from the care console: the reply appears on the question in the
community, under Bob's name, without being copied back into the care thread."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.care.routing_helpers import events
from tests.community.conftest import at_trust_level
from townsquare.care.routing import route
from townsquare.community.models import Post
from townsquare.inbox.models import Message
from townsquare.replies.delivery import deliver_reply
from townsquare.replies.models import Reply
from townsquare.replies.send import send_reply

pytestmark = pytest.mark.django_db


def deliver(author, conversation, text) -> Reply:
    reply = send_reply(author, conversation, text)
    Reply.objects.filter(pk=reply.pk).update(send_after=timezone.now() - timedelta(seconds=1))
    deliver_reply(reply.pk)
    reply.refresh_from_db()
    return reply


@pytest.fixture
def bobs_case(farids_question, care_desk, bob):
    farids_question.refresh_from_db()
    conversation = farids_question.conversation
    route([conversation.pk])
    conversation.refresh_from_db()
    assert conversation.assignee == bob
    return conversation


def test_bobs_reply_is_his_answer_then_his_comments(farids_question, bobs_case, bob):
    first = deliver(bob, bobs_case, "Hold the button for ten seconds, or call +34 612 345 678.")
    assert first.status == "sent"
    [answer] = Post.objects.filter(topic=farids_question)
    assert answer.author == bob and answer.kind == "answer"
    assert answer.body == "Hold the button for ten seconds, or call [phone]."  # public: PII masked
    second = deliver(bob, bobs_case, "Did that help?")
    comment = Post.objects.get(topic=farids_question, kind="comment")
    assert comment.parent == answer and comment.body == "Did that help?"
    # The care thread has the question and the two replies, nothing mirrored twice.
    assert Message.objects.filter(conversation=bobs_case).count() == 3
    posted = events("community.reply_posted", bobs_case)
    assert [e.data["reply"] for e in posted] == [first.pk, second.pk]
    assert all(e.actor_id == bob.pk for e in posted)


def test_what_the_community_refuses_stays_in_care_with_the_reason(farids_question, bobs_case, bob):
    at_trust_level(bob, 0)  # links need trust level 1
    reply = deliver(bob, bobs_case, "See https://help.example.com/pairing")
    assert reply.status == "sent"
    assert not Post.objects.filter(topic=farids_question).exists()
    [refused] = events("community.reply_not_posted", bobs_case)
    assert "trust level 1" in refused.data["reason"] and refused.actor_id == bob.pk


def test_replies_keep_the_brand_identity(farids_question, members, alice, bobs_case, bob):
    from townsquare.community.posting import answer

    at_trust_level(alice, 2)
    answer(alice, farids_question, "Staff here: a firmware update fixes this.")  # mirrored into care
    deliver(bob, bobs_case, "Thanks Alice, that is right.")
    reply_message = Message.objects.get(external_id__startswith="townsquare-reply-")
    assert reply_message.author.external_id == "townsquare-brand"
