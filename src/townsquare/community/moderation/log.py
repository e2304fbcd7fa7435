"""The moderation log: public (what, when, which rule, by which role, why) and the moderators' view.

The public view names no one: not the moderator (only their role), not the member a suspension
applies to, and a topic only while the topic itself is shown. The moderators' view adds the names,
the flags involved and the text an edit replaced.
"""

from dataclasses import dataclass
from datetime import datetime

from townsquare.community.models import ModerationAction, ModerationActionKind, Visibility

PAGE = 50


@dataclass
class LogEntry:
    id: int
    action: str
    action_label: str
    created_at: datetime
    by: str
    reason: str
    rule: int | None
    rule_title: str
    guideline_id: int | None
    topic_id: int | None
    topic_title: str
    post_id: int | None
    space: str
    automatic: bool
    # Moderators only (None in the public view).
    moderator: str | None = None
    target_user: str | None = None
    details: dict | None = None


def entries(*, full: bool = False, before: int | None = None, limit: int = PAGE) -> list[LogEntry]:
    """Newest first; `before` (an entry id) pages back."""
    actions = ModerationAction.objects.select_related(
        "moderator", "target_user", "guideline", "topic", "post", "space"
    ).order_by("-id")
    if before is not None:
        actions = actions.filter(id__lt=before)
    return [_entry(action, full) for action in actions[: max(1, min(limit, 200))]]


def _entry(action: ModerationAction, full: bool) -> LogEntry:
    topic, post = action.topic, action.post
    topic_shown = topic is not None and topic.visibility == Visibility.VISIBLE
    entry = LogEntry(
        id=action.pk,
        action=action.action,
        action_label=ModerationActionKind(action.action).label,
        created_at=action.created_at,
        by=action.data.get("by", ""),
        reason=action.reason,
        rule=action.guideline.number if action.guideline else None,
        rule_title=action.guideline.title if action.guideline else "",
        guideline_id=action.guideline_id,
        topic_id=topic.pk if topic_shown or (full and topic) else None,
        topic_title=topic.title
        if topic_shown or (full and topic)
        else ("a topic not shown" if topic else ""),
        post_id=post.pk
        if post is not None and (full or (topic_shown and post.visibility == "visible"))
        else None,
        space=action.space.name if action.space else "",
        automatic=bool(action.data.get("automatic")),
    )
    if full:
        entry.moderator = _name(action.moderator) if action.moderator else "community flags"
        entry.target_user = _name(action.target_user) if action.target_user else None
        entry.details = {key: value for key, value in action.data.items() if key != "by"}
    return entry


def _name(user) -> str:
    return user.get_full_name() or user.get_username()
