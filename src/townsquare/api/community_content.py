"""/community/topics and /community/posts: read questions and answers (public), ask, answer,
comment, edit, vote, mark helpful and accept (signed in; the services check trust levels).

Every write goes through `community.posting`, `voting` or `accepting`; their errors answer 400
(CommunityError), 403 (NotAllowed), 409 (Conflict) and 400 with `reasons` (the reply guard).
"""

from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from townsquare.api.auth import caller
from townsquare.api.community_auth import PUBLIC_AUTH, PUBLIC_OPENAPI, check_public_rate, optional_caller
from townsquare.api.community_schemas import (
    PostOut,
    TopicDetailOut,
    TopicOut,
    TopicPage,
    post_dict,
    topic_detail,
    topic_dict,
    visible_post,
    visible_space,
    visible_topic,
    visible_topics,
)
from townsquare.api.cursor import Ordering, paginate
from townsquare.api.errors import error_responses
from townsquare.api.params import Id
from townsquare.community import accepting, posting, voting
from townsquare.community.errors import Conflict
from townsquare.community.models import Reaction, TopicKind

router = Router(tags=["community"])

SPACE = Query(None, description="a space id")
AUTHOR = Query(None, description="the author's user id")
BY_ACTIVITY = Ordering("community-topics", "last_activity_at", descending=True)
BODY = Field(min_length=1, max_length=posting.BODY_LIMIT, description="Markdown")
TAGS = Field(None, max_length=posting.MAX_TAGS, description="lowercase names: letters, digits and -")


class TopicIn(Schema):
    space_id: Id
    title: str = Field(min_length=1, max_length=posting.TITLE_LIMIT)
    body: str = BODY
    tags: list[str] | None = TAGS
    kind: TopicKind = TopicKind.QUESTION


class TopicPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=posting.TITLE_LIMIT)
    body: str | None = Field(None, min_length=1, max_length=posting.BODY_LIMIT)
    tags: list[str] | None = TAGS


class PostIn(Schema):
    body: str = BODY


class PostPatch(Schema):
    body: str | None = Field(None, min_length=1, max_length=posting.BODY_LIMIT)
    wiki: bool | None = Field(None, description="make an answer a wiki (trust level 3 may then edit it)")


class VoteIn(Schema):
    value: Literal[-1, 0, 1] = Field(
        description="1 up (trust level 1), -1 down (trust level 2), 0 takes it back"
    )


class ScoreOut(Schema):
    score: int


class HelpfulOut(Schema):
    helpful: bool
    helpful_count: int


def _detail(request, topic_id: int) -> dict:
    user = optional_caller(request)
    return topic_detail(user, visible_topic(user, topic_id))


