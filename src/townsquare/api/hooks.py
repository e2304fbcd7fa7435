"""Outgoing webhooks (admins only): /webhooks, /webhooks/{id}, rotate-secret, test, deliveries.

An endpoint's secret signs its deliveries. It is in the answer to create and rotate-secret only.
"""

from datetime import datetime
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError

from townsquare.api.auth import caller
from townsquare.api.cursor import Ordering, paginate
from townsquare.api.errors import error_responses
from townsquare.api.params import Id
from townsquare.hooks import services
from townsquare.hooks.models import MAX_URL_LENGTH, DeliveryStatus
from townsquare.hooks.validation import MAX_DESCRIPTION, HookInputError, allowed_kinds

router = Router(tags=["webhooks"])

NEWEST_FIRST = Ordering("webhook-deliveries", "created_at", descending=True)
KINDS_HELP = "events to send: " + ", ".join(allowed_kinds()) + " (`*`: every kind, also future ones)"


class EndpointOut(Schema):
    id: int
    url: str
    description: str
    kinds: list[str]
    is_active: bool
    paused_until: datetime | None = Field(description="the receiver gave no answer; sending resumes then")
    created_by_id: int | None
    created_at: datetime
    updated_at: datetime


class EndpointCreatedOut(EndpointOut):
    secret: str = Field(description="signs deliveries (X-Townsquare-Signature); shown only now")


class EndpointSecretOut(Schema):
    id: int
    secret: str = Field(description="the new signing secret; deliveries from now on use it")


class EndpointIn(Schema):
    url: str = Field(max_length=MAX_URL_LENGTH, description="http:// or https://")
    kinds: list[str] = Field(min_length=1, max_length=10, description=KINDS_HELP)
    description: str = Field("", max_length=MAX_DESCRIPTION)
    is_active: bool = True


class EndpointPatch(Schema):
    url: str | None = Field(None, max_length=MAX_URL_LENGTH)
    kinds: list[str] | None = Field(None, min_length=1, max_length=10, description=KINDS_HELP)
    description: str | None = Field(None, max_length=MAX_DESCRIPTION)
    is_active: bool | None = None


class AttemptOut(Schema):
    number: int
    started_at: datetime
    duration_ms: int
    status_code: int | None = Field(description="null when no HTTP answer came (refused, timed out)")
    error: str
    response_excerpt: str = Field(description="the first 1 KB of the receiver's answer")


class DeliveryOut(Schema):
    id: int
    uuid: UUID = Field(description="the X-Townsquare-Delivery header")
    endpoint_id: int
    event_id: int | None
    kind: str
    payload: dict
    status: str = Field(description="pending, succeeded, failed (retried at next_attempt_at) or gave_up")
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
    redelivery_of_id: int | None
    attempt_log: list[AttemptOut] = Field(description="every attempt, oldest first")

    @staticmethod
    def resolve_attempt_log(delivery):
        return list(delivery.attempt_log.all())


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None


def _invalid(exc: HookInputError) -> ValidationError:
    return ValidationError([{"loc": ["body", "payload", exc.field], "msg": str(exc), "type": "value_error"}])


@router.get(
    "", response={200: list[EndpointOut], **error_responses(401, 403)}, summary="List webhooks (admin)"
)
def list_endpoints(request):
    return list(services.endpoints(caller(request)))


@router.post(
    "",
    response={201: EndpointCreatedOut, **error_responses(401, 403, 422)},
    summary="Add a webhook (admin); the answer holds its signing secret, shown once",
)
def create_endpoint(request, payload: EndpointIn):
    try:
        endpoint, secret = services.create_endpoint(
            caller(request),
            payload.url,
            payload.kinds,
            description=payload.description,
            is_active=payload.is_active,
        )
    except HookInputError as exc:
        raise _invalid(exc) from None
    endpoint.secret = secret
    return Status(201, endpoint)


@router.get(
    "/{endpoint_id}",
    response={200: EndpointOut, **error_responses(401, 403, 404, 422)},
    summary="One webhook",
)
def read_endpoint(request, endpoint_id: Id):
    return services.endpoint_for(caller(request), endpoint_id)


@router.patch(
    "/{endpoint_id}",
    response={200: EndpointOut, **error_responses(401, 403, 404, 422)},
    summary="Change a webhook's URL, events, description or active flag (admin)",
)
def update_endpoint(request, endpoint_id: Id, payload: EndpointPatch):
    user = caller(request)
    endpoint = services.endpoint_for(user, endpoint_id)
    changes = payload.model_dump(exclude_none=True)
    try:
        return services.update_endpoint(user, endpoint, **changes)
    except HookInputError as exc:
        raise _invalid(exc) from None


@router.delete(
    "/{endpoint_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Delete a webhook and its delivery log (admin)",
)
def delete_endpoint(request, endpoint_id: Id):
    user = caller(request)
    services.delete_endpoint(user, services.endpoint_for(user, endpoint_id))
    return Status(204, None)


@router.post(
    "/{endpoint_id}/rotate-secret",
    response={200: EndpointSecretOut, **error_responses(401, 403, 404, 422)},
    summary="Replace a webhook's signing secret (admin); the answer holds the new one",
)
def rotate_secret(request, endpoint_id: Id):
    user = caller(request)
    endpoint = services.endpoint_for(user, endpoint_id)
    return {"id": endpoint.pk, "secret": services.rotate_secret(user, endpoint)}


@router.post(
    "/{endpoint_id}/test",
    response={200: DeliveryOut, **error_responses(401, 403, 404, 422)},
    summary="Send a `ping` to the webhook now and answer with the delivery and its attempt (admin)",
)
def send_test(request, endpoint_id: Id):
    user = caller(request)
    return services.send_test(user, services.endpoint_for(user, endpoint_id))


@router.get(
    "/{endpoint_id}/deliveries",
    response={200: DeliveryPage, **error_responses(400, 401, 403, 404, 422)},
    summary="A webhook's deliveries with their attempts, newest first (admin)",
)
def list_deliveries(
    request,
    endpoint_id: Id,
    status: DeliveryStatus | None = None,
    cursor: str | None = Query(None, max_length=200, description="`next_cursor` from the previous page"),
    limit: int = Query(50, ge=1, le=200, description="page size, 1 to 200"),
):
    user = caller(request)
    deliveries = services.deliveries_for(user, services.endpoint_for(user, endpoint_id))
    if status is not None:
        deliveries = deliveries.filter(status=status)
    return paginate(deliveries, NEWEST_FIRST, cursor, limit)


@router.post(
    "/deliveries/{delivery_id}/redeliver",
    response={202: DeliveryOut, **error_responses(401, 403, 404, 422)},
    summary="Send a delivery again, as a new delivery with the same payload (admin)",
)
def redeliver(request, delivery_id: Id):
    user = caller(request)
    try:
        again = services.redeliver(user, services.delivery_for(user, delivery_id))
    except HookInputError as exc:
        raise _invalid(exc) from None
    return Status(202, again)
