"""`{% unread_notifications as n %}`: the signed-in member's unread count, for the community header."""

from django import template

from townsquare.community.models import Subscription
from townsquare.community.notify.inbox import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_count(user) if user is not None else 0


@register.simple_tag(takes_context=True)
def subscription_of(context, topic=None, space=None):
    """The signed-in member's subscription to `topic` or `space`, or None."""
    user = getattr(context.get("request"), "user", None)
    if not (user and user.is_authenticated) or (topic is None and space is None):
        return None
    if topic is not None:
        return Subscription.objects.filter(user=user, topic=topic).first()
    return Subscription.objects.filter(user=user, space=space).first()
