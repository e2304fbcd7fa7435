"""Writing one moderation decision: the public ModerationAction row, the event, the author's notice.

Callers hold the transaction; this writes the three together so the public log, the event log
and what the author is told never disagree.
"""

from townsquare.community import privileges
from townsquare.community.events import record_community
from townsquare.community.models import Guideline, ModerationAction, Notification, Post, Space, Topic
from townsquare.community.moderation.citing import cited

AUTOMATIC = "community flags"
NOTIFICATION_LIMIT = 300


def acting_as(user) -> str:
    """How the public log names who acted: by role, never by name."""
    if user is None:
        return AUTOMATIC
    if privileges.is_moderator(user):
        return user.get_role_display().lower()
    return "community leader (trust level 4)"


def record_action(
    moderator,
    action: str,
    *,
    reason: str,
    guideline: Guideline | None = None,
    topic: Topic | None = None,
    post: Post | None = None,
    space: Space | None = None,
    target_user=None,
    data: dict | None = None,
    event_actor=None,
) -> ModerationAction:
    """Log `action` with its reason. `event_actor` is who the event names when no moderator acted."""
    if topic is None and post is not None:
        topic = post.topic
    if space is None and topic is not None:
        space = topic.space
    details = {"by": acting_as(moderator), **(data or {})}
    entry = ModerationAction.objects.create(
        moderator=moderator,
        action=action,
        topic=topic,
        post=post,
        space=space,
        target_user=target_user,
        reason=reason,
        guideline=guideline,
        data=details,
    )
    record_community(
        "community.moderated",
        actor=moderator or event_actor,
        data={
            "action": action,
            "moderation_action": entry.pk,
            "topic": topic.pk if topic else None,
            "post": post.pk if post else None,
            "space": space.pk if space else None,
            "target_user": getattr(target_user, "pk", None),
            "guideline": guideline.pk if guideline else None,
            "rule": guideline.number if guideline else None,
            "reason": reason,
            **{key: value for key, value in details.items() if key in EVENT_DETAILS},
        },
    )
    return entry


# Details worth keeping in the event log (reputation and trust levels read flag outcomes from it).
EVENT_DETAILS = {
    "by",
    "automatic",
    "upheld_flags",
    "dismissed_flags",
    "flags",
    "restored",
    "until",
    "suspension",
    "seconds",
    "previous_seconds",
}


def notify(user, text: str, *, actor=None, topic: Topic | None = None, post: Post | None = None) -> None:
    """An in-app notification (kind "moderation") telling `user` what happened to their content."""
    if user is None:
        return
    if len(text) > NOTIFICATION_LIMIT:
        text = text[: NOTIFICATION_LIMIT - 1] + "…"
    Notification.objects.create(user=user, kind="moderation", text=text, topic=topic, post=post, actor=actor)


def because(reason: str, guideline: Guideline | None) -> str:
    return f"{reason}{cited(guideline)}"