@router.get(
    "/topics",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: TopicPage, **error_responses(400, 401, 404, 422, 429)},
    summary="Topics, most recently active first (public); follow `next_cursor` for the next page",
)
def list_topics(
    request,
    space: Id | None = SPACE,
    tag: str | None = Query(None, max_length=50, pattern=r"^[a-z0-9-]+$"),
    status: Literal["unanswered", "solved", "all"] = Query(
        "all", description="unanswered: questions without answers; solved: with an accepted answer"
    ),
    author: Id | None = AUTHOR,
    cursor: str | None = Query(None, max_length=200, description="`next_cursor` from the previous page"),
    limit: int = Query(30, ge=1, le=100),
):
    check_public_rate(request)
    user = optional_caller(request)
    topics = visible_topics(user)
    if space is not None:
        topics = topics.filter(space=visible_space(user, space))
    if tag:
        topics = topics.filter(tags__name=tag)
    if status == "unanswered":
        topics = topics.filter(kind=TopicKind.QUESTION, accepted_post__isnull=True, answer_count=0)
    elif status == "solved":
        topics = topics.filter(accepted_post__isnull=False)
    if author is not None:
        topics = topics.filter(author_id=author)
    page = paginate(
        topics.select_related("author__member").prefetch_related("tags"), BY_ACTIVITY, cursor, limit
    )
    return {"items": [topic_dict(topic) for topic in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/topics",
    response={201: TopicDetailOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Ask a question or start a discussion (signed in)",
)
def ask(request, payload: TopicIn):
    user = caller(request)
    space = visible_space(user, payload.space_id)
    topic = posting.ask(user, space, payload.title, payload.body, tags=payload.tags or (), kind=payload.kind)
    return Status(201, _detail(request, topic.pk))


@router.get(
    "/topics/{topic_id}",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: TopicDetailOut, **error_responses(401, 404, 422, 429)},
    summary="A topic with its answers (accepted first) and comments (public)",
)
def read_topic(request, topic_id: Id):
    check_public_rate(request)
    return _detail(request, topic_id)


@router.patch(
    "/topics/{topic_id}",
    response={200: TopicDetailOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Edit a topic's title, text or tags (its author or a moderator)",
)
def edit_topic(request, topic_id: Id, payload: TopicPatch):
    user = caller(request)
    fields = payload.dict(exclude_unset=True)
    topic = visible_topic(user, topic_id)
    posting.edit_topic(
        user, topic, title=fields.get("title"), body=fields.get("body"), tags=fields.get("tags")
    )
    return _detail(request, topic_id)


@router.post(
    "/topics/{topic_id}/answers",
    response={201: PostOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Answer a question (or reply to a discussion)",
)
def answer(request, topic_id: Id, payload: PostIn):
    user = caller(request)
    post = posting.answer(user, visible_topic(user, topic_id), payload.body)
    return Status(201, post_dict(post))


@router.post(
    "/topics/{topic_id}/comments",
    response={201: PostOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Comment on the question itself",
)
def comment_on_topic(request, topic_id: Id, payload: PostIn):
    user = caller(request)
    post = posting.comment(user, visible_topic(user, topic_id), payload.body)
    return Status(201, post_dict(post))


@router.post(
    "/posts/{post_id}/comments",
    response={201: PostOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Comment on an answer",
)
def comment_on_answer(request, post_id: Id, payload: PostIn):
    user = caller(request)
    parent = visible_post(user, post_id)
    post = posting.comment(user, parent.topic, payload.body, parent=parent)
    return Status(201, post_dict(post))


@router.patch(
    "/posts/{post_id}",
    response={200: PostOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Edit an answer or comment (its author, a moderator, or trust level 3 on a wiki)",
)
def edit_post(request, post_id: Id, payload: PostPatch):
    user = caller(request)
    post = visible_post(user, post_id)
    fields = payload.dict(exclude_unset=True)
    if fields.get("body") is not None:
        post = posting.edit_post(user, post, fields["body"])
    if fields.get("wiki") is not None:
        post = posting.set_wiki(user, post, fields["wiki"])
    post = visible_post(user, post_id)
    return post_dict(post, post.topic.accepted_post_id)


@router.post(
    "/topics/{topic_id}/vote",
    response={200: ScoreOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Vote on a topic: 1, -1, or 0 to take the vote back",
)
def vote_topic(request, topic_id: Id, payload: VoteIn):
    user = caller(request)
    return {"score": voting.vote(user, topic=visible_topic(user, topic_id), value=payload.value)}


@router.post(
    "/posts/{post_id}/vote",
    response={200: ScoreOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Vote on an answer: 1, -1, or 0 to take the vote back",
)
def vote_post(request, post_id: Id, payload: VoteIn):
    user = caller(request)
    return {"score": voting.vote(user, post=visible_post(user, post_id), value=payload.value)}


@router.post(
    "/posts/{post_id}/helpful",
    response={200: HelpfulOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Mark an answer or comment helpful",
)
def mark_helpful(request, post_id: Id):
    user = caller(request)
    count = voting.mark_helpful(user, visible_post(user, post_id), True)
    return {"helpful": True, "helpful_count": count}


@router.delete(
    "/posts/{post_id}/helpful",
    response={200: HelpfulOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Take back your helpful mark (409 if you had not marked it)",
)
def unmark_helpful(request, post_id: Id):
    user = caller(request)
    post = visible_post(user, post_id)
    was_marked = post.reactions.filter(user=user, kind=Reaction.HELPFUL).exists()
    # The service first checks who may (your own post: 403); unmarking nothing changes nothing.
    count = voting.mark_helpful(user, post, False)
    if not was_marked:
        raise Conflict("you have not marked this post helpful")
    return {"helpful": False, "helpful_count": count}


@router.post(
    "/posts/{post_id}/accept",
    response={200: TopicOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Accept an answer (the asker or staff); 409 if another is accepted",
)
def accept(request, post_id: Id):
    user = caller(request)
    topic = accepting.accept(user, visible_post(user, post_id))
    return topic_dict(visible_topic(user, topic.pk))


@router.delete(
    "/topics/{topic_id}/accepted",
    response={200: TopicOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Take back the accepted answer (the asker or staff); 409 if none is accepted",
)
def unaccept(request, topic_id: Id):
    user = caller(request)
    accepting.unaccept(user, visible_topic(user, topic_id))
    return topic_dict(visible_topic(user, topic_id))
