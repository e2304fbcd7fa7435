"""What a moderator or a flag points at: a topic (its question) or one of its posts."""

from dataclasses import dataclass

from django.db.models import QuerySet

from townsquare.community.errors import CommunityError
from townsquare.community.models import Flag, FlagStatus, Post, PostKind, Topic


class Missing(CommunityError):
    """The topic, post, space or suspension named does not exist (the API answers 404)."""


@dataclass
class Target:
    topic: Topic
    post: Post | None = None

    @property
    def row(self) -> Topic | Post:
        return self.post if self.post is not None else self.topic

    @property
    def author(self):
        return self.row.author

    @property
    def noun(self) -> str:
        if self.post is None:
            return self.topic.get_kind_display().lower()
        return "answer" if self.post.kind == PostKind.ANSWER else "comment"

    @property
    def is_answer(self) -> bool:
        return self.post is not None and self.post.kind == PostKind.ANSWER

    def describe(self) -> str:
        """ "your answer in “Title”", for notices to the author."""
        return f"your {self.noun} in “{self.topic.title}”"

    def open_flags(self) -> QuerySet[Flag]:
        flags = Flag.objects.filter(topic_id=self.topic.pk, status=FlagStatus.OPEN)
        if self.post is None:
            return flags.filter(post__isnull=True)
        return flags.filter(post_id=self.post.pk)


def locked_target(*, topic_id: int | None = None, post_id: int | None = None) -> Target:
    """The topic or post locked for update (its topic locked too: its counts may change)."""
    if (topic_id is None) == (post_id is None):
        raise CommunityError("name either a topic or a post")
    if post_id is not None:
        post = Post.objects.filter(pk=post_id).first()
        if post is None:
            raise Missing(f"post {post_id} does not exist")
        topic = Topic.objects.select_for_update().select_related("space").get(pk=post.topic_id)
        post = Post.objects.select_for_update().get(pk=post_id)
        post.topic = topic
        return Target(topic=topic, post=post)
    topic = Topic.objects.select_for_update().select_related("space").filter(pk=topic_id).first()
    if topic is None:
        raise Missing(f"topic {topic_id} does not exist")
    return Target(topic=topic)
