"""Members flag a topic or post for moderators, once each; enough flags hide it pending review.

As in Discourse: `FLAGS_TO_HIDE` open flags from different members hide the post until a
moderator looks, and a flag from a member of trust level 3 or up (or staff) counts as enough on
its own. The author is told why; a moderator then upholds the flags (hide, edit) or dismisses them
(which restores a post the flags hid).
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from townsquare.community import privileges
from townsquare.community.errors import CommunityError, Conflict
from townsquare.community.events import record_community
from townsquare.community.members import member_of
from townsquare.community.models import (
    Flag,
    FlagReason,
    FlagStatus,
    Member,
    ModerationActionKind,
    Visibility,
)
from townsquare.community.moderation import visibility
from townsquare.community.moderation.citing import find_guideline
from townsquare.community.moderation.record import notify, record_action
from townsquare.community.moderation.targets import Target, locked_target

FLAGS_TO_HIDE = 3
TRUSTED_FLAGGER_LEVEL = 3
NOTE_LIMIT = 1000
AUTO_HIDDEN = "Hidden after flags from the community, until a moderator reviews it"


def flag(
    user,
    *,
    topic_id: int | None = None,
    post_id: int | None = None,
    reason: str,
    guideline_id: int | None = None,
    rule: int | None = None,
    note: str = "",
) -> Flag:
    """`user` flags a topic (its question) or a post; may hide it when enough members agree."""
    privileges.require(user, "flag")
    if reason not in FlagReason.values:
        raise CommunityError(f"reason must be one of {', '.join(FlagReason.values)}")
    guideline = find_guideline(guideline_id=guideline_id, number=rule)
    if reason == FlagReason.RULE and guideline is None:
        raise CommunityError("name the guideline it breaks (its rule number)")
    note = (note or "").replace("\x00", "").strip()
    if len(note) > NOTE_LIMIT:
        raise CommunityError(f"note may have at most {NOTE_LIMIT} characters")
    with transaction.atomic():
        target = locked_target(topic_id=topic_id, post_id=post_id)
        _check_flaggable(user, target)
        if target.open_flags().filter(reporter=user).exists():
            raise Conflict(f"you have already flagged this {target.noun}")
        try:
            with transaction.atomic():
                created = Flag.objects.create(
                    reporter=user,
                    topic=target.topic,
                    post=target.post,
                    reason=reason,
                    guideline=guideline,
                    note=note,
                )
        except IntegrityError as exc:
            raise Conflict(f"you have already flagged this {target.noun}") from exc
        record_community(
            "community.flagged",
            actor=user,
            data={
                "flag": created.pk,
                "topic": target.topic.pk,
                "post": target.post.pk if target.post else None,
                "reason": reason,
                "guideline": guideline.pk if guideline else None,
            },
        )
        _hide_when_enough(user, target)
    return created


def _check_flaggable(user, target: Target) -> None:
    row = target.row
    if row.author_id == user.pk:
        raise CommunityError(f"you cannot flag your own {target.noun}")
    if row.visibility != Visibility.VISIBLE or target.topic.visibility != Visibility.VISIBLE:
        raise CommunityError(f"this {target.noun} is not shown; moderators already review it")


def flag_weight(user) -> int:
    """How many ordinary flags one flag from `user` is worth."""
    if privileges.is_moderator(user) or member_of(user).trust_level >= TRUSTED_FLAGGER_LEVEL:
        return FLAGS_TO_HIDE
    return 1


def _hide_when_enough(user, target: Target) -> None:
    flags = list(target.open_flags().select_related("reporter"))
    weight = sum(flag_weight(item.reporter) for item in flags)
    if weight < FLAGS_TO_HIDE:
        return
    reasons = sorted({FlagReason(item.reason).label.lower() for item in flags})
    visibility.hide(target, f"{AUTO_HIDDEN} ({', '.join(reasons)}).")
    summary = f"{len(flags)} flag{'s' if len(flags) != 1 else ''}: {', '.join(reasons)}"
    record_action(
        None,
        ModerationActionKind.HIDE,
        reason=f"Hidden automatically after {summary}",
        topic=target.topic,
        post=target.post,
        target_user=target.author,
        data={"automatic": True, "flags": [item.pk for item in flags]},
        event_actor=user,
    )
    notify(
        target.author,
        f"{target.describe().capitalize()} is hidden until a moderator reviews it: members flagged it "
        f"({', '.join(reasons)}).",
        topic=target.topic,
        post=target.post,
    )


def settle_flags(target: Target, moderator, *, upheld: bool) -> list[dict]:
    """Close the open flags on `target`; upheld ones count for their reporters. Returns what changed."""
    flags = list(target.open_flags().values("pk", "reporter_id"))
    if not flags:
        return []
    status = FlagStatus.UPHELD if upheld else FlagStatus.DISMISSED
    Flag.objects.filter(pk__in=[item["pk"] for item in flags]).update(
        status=status, handled_by=moderator, handled_at=timezone.now()
    )
    reporters = [item["reporter_id"] for item in flags]
    if upheld:
        existing = set(Member.objects.filter(user_id__in=reporters).values_list("user_id", flat=True))
        Member.objects.bulk_create(
            [Member(user_id=pk) for pk in set(reporters) - existing], ignore_conflicts=True
        )
        # One open flag per reporter per target: each reporter gains exactly one.
        Member.objects.filter(user_id__in=reporters).update(flags_upheld=F("flags_upheld") + 1)
    return [{"flag": item["pk"], "reporter": item["reporter_id"]} for item in flags]
