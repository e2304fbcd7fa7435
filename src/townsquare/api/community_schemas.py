"""What the community API returns, and which rows a caller may see.

Held posts (spam caught by triage) and hidden ones (a moderator's decision) are shown only to their
author, who is told why (`visibility_reason`), and to moderators; deleted ones to nobody here.
Anything else is answered as if it did not exist (404), so ids do not reveal held content.
"""

from datetime import datetime

from django.db.models import Q
from ninja import Field, Schema

from townsquare.api.errors import NotFound
from townsquare.community import privileges
from townsquare.community.models import Post, Space, Topic, Visibility

VISIBILITY_HELP = "visible; held (waiting for review) and hidden are shown only to the author and moderators"


class AuthorOut(Schema):
    id: int
    username: str
    name: str = Field(description="the member's display name")


class SpaceOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    language: str = Field(description="ISO 639-1 code, empty for any language")
    product: str
    allows_promotion: bool = Field(description="brand posts with promotional content are allowed here")
    unanswered_after_hours: int = Field(description="questions unanswered this long go to the staff queue")
    slow_mode_seconds: int
    is_active: bool
    created_at: datetime


class TopicOut(Schema):
    id: int
    space_id: int
    kind: str = Field(description="question or discussion")
    title: str
    author: AuthorOut | None
    tags: list[str]
    language: str
    visibility: str = Field(description=VISIBILITY_HELP)
    created_at: datetime
    last_activity_at: datetime
    edited_at: datetime | None
    answer_count: int
    score: int
    view_count: int
    is_closed: bool
    accepted_post_id: int | None
    solved: bool


class PostOut(Schema):
    id: int
    topic_id: int
    kind: str = Field(description="answer or comment")
    parent_id: int | None = Field(description="the answer a comment is on; empty for comments on the topic")
    author: AuthorOut | None
    body: str = Field(description="Markdown, as written")
    body_html: str = Field(description="sanitised HTML")
    language: str
    visibility: str = Field(description=VISIBILITY_HELP)
    visibility_reason: str = Field(description="why it is held or hidden (seen by the author and moderators)")
    created_at: datetime
    edited_at: datetime | None
    is_wiki: bool
    score: int
    helpful_count: int
    accepted: bool
    comments: list["PostOut"] = Field(description="comments on an answer, oldest first")


class TopicDetailOut(TopicOut):
    body: str = Field(description="Markdown, as written")
    body_html: str = Field(description="sanitised HTML")
    visibility_reason: str
    answers: list[PostOut] = Field(description="the accepted answer first, then by score, then oldest first")
    comments: list[PostOut] = Field(description="comments on the question itself, oldest first")


class TopicPage(Schema):
    items: list[TopicOut]
    next_cursor: str | None


def sees_everything(user) -> bool:
    """Moderators by role, or trust level 4 members (who hold the `moderate` privilege)."""
    return user is not None and (privileges.is_moderator(user) or privileges.can(user, "moderate"))


def visible_q(user) -> Q:
    """The rows (topics or posts) `user` may read; None is an anonymous visitor."""
    if sees_everything(user):
        return ~Q(visibility=Visibility.DELETED)
    shown = Q(visibility=Visibility.VISIBLE)
    if user is not None:
        shown |= Q(visibility__in=[Visibility.HELD, Visibility.HIDDEN], author_id=user.pk)
    return shown


def visible_topics(user):
    return Topic.objects.filter(visible_q(user), space__is_active=True)


def visible_topic(user, topic_id: int) -> Topic:
    topic = visible_topics(user).select_related("space", "author__member").filter(pk=topic_id).first()
    if topic is None:
        raise NotFound(f"topic {topic_id} not found")
    return topic


def visible_post(user, post_id: int) -> Post:
    post = (
        Post.objects.filter(visible_q(user), pk=post_id)
        .filter(Q(topic__in=visible_topics(user)))
        .select_related("topic__space", "author__member")
        .first()
    )
    if post is None:
        raise NotFound(f"post {post_id} not found")
    return post


def visible_space(user, space_id: int) -> Space:
    spaces = Space.objects.all() if sees_everything(user) else Space.objects.filter(is_active=True)
    space = spaces.filter(pk=space_id).first()
    if space is None:
        raise NotFound(f"space {space_id} not found")
    return space


def author_of(user) -> dict | None:
    if user is None:
        return None
    # A user without a Member row raises RelatedObjectDoesNotExist, an AttributeError.
    member = getattr(user, "member", None)
    name = member.name if member is not None else (user.get_full_name() or user.get_username())
    return {"id": user.pk, "username": user.get_username(), "name": name}


def topic_dict(topic: Topic) -> dict:
    return {
        "id": topic.pk,
        "space_id": topic.space_id,
        "kind": topic.kind,
        "title": topic.title,
        "author": author_of(topic.author),
        "tags": [tag.name for tag in topic.tags.all()],
        "language": topic.language,
        "visibility": topic.visibility,
        "created_at": topic.created_at,
        "last_activity_at": topic.last_activity_at,
        "edited_at": topic.edited_at,
        "answer_count": topic.answer_count,
        "score": topic.score,
        "view_count": topic.view_count,
        "is_closed": topic.is_closed,
        "accepted_post_id": topic.accepted_post_id,
        "solved": topic.accepted_post_id is not None,
    }


def post_dict(post: Post, accepted_id: int | None = None, comments=()) -> dict:
    return {
        "id": post.pk,
        "topic_id": post.topic_id,
        "kind": post.kind,
        "parent_id": post.parent_id,
        "author": author_of(post.author),
        "body": post.body,
        "body_html": post.body_html,
        "language": post.language,
        "visibility": post.visibility,
        "visibility_reason": post.visibility_reason,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "is_wiki": post.is_wiki,
        "score": post.score,
        "helpful_count": post.helpful_count,
        "accepted": accepted_id is not None and post.pk == accepted_id,
        "comments": [post_dict(comment) for comment in comments],
    }


def topic_detail(user, topic: Topic) -> dict:
    """The topic with the answers and comments `user` may see, in two queries whatever their number."""
    posts = list(
        Post.objects.filter(visible_q(user), topic=topic)
        .select_related("author__member")
        .order_by("created_at", "id")
    )
    answers = [post for post in posts if post.kind == "answer"]
    on_topic = [post for post in posts if post.kind == "comment" and post.parent_id is None]
    under: dict[int, list[Post]] = {}
    for post in posts:
        if post.kind == "comment" and post.parent_id is not None:
            under.setdefault(post.parent_id, []).append(post)
    accepted = topic.accepted_post_id
    # Stable sorts: oldest first within the same score; the accepted answer ahead of all.
    answers.sort(key=lambda post: (post.pk != accepted, -post.score))
    return {
        **topic_dict(topic),
        "body": topic.body,
        "body_html": topic.body_html,
        "visibility_reason": topic.visibility_reason,
        "answers": [post_dict(answer, accepted, under.get(answer.pk, ())) for answer in answers],
        "comments": [post_dict(comment) for comment in on_topic],
    }
