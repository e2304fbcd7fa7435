"""GET /channels, /channels/{id}; admins: POST /channels and /channels/{id}/rotate-secret.

A channel's secret signs its webhook deliveries. It is shown once, when the channel is made or
the secret rotated, and never in a read.
"""

from datetime import datetime

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from townsquare.api.auth import caller
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.inbox.channels import (
    ChannelError,
    ChannelNameTaken,
    create_channel,
    require_admin,
    rotate_secret,
)
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.inbox.visibility import visible_channels

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


def get_visible_channel(user, channel_id: Id) -> Channel:
    channel = visible_channels(user).filter(pk=channel_id).first()
    if channel is None:
        raise NotFound(f"channel {channel_id} not found")
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
    try:
        channel, secret = create_channel(
            caller(request), payload.name, payload.kind, is_active=payload.is_active
        )
    except ChannelNameTaken as exc:
        raise HttpError(409, str(exc)) from None
    except ChannelError as exc:
        raise HttpError(400, str(exc)) from None
    channel.secret = secret
    return Status(201, channel)


@router.post(
    "/{channel_id}/rotate-secret",
    response={200: ChannelSecretOut, **error_responses(401, 403, 404, 422)},
    summary="Replace a channel's signing secret (admin); the answer holds the new one",
)
def rotate_secret_endpoint(request, channel_id: Id):
    user = caller(request)
    require_admin(user)  # before the lookup: a non-admin learns nothing about which ids exist
    channel = get_visible_channel(user, channel_id)
    return {"id": channel.pk, "secret": rotate_secret(user, channel)}
