"""GET /channels, /channels/{id}; admins: POST /channels and /channels/{id}/rotate-secret.

A channel's secret signs its webhook deliveries. It is shown once, when the channel is made or
the secret rotated, and never in a read.

Configuration (issue 8): GET /connectors lists the kinds and their settings; admins PATCH a
channel's settings, secrets (write-only: reads show only which are set) and on/off switch, and
read the input it rejected; admins and supervisors test its connection.
"""

import json
from datetime import datetime

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from townsquare.api.auth import caller
from townsquare.api.channel_schemas import (
    ChannelConfigOut,
    ChannelPatchIn,
    ConfigErrorOut,
    ConnectorOut,
    RejectedPage,
    TestResultOut,
    connector_out,
    health_out,
)
from townsquare.api.cursor import Ordering, paginate
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.connectors.base import ConfigInvalid
from townsquare.connectors.config import (
    channel_overview,
    channel_overviews,
    configure_channel,
    require_manager,
    secret_names_set,
    set_channel_active,
    test_connection,
)
from townsquare.connectors.models import RejectedInbound
from townsquare.connectors.registry import connector_class, registered_kinds
from townsquare.connectors.rejected import raw_download
from townsquare.inbox.channels import (
    ChannelError,
    ChannelNameTaken,
    create_channel,
    require_admin,
    rotate_secret,
)
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.inbox.visibility import Forbidden, visible_channels
from townsquare.people.models import STAFF_CONSOLE_ROLES, Role

router = Router(tags=["channels"])
connectors_router = Router(tags=["channels"])
REJECTED_ORDER = Ordering("rejected-inbound", "received_at", descending=True)
LIMIT = Query(50, ge=1, le=200, description="page size, 1 to 200")
CURSOR = Query(None, max_length=200, description="`next_cursor` from the previous page")
RAW_ANSWER = {
    "200": {
        "description": "the bytes as received (Content-Disposition: attachment)",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


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


class ChannelListedOut(ChannelOut):
    health: str = Field(description="unknown, ok or failing; GET /channels/{id} has the last error")


@router.get(
    "",
    response={200: list[ChannelListedOut], **error_responses(401, 403)},
    summary="List channels with their health",
)
def list_channels(request):
    overviews = channel_overviews(visible_channels(caller(request)))
    return [{**ChannelOut.model_validate(o.channel).model_dump(), "health": o.health} for o in overviews]


@router.get(
    "/{channel_id}",
    response={200: ChannelConfigOut, **error_responses(401, 403, 404, 422)},
    summary="One channel with its health; admins also see its settings and which secrets are set",
)
def read_channel(request, channel_id: Id):
    user = caller(request)
    return channel_config(get_visible_channel(user, channel_id), admin=user.role == Role.ADMIN)


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


def channel_config(channel: Channel, *, admin: bool) -> dict:
    overview = channel_overview(channel)
    shown = {
        "id": channel.pk,
        "name": channel.name,
        "kind": channel.kind,
        "kind_label": overview.kind_label,
        "is_active": channel.is_active,
        "created_at": channel.created_at,
        "messages_stored": channel.messages_stored,
        "messages_duplicate": channel.messages_duplicate,
        "messages_rejected": channel.messages_rejected,
        "health": health_out(overview),
    }
    if admin:
        shown["settings"] = dict(channel.settings or {})
        shown["secrets_set"] = secret_names_set(channel)
    return shown


def body_is_an_object(request) -> bool:
    try:
        return isinstance(json.loads(request.body or b"{}"), dict)
    except ValueError:
        return False


def staff_channel(user, channel_id: int) -> Channel:
    """Configuration is for care staff: ambassadors are refused before any lookup."""
    channels = visible_channels(user)
    if user.role not in STAFF_CONSOLE_ROLES:
        raise Forbidden("channel configuration is for care staff")
    channel = channels.filter(pk=channel_id).first()
    if channel is None:
        raise NotFound(f"channel {channel_id} not found")
    return channel


@connectors_router.get(
    "",
    response={200: list[ConnectorOut], **error_responses(401, 403)},
    summary="Kinds of channel and the settings each one takes",
)
def list_connectors(request):
    user = caller(request)
    visible_channels(user)
    if user.role not in STAFF_CONSOLE_ROLES:
        raise Forbidden("channel configuration is for care staff")
    return [connector_out(connector_class(kind), kind) for kind in registered_kinds()]


@router.patch(
    "/{channel_id}",
    response={200: ChannelConfigOut, 400: ConfigErrorOut, **error_responses(401, 403, 404, 422)},
    summary="Change a channel's settings, secrets or on/off switch (admin)",
)
def configure_channel_endpoint(request, channel_id: Id, payload: ChannelPatchIn):
    user = caller(request)
    require_admin(user)  # before the lookup: a non-admin learns nothing about which ids exist
    channel = staff_channel(user, channel_id)
    if not body_is_an_object(request):
        # An all-optional schema would read a list or a string as "change nothing".
        return Status(400, {"detail": "the body must be a JSON object", "fields": {}})
    if payload.settings is not None or payload.secrets is not None:
        try:
            channel = configure_channel(user, channel, settings=payload.settings, secrets=payload.secrets)
        except ConfigInvalid as refusal:
            return Status(400, {"detail": str(refusal), "fields": refusal.fields})
    if payload.is_active is not None:
        set_channel_active(user, channel, payload.is_active)
        channel.refresh_from_db()
    return channel_config(channel, admin=True)


@router.post(
    "/{channel_id}/test",
    response={200: TestResultOut, **error_responses(401, 403, 404, 422)},
    summary="Test a channel's connection and record its health (admin, supervisor)",
)
def test_channel_endpoint(request, channel_id: Id):
    user = caller(request)
    require_manager(user)
    report = test_connection(user, staff_channel(user, channel_id))
    return {"ok": report.ok, "detail": report.detail, "checked_at": report.checked_at}


@router.get(
    "/{channel_id}/rejected",
    response={200: RejectedPage, **error_responses(400, 401, 403, 404, 422)},
    summary="Input the channel could not read, kept for inspection, newest first (admin)",
)
def list_rejected(request, channel_id: Id, cursor: str | None = CURSOR, limit: int = LIMIT):
    user = caller(request)
    require_admin(user)
    channel = staff_channel(user, channel_id)
    page = paginate(
        RejectedInbound.objects.filter(channel=channel).defer("raw"), REJECTED_ORDER, cursor, limit
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get(
    "/{channel_id}/rejected/{rejected_id}/raw",
    response={**error_responses(401, 403, 404, 422)},
    summary="The rejected input's bytes as they came, as a download (admin)",
    openapi_extra={"responses": RAW_ANSWER},
)
def download_rejected(request, channel_id: Id, rejected_id: Id) -> HttpResponse:
    user = caller(request)
    require_admin(user)
    channel = staff_channel(user, channel_id)
    rejected = RejectedInbound.objects.filter(channel=channel, pk=rejected_id).first()
    if rejected is None:
        raise NotFound(f"rejected input {rejected_id} not found on channel {channel_id}")
    return raw_download(rejected)
