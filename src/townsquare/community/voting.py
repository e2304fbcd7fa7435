"""Votes on questions and answers, and "helpful" marks. Each change writes one event that names the
member whose reputation it moves (`beneficiary`), with the old and the new value, so a fold of the
log gives the same reputation as the running counter."""

from django.db import transaction
from django.db.models import F

from townsquare.community import privileges
from townsquare.community.errors import CommunityError, NotAllowed
from townsquare.community.events import record_community
from townsquare.community.models import Post, PostKind, Reaction, Topic, Visibility, Vote


def _votable(user, author_id: int | None, visibility: str) -> None:
    if visibility != Visibility.VISIBLE:
        raise CommunityError("only visible posts can be voted on")
    if author_id is not None and author_id == user.pk:
        raise NotAllowed("you cannot vote on your own post")


def vote(user, *, topic: Topic | None = None, post: Post | None = None, value: int) -> int:
    """Set the user's vote (1, -1, or 0 to take it back) on a topic or answer; returns its new score."""
    if value not in (1, 0, -1):
        raise CommunityError("value must be 1, 0 or -1")
    if (topic is None) == (post is None):
        raise CommunityError("vote on a topic or on a post")
    if value == 1:
        privileges.require(user, "vote_up")
    elif value == -1:
        privileges.require(user, "vote_down")
    target = post if post is not None else topic
    if post is not None and post.kind != PostKind.ANSWER:
        raise CommunityError("comments take helpful marks, not votes")
    _votable(user, target.author_id, target.visibility)
    model = Post if post is not None else Topic
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=target.pk)
        existing = Vote.objects.filter(
            user=user, post=post, topic=None if post is not None else topic
        ).first()
        previous = existing.value if existing else 0
        if previous == value:
            return locked.score
        if existing and value == 0:
            existing.delete()
        elif existing:
            existing.value = value
            existing.save(update_fields=["value"])
        else:
            Vote.objects.create(user=user, post=post, topic=None if post is not None else topic, value=value)
        model.objects.filter(pk=locked.pk).update(score=F("score") + value - previous)
        record_community(
            "community.vote",
            actor=user,
            data={
                "target": "post" if post is not None else "topic",
                "post": post.pk if post is not None else None,
                "topic": post.topic_id if post is not None else topic.pk,
                "beneficiary": target.author_id,
                "previous": previous,
                "value": value,
            },
        )
        return locked.score + value - previous


def mark_helpful(user, post: Post, helpful: bool = True) -> int:
    """Mark (or unmark) an answer or comment helpful; returns its helpful count."""
    privileges.require(user, "helpful")
    _votable(user, post.author_id, post.visibility)
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        existing = Reaction.objects.filter(user=user, post=post, kind=Reaction.HELPFUL).first()
        if bool(existing) == helpful:
            return locked.helpful_count
        if helpful:
            Reaction.objects.create(user=user, post=post, kind=Reaction.HELPFUL)
        else:
            existing.delete()
        change = 1 if helpful else -1
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + change)
        record_community(
            "community.helpful",
            actor=user,
            data={"post": post.pk, "topic": post.topic_id, "beneficiary": post.author_id, "helpful": helpful},
        )
        return locked.helpful_count + change
