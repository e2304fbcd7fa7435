"""What the topic page reads for one viewer: the topic, its answers and comments, the viewer's votes.

A fixed number of queries however long the thread: one for the topic (with its space, author and
tags), one for every post, one each for the viewer's votes and helpful marks. Held and hidden posts
are left out unless the viewer wrote them or moderates; those who see them see why they are held.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import Http404

from townsquare.community import privileges
from townsquare.community.accepting import may_accept
from townsquare.community.models import Post, PostKind, Reaction, Topic, Visibility, Vote
from townsquare.community.posting import may_edit
from townsquare.community.topic_views import record_view, visitor_token


def moderates(user) -> bool:
    """Staff moderators, and members trusted to moderate (trust level 4)."""
    return privileges.is_moderator(user) or privileges.can(user, "moderate")


def may_see(user, item, *, moderator: bool) -> bool:
    if item.visibility == Visibility.VISIBLE:
        return True
    return moderator or (user.is_authenticated and item.author_id == user.pk)


@dataclass
class Entry:
    """A topic or an answer as the page shows it, with what this viewer may do to it."""

    post: object
    my_vote: int = 0
    helpful: bool = False
    may_edit: bool = False
    comments: list = field(default_factory=list)

    @property
    def key(self) -> str:
        """Which comment form is this one's: "topic" for the question, "post-<id>" for an answer."""
        return "topic" if isinstance(self.post, Topic) else f"post-{self.post.pk}"


@dataclass
class Thread:
    topic: Topic
    question: Entry
    answers: list[Entry]
    moderator: bool
    may_accept: bool
    may_answer: bool
    may_vote_up: bool
    may_vote_down: bool
    answer_total: int = 0
    page: int = 1
    pages: int = 1

    @property
    def page_numbers(self) -> range:
        return range(1, self.pages + 1)


def load_topic(user, topic_id: int) -> tuple[Topic, bool]:
    """The topic, if this viewer may read it (404 otherwise: a held topic does not leak its title)."""
    topic = (
        Topic.objects.select_related("space", "author__member", "accepted_post")
        .prefetch_related("tags")
        .filter(pk=topic_id)
        .first()
    )
    if topic is None:
        raise Http404("no such topic")
    moderator = moderates(user)
    if not may_see(user, topic, moderator=moderator):
        raise Http404("no such topic")
    return topic, moderator


# Answers per topic page (Stack Overflow shows 30): a thread of hundreds renders in tens of ms.
ANSWERS_PER_PAGE = 30


def _shown(user, topic: Topic, moderator: bool):
    posts = Post.objects.filter(topic=topic)
    if not moderator:
        shown = Q(visibility=Visibility.VISIBLE)
        if user.is_authenticated:
            shown |= Q(author=user)
        posts = posts.filter(shown)
    return posts


