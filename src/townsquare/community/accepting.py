"""Accepting an answer: only the asker or staff, one accepted answer per question.

An accepted answer by someone who is not brand staff is a *peer resolution*: the event says so,
and insights and the ambassador leaderboard count it from there.
"""

from django.db import transaction
from django.utils import timezone

from townsquare.community import privileges
from townsquare.community.errors import CommunityError, Conflict, NotAllowed
from townsquare.community.events import record_community
from townsquare.community.models import Post, PostKind, Topic, TopicKind, Visibility


def may_accept(user, topic: Topic) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return topic.author_id == user.pk or privileges.is_brand(user)


def accept(user, post: Post) -> Topic:
    """Mark `post` as the accepted answer of its question (replacing none: unaccept first)."""
    if not may_accept(user, post.topic):
        raise NotAllowed("only the person who asked, or staff, may accept an answer")
    if post.kind != PostKind.ANSWER:
        raise CommunityError("only an answer can be accepted")
    if post.visibility != Visibility.VISIBLE:
        raise CommunityError("a hidden or held answer cannot be accepted")
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=post.topic_id)
        if topic.kind != TopicKind.QUESTION:
            raise CommunityError("only questions have accepted answers")
        if topic.accepted_post_id == post.pk:
            raise Conflict("this answer is already accepted")
        if topic.accepted_post_id is not None:
            raise Conflict(f"answer {topic.accepted_post_id} is already accepted; unaccept it first")
        now = timezone.now()
        topic.accepted_post_id, topic.accepted_at = post.pk, now
        topic.save(update_fields=["accepted_post", "accepted_at"])
        answerer = post.author
        peer = answerer is not None and not privileges.is_brand(answerer)
        record_community(
            "community.answer_accepted",
            actor=user,
            conversation_id=topic.conversation_id,
            data={
                "topic": topic.pk,
                "post": post.pk,
                "space": topic.space_id,
                "answerer": post.author_id,
                "asker": topic.author_id,
                "peer": peer,
                "answered_after_seconds": int((post.created_at - topic.created_at).total_seconds()),
            },
        )
    return topic


def unaccept(user, topic: Topic) -> Topic:
    if not may_accept(user, topic):
        raise NotAllowed("only the person who asked, or staff, may change the accepted answer")
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if topic.accepted_post_id is None:
            raise Conflict("no answer is accepted")
        post = Post.objects.get(pk=topic.accepted_post_id)
        topic.accepted_post_id, topic.accepted_at = None, None
        topic.save(update_fields=["accepted_post", "accepted_at"])
        record_community(
            "community.answer_unaccepted",
            actor=user,
            conversation_id=topic.conversation_id,
            data={
                "topic": topic.pk,
                "post": post.pk,
                "answerer": post.author_id,
                "asker": topic.author_id,
                "peer": post.author is not None and not privileges.is_brand(post.author),
            },
        )
    return topic
