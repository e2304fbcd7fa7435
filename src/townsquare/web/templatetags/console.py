"""Small display helpers for console templates."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.timesince import timesince

from townsquare.inbox.imports import require_import_role
from townsquare.inbox.visibility import Forbidden, can_use_console

register = template.Library()
RELATIVE_FOR = timedelta(days=7)


@register.filter
def at_handle(handle: str) -> str:
    """`dana` → `@dana`; handles that already carry an `@` (`@dana`, `dana@example.org`) stay as they are."""
    if not handle:
        return ""
    return handle if "@" in handle else f"@{handle}"


@register.filter
def when(moment: datetime | None) -> str:
    """Recent times read best relative ("3 hours ago"); older ones, e.g. imported history, as a date."""
    if moment is None:
        return ""
    if timezone.now() - moment < RELATIVE_FOR:
        return f"{timesince(moment, depth=1)} ago"
    return date_format(timezone.localtime(moment), "j M Y")


@register.filter
def unless_repeats(excerpt: str, subject: str) -> str:
    """The first message's excerpt, or "" when the subject already says the same thing."""
    a, b = (excerpt or "").strip(), (subject or "").strip()
    return "" if not a or a.startswith(b) or b.startswith(a) else a


@register.filter
def has_console(user) -> bool:
    """Whether to offer console links: customers and moderators would only get a 403 there."""
    return can_use_console(user)


@register.filter
def can_import(user) -> bool:
    """Whether to offer the Imports page: only admins and supervisors import files."""
    try:
        require_import_role(user)
    except Forbidden:
        return False
    return True
