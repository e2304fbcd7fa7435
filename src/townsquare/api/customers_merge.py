"""One customer across channels: GET /customers/{id}/identities, POST /customers/{id}/merge and
POST /identities/{id}/split.

Merging and splitting are for admins, supervisors and agents who can see every customer named
(ambassadors 403; a customer the caller cannot see answers 404 like a missing one). Ambassadors may
list the identities of the customers they help, on community channels only, with emails masked.
"""

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from townsquare.api.auth import caller
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.inbox.visibility import visible_channels
from townsquare.people.merging import MAX_REASON, MergeError, merge_customers
from townsquare.people.models import Customer, Identity
from townsquare.people.profiles import find_visible_customer
from townsquare.people.splitting import split_off
from townsquare.web.pii_fence import sees_pii, shown_free_text

router = Router(tags=["customers"])
identities_router = Router(tags=["customers"])


class IdentityDetailOut(Schema):
    id: int
    customer_id: int | None
    channel_id: int
    channel_name: str
    channel_kind: str
    handle: str
    display_name: str
    email: str = Field(
        description='the address behind the identity; "[email]" for roles that may not read it'
    )
    email_verified: bool = Field(description="verified by the email channel or signed by the host site")


class IdentitiesOut(Schema):
    customer_id: int
    merged_into: int | None = Field(description="set when this customer was merged into another")
    identities: list[IdentityDetailOut]


class MergeIn(Schema):
    other: Id = Field(description="the customer merged into this one (it then points at this one)")
    reason: str = Field(min_length=1, max_length=MAX_REASON, description="why, for the audit trail")


class MergeOut(Schema):
    customer_id: int = Field(description="the survivor")
    merged: int
    identities: list[IdentityDetailOut] = Field(description="the survivor's identities now")


class SplitIn(Schema):
    reason: str = Field(min_length=1, max_length=MAX_REASON, description="why, for the audit trail")


class SplitOut(Schema):
    identity_id: int
    customer_id: int = Field(description="the customer the identity belongs to now")
    from_customer_id: int
    revived: bool = Field(description="true when that is the customer it was merged away from")
    conversations: list[int] = Field(description="the conversations it started, which moved with it")


def identity_rows(user, customer: Customer) -> list[dict]:
    """The customer's identities on channels the user may see, emails behind the PII fence."""
    shows_email = sees_pii(user)
    rows = (
        customer.identities.filter(channel__in=visible_channels(user))
        .select_related("channel")
        .order_by("channel__name", "handle", "pk")
    )
    return [
        {
            "id": identity.pk,
            "customer_id": identity.customer_id,
            "channel_id": identity.channel_id,
            "channel_name": identity.channel.name,
            "channel_kind": identity.channel.kind,
            "handle": identity.handle,
            "display_name": shown_free_text(user, identity.display_name),
            "email": identity.email if shows_email or not identity.email else "[email]",
            "email_verified": identity.email_verified,
        }
        for identity in rows
    ]


def _visible_customer(user, customer_id: int) -> Customer:
    customer = find_visible_customer(user, customer_id)
    if customer is None:
        raise NotFound(f"customer {customer_id} not found")
    return customer


@router.get(
    "/{customer_id}/identities",
    response={200: IdentitiesOut, **error_responses(401, 403, 404, 422)},
    summary="A customer's identities across channels, with the email behind each and whether it is verified",
)
def list_identities(request, customer_id: Id):
    user = caller(request)
    customer = _visible_customer(user, customer_id)
    return {
        "customer_id": customer.pk,
        "merged_into": customer.merged_into_id,
        "identities": identity_rows(user, customer),
    }


@router.post(
    "/{customer_id}/merge",
    response={200: MergeOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Merge another customer into this one (identities and conversations move; audited)",
)
def merge(request, customer_id: Id, payload: MergeIn):
    user = caller(request)
    survivor = Customer.objects.filter(pk=customer_id).first()
    other = Customer.objects.filter(pk=payload.other).first()
    if survivor is None or other is None:
        raise NotFound(f"customer {customer_id if survivor is None else payload.other} not found")
    try:
        survivor = merge_customers(user, survivor, other, reason=payload.reason)
    except MergeError as error:
        raise HttpError(400, str(error)) from None
    except LookupError:
        raise NotFound("customer not found") from None
    return {"customer_id": survivor.pk, "merged": other.pk, "identities": identity_rows(user, survivor)}


@identities_router.post(
    "/{identity_id}/split",
    response={201: SplitOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Split an identity off its customer (back to the customer it was merged from, or a new one)",
)
def split(request, identity_id: Id, payload: SplitIn):
    user = caller(request)
    identity = Identity.objects.filter(pk=identity_id).first()
    if identity is None:
        raise NotFound(f"identity {identity_id} not found")
    try:
        done = split_off(user, identity, reason=payload.reason)
    except MergeError as error:
        raise HttpError(400, str(error)) from None
    except LookupError:
        raise NotFound(f"identity {identity_id} not found") from None
    return Status(
        201,
        {
            "identity_id": identity.pk,
            "customer_id": done.customer.pk,
            "from_customer_id": done.from_customer_id,
            "revived": done.revived,
            "conversations": done.conversations,
        },
    )
