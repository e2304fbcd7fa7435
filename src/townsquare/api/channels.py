"""GET /channels, /channels/{id}; admins: POST /channels and /channels/{id}/rotate-secret.

A channel's secret signs its webhook deliveries. It is shown once, when the channel is made or
the secret rotated, and never in a read.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from townsquare.api.auth import caller
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.events.log import record
from townsquare.inbox.models import Channel, ChannelKind, new_channel_secret
from townsquare.inbox.visibility import Forbidden, can_use_console
from townsquare.people.models import Role

router = Router(tags=["channels"])


class ChannelOut(Schema):
    id: int
    name: str
    kind: str
    is_active: bool
    created_at: datetime
    messages_stored: int
    messages_duplicate: int
    messages_rejected: int


class ChannelCreatedOut(ChannelOut):
    secret: str = Field(description="signs webhook deliveries; shown only now")


class ChannelSecretOut(Schema):
    id: int
    secret: str = Field(description="the new signing secret; the old one stops working at once")


class ChannelIn(Schema):
    name: str = Field(min_length=1, max_length=100, pattern=r"\S", description="unique")
    kind: ChannelKind = ChannelKind.WEBHOOK
    is_active: bool = True


def visible_channels(user):
    if not can_use_console(user):
        raise Forbidden("your role has no access to the care console")
    channels = Channel.objects.all()
    if user.role == Role.AMBASSADOR:
        # Same rule as conversations in visibility.py: ambassadors work in the community only.
        channels = channels.filter(kind=ChannelKind.COMMUNITY)
    return channels


def require_admin(user) -> None:
    visible_channels(user)
    if user.role != Role.ADMIN:
        raise Forbidden("only an admin can do this")


def get_visible_channel(user, channel_id: Id) -> Channel:
    channel = visible_channels(user).filter(pk=channel_id).first()
    if channel is None:
        raise NotFound(f"channel {channel_id} not found")
    return channel


def create_channel(actor, name: str, kind: str, is_active: bool) -> Channel:
    with transaction.atomic():
        channel = Channel.objects.create(name=name, kind=kind, is_active=is_active)
        record("channel.created", actor=actor, channel_id=channel.pk, data={"name": name, "kind": kind})
    return channel


def rotate_secret(actor, channel: Channel) -> Channel:
    with transaction.atomic():
        channel.secret = new_channel_secret()
        channel.save(update_fields=["secret"])
        record("channel.secret_rotated", actor=actor, channel_id=channel.pk)
    return channel


@router.get("", response={200: list[ChannelOut], **error_responses(401, 403)}, summary="List channels")
def list_channels(request):
    return list(visible_channels(caller(request)))


@router.get(
    "/{channel_id}", response={200: ChannelOut, **error_responses(401, 403, 404, 422)}, summary="One channel"
)
def read_channel(request, channel_id: Id):
    return get_visible_channel(caller(request), channel_id)


@router.post(
    "",
    response={201: ChannelCreatedOut, **error_responses(400, 401, 403, 409, 422)},
    summary="Create a channel (admin); the answer holds its secret, shown once",
)
def create_channel_endpoint(request, payload: ChannelIn):
    user = caller(request)
    require_admin(user)
    name = payload.name.strip()
    try:
        channel = create_channel(user, name, payload.kind, payload.is_active)
    except IntegrityError:
        raise HttpError(409, f"a channel named {name!r} already exists") from None
    return Status(201, channel)


@router.post(
    "/{channel_id}/rotate-secret",
    response={200: ChannelSecretOut, **error_responses(401, 403, 404, 422)},
    summary="Replace a channel's signing secret (admin); the answer holds the new one",
)
def rotate_secret_endpoint(request, channel_id: Id):
    user = caller(request)
    require_admin(user)
    return rotate_secret(user, get_visible_channel(user, channel_id))
