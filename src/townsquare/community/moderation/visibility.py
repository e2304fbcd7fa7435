"""Showing and hiding a topic or post, keeping its topic's answer count to the visible answers.

`Topic.answer_count` counts answers people can read (posting skips held ones), so hiding an
answer takes it off the count and restoring or approving it puts it back.
"""

from django.utils import timezone

from townsquare.community.models import Visibility
from townsquare.community.moderation.targets import Target


def hide(target: Target, why: str, *, visibility: str = Visibility.HIDDEN) -> None:
    row = target.row
    if target.is_answer and row.visibility == Visibility.VISIBLE:
        _count_answer(target, -1)
    row.visibility, row.visibility_reason = visibility, why
    row.save(update_fields=["visibility", "visibility_reason"])


def show(target: Target, *, bump_activity: bool = False) -> None:
    row = target.row
    if target.is_answer and row.visibility != Visibility.VISIBLE:
        _count_answer(target, +1)
    row.visibility, row.visibility_reason = Visibility.VISIBLE, ""
    row.save(update_fields=["visibility", "visibility_reason"])
    if bump_activity:
        target.topic.last_activity_at = timezone.now()
        target.topic.save(update_fields=["last_activity_at"])


def _count_answer(target: Target, delta: int) -> None:
    topic = target.topic
    topic.answer_count = max(0, topic.answer_count + delta)
    topic.save(update_fields=["answer_count"])
