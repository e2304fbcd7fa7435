"""Reading a member's public profile, and the badge catalogue, for the profile page and the API."""

from django.db.models import Count

from townsquare.community import ambassadors, badges
from townsquare.community.models import BadgeAward, Member, Post, PostKind, Visibility
from townsquare.community.privileges import TRUST_LEVEL_NAMES
from townsquare.community.trust import next_level_progress

RECENT_ANSWERS = 10


def public_member(*, user_id: int | None = None, username: str | None = None) -> Member | None:
    """The Member of an active user (None when there is none: a profile is never created by a read)."""
    members = Member.objects.select_related("user").filter(user__is_active=True)
    if user_id is not None:
        return members.filter(user_id=user_id).first()
    return members.filter(user__username=username).first()


def recent_answers(member: Member, limit: int = RECENT_ANSWERS) -> list[Post]:
    """The member's latest visible answers in visible topics."""
    return list(
        Post.objects.select_related("topic")
        .filter(
            author_id=member.user_id,
            kind=PostKind.ANSWER,
            visibility=Visibility.VISIBLE,
            topic__visibility=Visibility.VISIBLE,
        )
        .order_by("-created_at", "-id")[:limit]
    )


def badges_of(member: Member) -> list[dict]:
    shown = []
    for award in BadgeAward.objects.filter(user_id=member.user_id):
        badge = badges.BY_SLUG.get(award.badge)
        if badge is None:  # a badge retired from the rules stays in the table but is not shown
            continue
        shown.append(
            {
                "badge": award.badge,
                "name": badge.name,
                "description": badge.description,
                "awarded_at": award.awarded_at,
                "reason": award.reason,
            }
        )
    return shown


def public_profile(member: Member) -> dict:
    progress = next_level_progress(member)
    return {
        "user_id": member.user_id,
        "username": member.user.get_username(),
        "name": member.name,
        "joined_at": member.joined_at,
        "reputation": member.reputation,
        "trust_level": member.trust_level,
        "trust_level_name": TRUST_LEVEL_NAMES[member.trust_level],
        "trust_level_locked": member.trust_level_locked,
        "ambassador_level": member.ambassador_level,
        "ambassador_level_name": ambassadors.LEVEL_NAMES.get(member.ambassador_level, ""),
        "counts": {
            "answers_posted": member.answers_posted,
            "topics_posted": member.topics_posted,
            "accepted_answers": member.accepted_answers,
            "peer_resolutions": member.peer_resolutions,
            "helpful_received": member.helpful_received,
        },
        "progress": {
            "next": progress["next"],
            "next_name": progress.get("next_name"),
            "steps": [step.__dict__ for step in progress["steps"]],
            "note": progress["note"],
        },
        "badges": badges_of(member),
        "recent_answers": [
            {
                "post_id": post.pk,
                "topic_id": post.topic_id,
                "topic_title": post.topic.title,
                "created_at": post.created_at,
                "accepted": post.topic.accepted_post_id == post.pk,
                "score": post.score,
            }
            for post in recent_answers(member)
        ],
    }


def badge_counts() -> list[dict]:
    held = dict(BadgeAward.objects.values_list("badge").annotate(n=Count("id")).values_list("badge", "n"))
    return [
        {"badge": b.slug, "name": b.name, "description": b.description, "awarded": held.get(b.slug, 0)}
        for b in badges.BADGES
    ]
