"""Asking, answering, commenting and editing: the writes every community page and API call go through.

Every post is checked in the same order: the member may post here at all (signed in, not
suspended, trust level), the space's slow mode, links need trust level 1, a brand post with
promotional content in a space that does not allow it is blocked by the reply guard, and triage
decides its language and whether it is held for review as spam. Then the row, the topic's running
counts and the event are written in one transaction.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from townsquare.community import markdown, privileges
from townsquare.community.errors import CommunityError, NotAllowed, PromotionBlocked
from townsquare.community.events import record_community
from townsquare.community.members import locked_member
from townsquare.community.models import Post, PostKind, Space, Tag, Topic, TopicKind, Visibility

TITLE_LIMIT = 200
BODY_LIMIT = 30_000
MAX_TAGS = 5
_TAG = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")


@dataclass(frozen=True)
class Screening:
    """What triage says about a new text: its language, and why it is held (blank: it shows)."""

    language: str
    held_reason: str


def screen(text: str) -> Screening:
    from townsquare.triage.pipeline import triage_fast

    labels = triage_fast([text])[0]
    threshold = settings.COMMUNITY_SPAM_HOLD_PERCENT / 100
    held = ""
    if labels.kind == "spam" or labels.spam_score >= threshold:
        held = f"held for review: it looks like spam (score {labels.spam_score:.2f})"
    language = "" if labels.language == "und" else labels.language
    return Screening(language=language, held_reason=held)


def clean_tags(names) -> list[str]:
    tags = []
    for name in names or []:
        tag = str(name).strip().lower().replace(" ", "-")
        if not _TAG.match(tag):
            raise CommunityError(f"tag {name!r}: use lowercase letters, digits and -, up to 50 characters")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise CommunityError(f"at most {MAX_TAGS} tags")
    return tags


def _check_text(body: str, *, field: str = "body", minimum: int = 1) -> str:
    if not isinstance(body, str):
        raise CommunityError(f"{field} must be text")
    body = body.replace("\x00", "").strip()
    if len(body) < minimum:
        raise CommunityError(f"{field} must have at least {minimum} characters")
    if len(body) > BODY_LIMIT:
        raise CommunityError(f"{field} may have at most {BODY_LIMIT} characters")
    return body


def _check_poster(user, privilege: str, space: Space, text: str, *, enforce_slow_mode: bool = True):
    privileges.require(user, privilege)
    member = locked_member(user)
    if enforce_slow_mode and space.slow_mode_seconds and not privileges.is_moderator(user):
        last = member.last_posted_at
        if last is not None:
            wait = last + timedelta(seconds=space.slow_mode_seconds) - timezone.now()
            if wait.total_seconds() > 0:
                raise CommunityError(
                    f"slow mode in {space.name}: you can post again in {int(wait.total_seconds()) + 1} s"
                )
    if markdown.has_links(text) and not privileges.can(user, "post_links"):
        raise NotAllowed("you need trust level 1 (basic) to post links")
    if privileges.is_brand(user) and not space.allows_promotion:
        from townsquare.replies.guard import check_outgoing

        verdict = check_outgoing(markdown.plain_text(text))
        if verdict.blocked:
            raise PromotionBlocked(verdict.reasons)
    return member


def _visible_to_poster(topic: Topic, user) -> None:
    if topic.visibility != Visibility.VISIBLE and not (
        privileges.is_moderator(user) or topic.author_id == user.pk
    ):
        raise CommunityError(f"topic {topic.pk} is not open for posts")


def ask(user, space: Space, title: str, body: str, *, tags=(), kind: str = TopicKind.QUESTION) -> Topic:
    """A new question or discussion in `space` by `user`."""
    title = _check_text(title, field="title", minimum=5)
    if len(title) > TITLE_LIMIT:
        raise CommunityError(f"title may have at most {TITLE_LIMIT} characters")
    body = _check_text(body, minimum=1)
    if kind not in TopicKind.values:
        raise CommunityError(f"kind must be one of {', '.join(TopicKind.values)}")
    if not space.is_active:
        raise CommunityError(f"space {space.slug} is closed")
    tag_names = clean_tags(tags)
    screening = screen(f"{title}\n{markdown.plain_text(body)}")
    now = timezone.now()
    with transaction.atomic():
        member = _check_poster(user, "ask", space, f"{title}\n{body}")
        topic = Topic.objects.create(
            space=space,
            kind=kind,
            title=title,
            body=body,
            body_html=markdown.render(body),
            author=user,
            language=screening.language,
            visibility=Visibility.HELD if screening.held_reason else Visibility.VISIBLE,
            visibility_reason=screening.held_reason,
            created_at=now,
            last_activity_at=now,
        )
        if tag_names:
            for name in tag_names:
                Tag.objects.get_or_create(name=name)
            topic.tags.set(Tag.objects.filter(name__in=tag_names))
        member.last_posted_at = now
        member.save(update_fields=["last_posted_at"])
        record_community(
            "community.topic_created",
            actor=user,
            data={
                "topic": topic.pk,
                "space": space.pk,
                "kind": kind,
                "language": screening.language,
                "held": bool(screening.held_reason),
            },
        )
    return topic


def answer(user, topic: Topic, body: str) -> Post:
    return _post(user, topic, body, kind=PostKind.ANSWER)


def comment(user, topic: Topic, body: str, *, parent: Post | None = None) -> Post:
    """A comment on the topic itself (no parent) or on one of its answers."""
    if parent is not None and (parent.topic_id != topic.pk or parent.kind != PostKind.ANSWER):
        raise CommunityError("comments go on the topic or on one of its answers")
    return _post(user, topic, body, kind=PostKind.COMMENT, parent=parent)


def _post(user, topic: Topic, body: str, *, kind: str, parent: Post | None = None) -> Post:
    body = _check_text(body, minimum=1 if kind == PostKind.COMMENT else 2)
    if kind == PostKind.ANSWER and topic.kind != TopicKind.QUESTION:
        kind_label = "reply"
    else:
        kind_label = kind
    screening = screen(markdown.plain_text(body))
    now = timezone.now()
    with transaction.atomic():
        topic = Topic.objects.select_for_update().select_related("space").get(pk=topic.pk)
        if topic.is_closed and not privileges.is_moderator(user):
            raise CommunityError(f"topic {topic.pk} is closed")
        _visible_to_poster(topic, user)
        member = _check_poster(user, "answer", topic.space, body)
        post = Post.objects.create(
            topic=topic,
            kind=kind,
            parent=parent,
            author=user,
            body=body,
            body_html=markdown.render(body),
            language=screening.language,
            visibility=Visibility.HELD if screening.held_reason else Visibility.VISIBLE,
            visibility_reason=screening.held_reason,
            created_at=now,
        )
        fields = ["last_activity_at"]
        topic.last_activity_at = now
        if kind == PostKind.ANSWER and not screening.held_reason:
            topic.answer_count += 1
            fields.append("answer_count")
        topic.save(update_fields=fields)
        member.last_posted_at = now
        member.save(update_fields=["last_posted_at"])
        record_community(
            "community.post_created",
            actor=user,
            data={
                "post": post.pk,
                "topic": topic.pk,
                "space": topic.space_id,
                "kind": kind,
                "as": kind_label,
                "parent": parent.pk if parent else None,
                "topic_author": topic.author_id,
                "language": screening.language,
                "held": bool(screening.held_reason),
            },
        )
    return post


def may_edit(user, *, author_id: int | None, is_wiki: bool = False) -> bool:
    if not (user and user.is_authenticated):
        return False
    if privileges.is_moderator(user) or (author_id is not None and author_id == user.pk):
        return not privileges.is_suspended(user) or privileges.is_moderator(user)
    return is_wiki and privileges.can(user, "edit_wiki")


def edit_post(user, post: Post, body: str) -> Post:
    """The author, or anyone with `edit_wiki` on a wiki answer, changes a post's text."""
    body = _check_text(body)
    if not may_edit(user, author_id=post.author_id, is_wiki=post.is_wiki):
        raise NotAllowed("only the author (or trust level 3 on a wiki answer) may edit this post")
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic__space").get(pk=post.pk)
        _check_poster(user, "answer", post.topic.space, body, enforce_slow_mode=False)
        post.body, post.body_html = body, markdown.render(body)
        post.edited_at, post.edited_by = timezone.now(), user
        post.save(update_fields=["body", "body_html", "edited_at", "edited_by"])
        record_community("community.post_edited", actor=user, data={"post": post.pk, "topic": post.topic_id})
    return post


