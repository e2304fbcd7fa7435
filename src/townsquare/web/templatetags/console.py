"""Small display helpers for console templates."""

from django import template

register = template.Library()


@register.filter
def at_handle(handle: str) -> str:
    """`dana` → `@dana`; handles that already carry an `@` (`@dana`, `dana@example.org`) stay as they are."""
    if not handle:
        return ""
    return handle if "@" in handle else f"@{handle}"
