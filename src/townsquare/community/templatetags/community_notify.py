"""`{% unread_notifications as n %}`: the signed-in member's unread count, for the community header."""

from django import template

from townsquare.community.notify.inbox import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_count(user) if user is not None else 0
