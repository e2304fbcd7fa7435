"""Display helpers for the community's pages."""

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.text import slugify

register = template.Library()


@register.filter
def member_name(user) -> str:
    """The name a member chose, else their username; "a former member" when the account is gone."""
    if user is None:
        return "a former member"
    try:
        display = user.member.display_name
    except ObjectDoesNotExist:
        display = ""
    return display or user.get_full_name() or user.get_username()


@register.filter
def title_slug(title: str) -> str:
    return slugify(title)[:80] or "topic"


@register.filter
def form_for(forms: dict, key: str):
    """The comment form that came back with an error for this topic/answer, if any."""
    return (forms or {}).get(key)