def _answers(user, topic: Topic, moderator: bool, page: int) -> tuple[list[Post], int]:
    """One page of answers, accepted first, then by score, then oldest first; and how many there are."""
    answers = _shown(user, topic, moderator).filter(kind=PostKind.ANSWER)
    total = answers.count()
    accepted_first = Case(
        When(pk=topic.accepted_post_id or 0, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    start = (page - 1) * ANSWERS_PER_PAGE
    rows = (
        answers.select_related("author__member", "edited_by")
        .annotate(accepted_first=accepted_first)
        .order_by("accepted_first", "-score", "created_at", "id")[start : start + ANSWERS_PER_PAGE]
    )
    return list(rows), total


def _comments(user, topic: Topic, moderator: bool, answer_ids: list[int]) -> list[Post]:
    """Comments on the question and on the answers shown, oldest first."""
    comments = _shown(user, topic, moderator).filter(kind=PostKind.COMMENT)
    comments = comments.filter(Q(parent__isnull=True) | Q(parent_id__in=answer_ids))
    return list(comments.select_related("author__member", "edited_by").order_by("created_at", "id"))


def _mine(user, topic: Topic) -> tuple[dict, dict, set]:
    """The viewer's votes (on the topic, on its answers) and helpful marks: two queries."""
    if not user.is_authenticated:
        return {}, {}, set()
    votes = Vote.objects.filter(user=user).filter(Q(topic=topic) | Q(post__topic=topic))
    on_topic, on_posts = {}, {}
    for vote in votes.values("topic_id", "post_id", "value"):
        if vote["post_id"] is None:
            on_topic[vote["topic_id"]] = vote["value"]
        else:
            on_posts[vote["post_id"]] = vote["value"]
    helpful = set(
        Reaction.objects.filter(user=user, post__topic=topic, kind=Reaction.HELPFUL).values_list(
            "post_id", flat=True
        )
    )
    return on_topic, on_posts, helpful


def build_thread(user, topic: Topic, moderator: bool, page: int = 1) -> Thread:
    """What the page shows: the question, page `page` of the answers, and their comments."""
    answer_posts, total = _answers(user, topic, moderator, max(page, 1))
    pages = max(1, -(-total // ANSWERS_PER_PAGE))
    on_topic, on_posts, helpful = _mine(user, topic)
    question = Entry(
        topic,
        my_vote=on_topic.get(topic.pk, 0),
        may_edit=may_edit(user, author_id=topic.author_id),
    )
    answers = [
        Entry(
            post,
            my_vote=on_posts.get(post.pk, 0),
            helpful=post.pk in helpful,
            may_edit=may_edit(user, author_id=post.author_id, is_wiki=post.is_wiki),
        )
        for post in answer_posts
    ]
    by_id = {entry.post.pk: entry for entry in answers}
    for post in _comments(user, topic, moderator, list(by_id)):
        entry = Entry(post, helpful=post.pk in helpful, may_edit=may_edit(user, author_id=post.author_id))
        if post.parent_id is None:
            question.comments.append(entry)
        elif post.parent_id in by_id:
            by_id[post.parent_id].comments.append(entry)
    return Thread(
        topic=topic,
        question=question,
        answers=answers,
        moderator=moderator,
        may_accept=may_accept(user, topic) and topic.kind == "question",
        may_answer=user.is_authenticated,
        may_vote_up=privileges.can(user, "vote_up"),
        may_vote_down=privileges.can(user, "vote_down"),
        answer_total=total,
        page=min(max(page, 1), pages),
        pages=pages,
    )


SEEN_KEY = "community_seen_topics"
SEEN_COOKIE = "community_seen"
SEEN_KEEP = 100


def _seen(request) -> list[int]:
    """The topics this visitor's views were counted for: in the session when signed in; for anonymous
    readers in a signed cookie, so reading the community never writes a session row per visitor.
    The cookie also keeps the anonymous visitor's random token (insights count readers by its hash)."""
    if request.user.is_authenticated:
        return request.session.get(SEEN_KEY, [])
    raw = request.get_signed_cookie(SEEN_COOKIE, default="", salt=SEEN_COOKIE)
    request.community_visitor = visitor_token(raw)
    return [int(part) for part in raw.split(".") if part.isdigit()]


def count_view(request, topic: Topic) -> list[int] | None:
    """One more view, at most once per visitor per topic, as one UPDATE … SET view_count = view_count + 1.

    Returns the new list of seen topics to remember (`remember_views`), or None when this one was
    already counted.
    """
    seen = _seen(request)
    if topic.pk in seen:
        return None
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(view_count=F("view_count") + 1)
        record_view(request, topic, getattr(request, "community_visitor", None))
    topic.view_count += 1
    return [*seen[-(SEEN_KEEP - 1) :], topic.pk]


def remember_views(request, response, seen: list[int] | None) -> None:
    if seen is None:
        return
    if request.user.is_authenticated:
        request.session[SEEN_KEY] = seen
    else:
        value = ".".join([getattr(request, "community_visitor", None) or visitor_token(""), *map(str, seen)])
        response.set_signed_cookie(
            SEEN_COOKIE, value, salt=SEEN_COOKIE, max_age=30 * 24 * 3600, httponly=True, samesite="Lax"
        )
