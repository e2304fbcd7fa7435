"""What a moderator does to a topic or post, each with a written reason and, if it applies, a rule.

hide / restore / edit / approve / reject / close / reopen / dismiss_flags. Each one checks who
acts, changes the row, settles the open flags, writes the public ModerationAction and the
`community.moderated` event, and tells the author, in one transaction. Approving a held post also
emits what posting would have (`community.post_approved` / `community.topic_approved`, the same
data as `post_created`/`topic_created` plus `author`), so notifications and reputation follow as
for any new post.
"""

from django.db import transaction
from django.utils import timezone

from townsquare.community import markdown
from townsquare.community.errors import CommunityError, Conflict
from townsquare.community.events import record_community
from townsquare.community.models import (
    ModerationAction,
    ModerationActionKind,
    PostKind,
    TopicKind,
    Visibility,
)
from townsquare.community.moderation import visibility
from townsquare.community.moderation.access import require_moderator
from townsquare.community.moderation.citing import clean_reason, find_guideline
from townsquare.community.moderation.flags import settle_flags
from townsquare.community.moderation.record import because, notify, record_action
from townsquare.community.moderation.targets import Target, locked_target
from townsquare.community.posting import BODY_LIMIT, TITLE_LIMIT

Kind = ModerationActionKind
TOPIC_ONLY = {Kind.CLOSE, Kind.REOPEN}
ACTIONS = ("hide", "restore", "edit", "approve", "reject", "close", "reopen", "dismiss_flags")


def moderate(
    user,
    action: str,
    *,
    topic_id: int | None = None,
    post_id: int | None = None,
    reason: str,
    guideline_id: int | None = None,
    rule: int | None = None,
    title: str | None = None,
    body: str | None = None,
) -> ModerationAction:
    """Apply `action` to a topic or post; the one entry point pages and the API call."""
    require_moderator(user)
    if action not in ACTIONS:
        raise CommunityError(f"action must be one of {', '.join(ACTIONS)}")
    if action in TOPIC_ONLY and post_id is not None:
        raise CommunityError(f"{action} applies to a topic, not a post")
    reason = clean_reason(reason)
    guideline = find_guideline(guideline_id=guideline_id, number=rule)
    with transaction.atomic():
        target = locked_target(topic_id=topic_id, post_id=post_id)
        if action == "edit":
            return _edit(user, target, reason, guideline, title=title, body=body)
        return _HANDLERS[action](user, target, reason, guideline)


def _hide(user, target: Target, reason, guideline) -> ModerationAction:
    if target.row.visibility == Visibility.HIDDEN:
        raise Conflict(f"this {target.noun} is already hidden")
    if target.row.visibility != Visibility.VISIBLE:
        raise CommunityError(f"this {target.noun} is {target.row.get_visibility_display().lower()}")
    visibility.hide(target, f"Hidden by a moderator: {because(reason, guideline)}")
    upheld = settle_flags(target, user, upheld=True)
    notify(
        target.author,
        f"A moderator hid {target.describe()}: {because(reason, guideline)}",
        actor=user,
        topic=target.topic,
        post=target.post,
    )
    return _log(user, Kind.HIDE, target, reason, guideline, upheld_flags=upheld)


def _restore(user, target: Target, reason, guideline) -> ModerationAction:
    if target.row.visibility != Visibility.HIDDEN:
        raise Conflict(f"this {target.noun} is not hidden")
    visibility.show(target)
    dismissed = settle_flags(target, user, upheld=False)
    notify(
        target.author,
        f"A moderator restored {target.describe()}: {because(reason, guideline)}",
        actor=user,
        topic=target.topic,
        post=target.post,
    )
    return _log(user, Kind.RESTORE, target, reason, guideline, dismissed_flags=dismissed)


def _edit(user, target: Target, reason, guideline, *, title, body) -> ModerationAction:
    if title is None and body is None:
        raise CommunityError("give the new body (or, for a topic, the new title)")
    row, changed, before = target.row, [], {}
    if title is not None:
        if target.post is not None:
            raise CommunityError("posts have no title; edit the topic for that")
        title = " ".join(str(title).replace("\x00", "").split())
        if not 5 <= len(title) <= TITLE_LIMIT:
            raise CommunityError(f"title must have 5 to {TITLE_LIMIT} characters")
        before["title"], row.title = row.title, title
        changed.append("title")
    if body is not None:
        body = str(body).replace("\x00", "").strip()
        if not 1 <= len(body) <= BODY_LIMIT:
            raise CommunityError(f"body must have 1 to {BODY_LIMIT} characters")
        before["body"], row.body, row.body_html = row.body, body, markdown.render(body)
        changed += ["body", "body_html"]
    row.edited_at = timezone.now()
    changed.append("edited_at")
    if target.post is not None:
        row.edited_by = user
        changed.append("edited_by")
    row.save(update_fields=changed)
    upheld = settle_flags(target, user, upheld=True)
    # The same events an author's edit writes, so search and caches follow the new text.
    if target.post is not None:
        record_community("community.post_edited", actor=user, data={"post": row.pk, "topic": target.topic.pk})
    else:
        fields = [name for name in ("title", "body") if name in changed]
        record_community("community.topic_edited", actor=user, data={"topic": row.pk, "fields": fields})
    notify(
        target.author,
        f"A moderator edited {target.describe()}: {because(reason, guideline)}",
        actor=user,
        topic=target.topic,
        post=target.post,
    )
    # The text before the edit stays in the moderators' view of the log, never in the public one.
    return _log(user, Kind.EDIT, target, reason, guideline, upheld_flags=upheld, before=before)


