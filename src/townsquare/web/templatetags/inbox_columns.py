"""Display helpers for the care columns of the conversation list: SLA time left."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone

register = template.Library()


def _span(delta: timedelta) -> str:
    """A duration in its largest sensible unit: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`."""
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


@register.filter
def time_left(due: datetime | None, now: datetime | None = None) -> str:
    """`25 min left` before the deadline, `12 min overdue` after it; "" without a running clock."""
    if due is None:
        return ""
    delta = due - (now or timezone.now())
    if delta >= timedelta(0):
        return f"{_span(delta)} left"
    return f"{_span(-delta)} overdue"


@register.filter
def overdue(due: datetime | None) -> bool:
    return due is not None and due < timezone.now()