def edit_topic(user, topic: Topic, *, title: str | None = None, body: str | None = None, tags=None) -> Topic:
    if not may_edit(user, author_id=topic.author_id):
        raise NotAllowed("only the author or a moderator may edit this topic")
    with transaction.atomic():
        topic = Topic.objects.select_for_update().select_related("space").get(pk=topic.pk)
        changed = []
        if title is not None:
            title = _check_text(title, field="title", minimum=5)
            if len(title) > TITLE_LIMIT:
                raise CommunityError(f"title may have at most {TITLE_LIMIT} characters")
            topic.title = title
            changed.append("title")
        if body is not None:
            body = _check_text(body)
            topic.body, topic.body_html = body, markdown.render(body)
            changed += ["body", "body_html"]
        _check_poster(user, "ask", topic.space, f"{topic.title}\n{topic.body}", enforce_slow_mode=False)
        topic.edited_at = timezone.now()
        topic.save(update_fields=[*changed, "edited_at"])
        if tags is not None:
            names = clean_tags(tags)
            for name in names:
                Tag.objects.get_or_create(name=name)
            topic.tags.set(Tag.objects.filter(name__in=names))
            changed.append("tags")
        record_community("community.topic_edited", actor=user, data={"topic": topic.pk, "fields": changed})
    return topic


def set_wiki(user, post: Post, is_wiki: bool) -> Post:
    if not (post.author_id == user.pk or privileges.can(user, "edit_wiki")):
        raise NotAllowed("you need trust level 3 (regular) to make someone else's answer a wiki")
    if post.kind != PostKind.ANSWER:
        raise CommunityError("only answers can be wikis")
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(is_wiki=is_wiki)
        post.is_wiki = is_wiki
        record_community("community.wiki_changed", actor=user, data={"post": post.pk, "wiki": is_wiki})
    return post
