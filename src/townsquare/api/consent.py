"""GET /customers/{id} (profile), GET and POST /customers/{id}/consent (the consent ledger).

Ambassadors may look up the customers of community conversations they help in, behind the PII
fence and without consent; consent itself is for admins, supervisors and agents only (403).
"""

from datetime import datetime

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from townsquare.api.auth import caller
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.people.consent import (
    MAX_WORDING,
    InvalidConsent,
    consent_customers,
    consent_state,
    ledger,
    record_consent,
)
from townsquare.people.models import ConsentPurpose, ConsentSource
from townsquare.people.profiles import customer_profile, find_visible_customer

router = Router(tags=["customers"])


class ConsentRecordOut(Schema):
    id: int
    purpose: str
    granted: bool = Field(description="true: a grant; false: a revocation")
    source: str
    wording: str = Field(description="the exact words shown to the customer")
    recorded_at: datetime
    recorded_by: str | None = Field(description="username of the staff member; null when the customer acted")
    channel_id: int | None

    @staticmethod
    def resolve_recorded_by(entry) -> str | None:
        return entry.recorded_by.username if entry.recorded_by_id else None


class ConsentOut(Schema):
    customer_id: int
    state: dict[str, ConsentRecordOut | None] = Field(
        description="per purpose, the latest record (it decides), or null when the customer never answered"
    )
    ledger: list[ConsentRecordOut] = Field(description="every grant and revocation, newest first")


class ConsentIn(Schema):
    purpose: ConsentPurpose
    granted: bool
    source: ConsentSource = ConsentSource.API
    wording: str = Field(
        min_length=1, max_length=MAX_WORDING, description="the exact words shown to the customer"
    )


class IdentityOut(Schema):
    channel_id: int
    channel_name: str
    channel_kind: str
    handle: str
    display_name: str

    @staticmethod
    def resolve_channel_name(identity) -> str:
        return identity.channel.name

    @staticmethod
    def resolve_channel_kind(identity) -> str:
        return identity.channel.kind


class CustomerConversationOut(Schema):
    id: int
    channel_id: int
    subject: str
    status: str
    last_activity_at: datetime


class CustomerOut(Schema):
    id: int
    display_name: str
    created_at: datetime
    identities: list[IdentityOut]
    conversations: list[CustomerConversationOut] = Field(description="newest activity first, at most 50")
    more_conversations: bool
    consent: dict[str, ConsentRecordOut | None] | None = Field(
        description="per purpose, the deciding record; null for roles that may not see consent"
    )


def _customer_for_consent(user, customer_id: int):
    customer = consent_customers(user).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(f"customer {customer_id} not found")
    return customer


@router.get(
    "/{customer_id}",
    response={200: CustomerOut, **error_responses(401, 403, 404, 422)},
    summary="A customer: identities across channels, conversations and consent",
)
def read_customer(request, customer_id: Id):
    user = caller(request)
    customer = find_visible_customer(user, customer_id)
    if customer is None:
        raise NotFound(f"customer {customer_id} not found")
    profile = customer_profile(user, customer)
    return {
        "id": customer.pk,
        "display_name": profile.display_name,
        "created_at": customer.created_at,
        "identities": profile.identities,
        "conversations": profile.conversations,
        "more_conversations": profile.more_conversations,
        "consent": profile.consent,
    }


@router.get(
    "/{customer_id}/consent",
    response={200: ConsentOut, **error_responses(401, 403, 404, 422)},
    summary="A customer's consent: the current answer per purpose and the full ledger",
)
def read_consent(request, customer_id: Id):
    customer = _customer_for_consent(caller(request), customer_id)
    return {"customer_id": customer.pk, "state": consent_state(customer), "ledger": list(ledger(customer))}


@router.post(
    "/{customer_id}/consent",
    response={201: ConsentRecordOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record a grant or a revocation, with its source and the exact wording shown",
)
def add_consent(request, customer_id: Id, payload: ConsentIn):
    user = caller(request)
    customer = _customer_for_consent(user, customer_id)
    try:
        entry = record_consent(
            user,
            customer,
            payload.purpose.value,
            granted=payload.granted,
            source=payload.source.value,
            wording=payload.wording,
        )
    except InvalidConsent as error:
        raise HttpError(422, str(error)) from None
    return Status(201, entry)
