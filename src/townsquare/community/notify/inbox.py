"""A member's notifications: what is unread, and marking them read (only ever their own)."""

from django.utils import timezone

from townsquare.community.models import Notification

PAGE_SIZE = 50


def unread_count(user) -> int:
    if not (user and user.is_authenticated):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user):
    return Notification.objects.filter(user=user)


def unread_first(user, limit: int = PAGE_SIZE) -> tuple[list[Notification], list[Notification]]:
    """(unread, newest first; then the latest read ones), each at most `limit` rows."""
    mine = notifications_of(user).order_by("-created_at", "-id")
    unread = list(mine.filter(read_at__isnull=True)[:limit])
    read = list(mine.filter(read_at__isnull=False)[:limit])
    return unread, read


def mark_read(user, ids=None) -> int:
    """Mark the given notifications (all when `ids` is None) of `user` read; returns how many changed.

    Ids of other members' notifications are ignored: the filter is on the owner first.
    """
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def mark_topic_read(user, topic_id: int) -> int:
    """Opening a topic reads what it notified `user` of (as Discourse does); returns how many changed."""
    if not (user and user.is_authenticated):
        return 0
    unread = Notification.objects.filter(user=user, read_at__isnull=True, topic_id=topic_id)
    return unread.update(read_at=timezone.now())
