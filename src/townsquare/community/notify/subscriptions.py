"""Following topics and spaces. A topic's followers hear about its answers, comments and its accepted
answer; a space's followers hear about each new topic in it.

Members follow the topics they ask in or post to by themselves (`follow`, no event: it is part of
the post's own event). Choosing to follow or stop following writes an event naming the member.
"""

from django.db import transaction

from townsquare.community.errors import CommunityError, NotAllowed
from townsquare.community.events import record_community
from townsquare.community.models import Space, Subscription, Topic


def _require_member(user) -> None:
    if not (user and user.is_authenticated and user.is_active):
        raise NotAllowed("sign in to follow topics and spaces")


def follow(user_id: int, topic_id: int) -> None:
    """Subscribe a poster to their topic; nothing happens if they already follow it."""
    # ON CONFLICT DO NOTHING: two posts at once by the same member cannot both insert.
    Subscription.objects.bulk_create(
        [Subscription(user_id=user_id, topic_id=topic_id)], ignore_conflicts=True
    )


def subscribe(user, *, topic: Topic | None = None, space: Space | None = None) -> tuple[Subscription, bool]:
    """Follow a topic or a space; returns (subscription, created). Following twice changes nothing."""
    _require_member(user)
    if (topic is None) == (space is None):
        raise CommunityError("follow a topic or a space")
    with transaction.atomic():
        existing = Subscription.objects.filter(user=user, topic=topic, space=space).first()
        if existing is not None:
            return existing, False
        if topic is not None:
            follow(user.pk, topic.pk)
        else:
            Subscription.objects.bulk_create([Subscription(user=user, space=space)], ignore_conflicts=True)
        subscription = Subscription.objects.get(user=user, topic=topic, space=space)
        record_community(
            "community.subscribed",
            actor=user,
            data={
                "subscription": subscription.pk,
                "topic": getattr(topic, "pk", None),
                "space": getattr(space, "pk", None),
            },
        )
    return subscription, True


def unsubscribe(user, subscription: Subscription) -> None:
    _require_member(user)
    if subscription.user_id != user.pk:
        raise NotAllowed("that is someone else's subscription")
    with transaction.atomic():
        deleted, _ = Subscription.objects.filter(pk=subscription.pk).delete()
        if deleted:
            record_community(
                "community.unsubscribed",
                actor=user,
                data={
                    "subscription": subscription.pk,
                    "topic": subscription.topic_id,
                    "space": subscription.space_id,
                },
            )


def subscriptions_of(user):
    return (
        Subscription.objects.filter(user=user).select_related("topic", "space").order_by("-created_at", "-id")
    )