def _approve(user, target: Target, reason, guideline) -> ModerationAction:
    if target.row.visibility != Visibility.HELD:
        raise Conflict(f"this {target.noun} is not held for review")
    visibility.show(target, bump_activity=target.post is not None)
    _emit_as_new(user, target)
    notify(
        target.author,
        f"A moderator approved {target.describe()}; it is now shown to everyone.",
        actor=user,
        topic=target.topic,
        post=target.post,
    )
    return _log(user, Kind.APPROVE, target, reason, guideline)


def _emit_as_new(user, target: Target) -> None:
    topic, post = target.topic, target.post
    if post is None:
        data = {
            "topic": topic.pk,
            "space": topic.space_id,
            "kind": topic.kind,
            "language": topic.language,
            "held": False,
            "author": topic.author_id,
        }
        record_community("community.topic_approved", actor=user, data=data)
        return
    as_label = "reply" if post.kind == PostKind.ANSWER and topic.kind != TopicKind.QUESTION else post.kind
    data = {
        "post": post.pk,
        "topic": topic.pk,
        "space": topic.space_id,
        "kind": post.kind,
        "as": as_label,
        "parent": post.parent_id,
        "topic_author": topic.author_id,
        "language": post.language,
        "held": False,
        "author": post.author_id,
    }
    record_community("community.post_approved", actor=user, data=data)


def _reject(user, target: Target, reason, guideline) -> ModerationAction:
    if target.row.visibility != Visibility.HELD:
        raise Conflict(f"this {target.noun} is not held for review")
    visibility.hide(target, f"Not approved by a moderator: {because(reason, guideline)}")
    notify(
        target.author,
        f"A moderator did not approve {target.describe()}: {because(reason, guideline)}",
        actor=user,
        topic=target.topic,
        post=target.post,
    )
    return _log(user, Kind.REJECT, target, reason, guideline)


def _dismiss_flags(user, target: Target, reason, guideline) -> ModerationAction:
    if not target.open_flags().exists():
        raise Conflict(f"this {target.noun} has no open flags")
    # Open flags on a hidden post mean the flags hid it (a moderator's hide upholds them): undo that.
    restored = target.row.visibility == Visibility.HIDDEN
    if restored:
        visibility.show(target)
    dismissed = settle_flags(target, user, upheld=False)
    if restored:
        notify(
            target.author,
            f"A moderator reviewed the flags on {target.describe()} and restored it.",
            actor=user,
            topic=target.topic,
            post=target.post,
        )
    return _log(
        user, Kind.DISMISS_FLAGS, target, reason, guideline, dismissed_flags=dismissed, restored=restored
    )


def _close(user, target: Target, reason, guideline) -> ModerationAction:
    return _set_closed(user, target, reason, guideline, closed=True)


def _reopen(user, target: Target, reason, guideline) -> ModerationAction:
    return _set_closed(user, target, reason, guideline, closed=False)


def _set_closed(user, target: Target, reason, guideline, *, closed: bool) -> ModerationAction:
    topic = target.topic
    if topic.is_closed == closed:
        raise Conflict(f"topic {topic.pk} is already {'closed' if closed else 'open'}")
    topic.is_closed = closed
    topic.save(update_fields=["is_closed"])
    verb = "closed" if closed else "reopened"
    notify(
        topic.author,
        f"A moderator {verb} {target.describe()}: {because(reason, guideline)}",
        actor=user,
        topic=topic,
    )
    return _log(user, Kind.CLOSE if closed else Kind.REOPEN, target, reason, guideline)


def _log(user, action, target: Target, reason, guideline, **data) -> ModerationAction:
    return record_action(
        user,
        action,
        reason=reason,
        guideline=guideline,
        topic=target.topic,
        post=target.post,
        target_user=target.author,
        data=data,
    )


_HANDLERS = {
    "hide": _hide,
    "restore": _restore,
    "approve": _approve,
    "reject": _reject,
    "dismiss_flags": _dismiss_flags,
    "close": _close,
    "reopen": _reopen,
}
