"""/community/notifications (your own: list, mark read, the email digest setting) and
/community/subscriptions (follow topics and spaces). Signed in only; nobody reads or changes another
member's."""

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status

from townsquare.api.auth import caller
from townsquare.api.community_schemas import visible_space, visible_topic
from townsquare.api.cursor import Ordering, paginate
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.community.errors import CommunityError
from townsquare.community.members import member_of
from townsquare.community.models import DigestFrequency, Subscription
from townsquare.community.notify import inbox, preferences, subscriptions

router = Router(tags=["community"])

NEWEST_FIRST = Ordering("community-notifications", "created_at", descending=True)
CURSOR = Query(None, max_length=200, description="`next_cursor` from the previous page")
UNREAD = Query(None, description="true: only unread; false: only read")
LIMIT = Query(50, ge=1, le=200, description="page size, 1 to 200")


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="answer, comment, mention, accepted, solved, topic, moderation, …")
    text: str
    topic_id: int | None
    post_id: int | None
    actor_id: int | None
    created_at: datetime
    read_at: datetime | None
    emailed_at: datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_cursor: str | None
    unread_count: int


class ReadIn(Schema):
    ids: list[Id] | None = Field(None, max_length=500, description="these notifications")
    all: bool = Field(False, description="every unread notification of yours")


class ReadOut(Schema):
    marked: int = Field(description="how many were unread and are now read")
    unread_count: int


class SettingsOut(Schema):
    digest: str = Field(description="how often unread notifications are emailed: never, daily or weekly")
    last_digest_at: datetime | None


class SettingsPatch(Schema):
    digest: DigestFrequency


class SubscriptionIn(Schema):
    topic_id: Id | None = None
    space_id: Id | None = None


class SubscriptionOut(Schema):
    id: int
    topic_id: int | None
    space_id: int | None
    created_at: datetime


@router.get(
    "/notifications",
    response={200: NotificationPage, **error_responses(400, 401, 422)},
    summary="Your notifications, newest first, with how many are unread",
)
def list_notifications(
    request, unread: bool | None = UNREAD, cursor: str | None = CURSOR, limit: int = LIMIT
):
    user = caller(request)
    rows = inbox.notifications_of(user)
    if unread is not None:
        rows = rows.filter(read_at__isnull=unread)
    page = paginate(rows, NEWEST_FIRST, cursor, limit)
    return {"items": page.items, "next_cursor": page.next_cursor, "unread_count": inbox.unread_count(user)}


@router.post(
    "/notifications/read",
    response={200: ReadOut, **error_responses(400, 401, 422)},
    summary="Mark notifications read: the ids given, or all of them",
)
def mark_read(request, payload: ReadIn):
    user = caller(request)
    if payload.all == (payload.ids is not None):
        raise CommunityError("send either ids or all: true")
    marked = inbox.mark_read(user, None if payload.all else payload.ids)
    return {"marked": marked, "unread_count": inbox.unread_count(user)}


@router.get(
    "/notifications/settings",
    response={200: SettingsOut, **error_responses(401)},
    summary="Your email digest setting",
)
def read_settings(request):
    return member_of(caller(request))


@router.patch(
    "/notifications/settings",
    response={200: SettingsOut, **error_responses(400, 401, 422)},
    summary="Choose how often unread notifications are emailed to you",
)
def change_settings(request, payload: SettingsPatch):
    user = caller(request)
    preferences.set_digest(user, payload.digest)
    return member_of(user)


@router.get(
    "/subscriptions",
    response={200: list[SubscriptionOut], **error_responses(401)},
    summary="The topics and spaces you follow",
)
def list_subscriptions(request):
    return list(subscriptions.subscriptions_of(caller(request)))


@router.post(
    "/subscriptions",
    response={200: SubscriptionOut, 201: SubscriptionOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Follow a topic (its answers and comments) or a space (its new topics); 200 if you already do",
)
def subscribe(request, payload: SubscriptionIn):
    user = caller(request)
    if (payload.topic_id is None) == (payload.space_id is None):
        raise CommunityError("send topic_id or space_id")
    if payload.topic_id is not None:
        subscription, created = subscriptions.subscribe(user, topic=visible_topic(user, payload.topic_id))
    else:
        subscription, created = subscriptions.subscribe(user, space=visible_space(user, payload.space_id))
    return Status(201 if created else 200, subscription)


@router.delete(
    "/subscriptions/{subscription_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Stop following",
)
def unsubscribe(request, subscription_id: Id):
    user = caller(request)
    # Someone else's subscription is answered as unknown: ids do not reveal who follows what.
    subscription = Subscription.objects.filter(pk=subscription_id, user=user).first()
    if subscription is None:
        raise NotFound(f"subscription {subscription_id} not found")
    subscriptions.unsubscribe(user, subscription)
    return Status(204, None)
