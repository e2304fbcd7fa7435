"""What moderators review: open flags grouped by post, posts held by triage, suspensions in force.

Reads only; each list is bounded and loads its related rows in the same query, so the queue page
costs a fixed number of queries however long the queue is.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from townsquare.community.models import Flag, FlagReason, FlagStatus, Post, Suspension, Topic, Visibility
from townsquare.community.moderation.targets import Target

FLAG_LIMIT = 500
HELD_LIMIT = 100


@dataclass
class FlaggedItem:
    target: Target
    flags: list[Flag] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"post-{self.target.post.pk}" if self.target.post else f"topic-{self.target.topic.pk}"

    @property
    def reasons(self) -> list[tuple[str, int]]:
        counts = Counter(FlagReason(item.reason).label for item in self.flags)
        return counts.most_common()

    @property
    def hidden(self) -> bool:
        return self.target.row.visibility == Visibility.HIDDEN


def flagged(limit: int = FLAG_LIMIT) -> list[FlaggedItem]:
    """Open flags grouped by the topic or post they point at, oldest first."""
    flags = (
        Flag.objects.filter(status=FlagStatus.OPEN)
        .select_related("reporter", "guideline", "topic__space", "topic__author", "post__author")
        .order_by("created_at", "id")[:limit]
    )
    groups: dict[tuple, FlaggedItem] = {}
    for item in flags:
        key = (item.topic_id, item.post_id)
        if key not in groups:
            groups[key] = FlaggedItem(target=Target(topic=item.topic, post=item.post))
        groups[key].flags.append(item)
    return list(groups.values())


def held(limit: int = HELD_LIMIT) -> list[Target]:
    """Topics and posts triage held as likely spam, oldest first, for approve / reject."""
    topics = (
        Topic.objects.filter(visibility=Visibility.HELD)
        .select_related("space", "author")
        .order_by("created_at", "id")[:limit]
    )
    posts = (
        Post.objects.filter(visibility=Visibility.HELD)
        .select_related("topic__space", "author")
        .order_by("created_at", "id")[:limit]
    )
    items = [Target(topic=topic) for topic in topics] + [
        Target(topic=post.topic, post=post) for post in posts
    ]
    return sorted(items, key=lambda target: target.row.created_at)


def suspended(limit: int = HELD_LIMIT) -> list[Suspension]:
    return list(
        Suspension.objects.filter(lifted_at__isnull=True, until__gt=timezone.now())
        .select_related("user", "guideline")
        .order_by("until", "id")[:limit]
    )


def counts() -> dict[str, int]:
    return {
        "flags": Flag.objects.filter(status=FlagStatus.OPEN).count(),
        "held": Topic.objects.filter(visibility=Visibility.HELD).count()
        + Post.objects.filter(visibility=Visibility.HELD).count(),
    }
