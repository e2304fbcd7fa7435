"""Managing outgoing webhooks (admins only): endpoints, their secrets, redelivery and test pings.

Views and API handlers call these; each checks the actor's permission itself and writes its
event in the same transaction as the change. The secret is returned by create and rotate only.
"""

import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from townsquare.api.errors import NotFound
from townsquare.events.log import record
from townsquare.hooks import payloads
from townsquare.hooks.delivering import attempt
from townsquare.hooks.models import (
    PING,
    Delivery,
    Endpoint,
    new_endpoint_secret,
)
from townsquare.hooks.tasks import schedule_sending
from townsquare.hooks.validation import HookInputError, clean_description, clean_kinds, clean_url
from townsquare.inbox.channels import require_admin

EDITABLE = ("url", "description", "kinds", "is_active")


def endpoints(actor) -> QuerySet[Endpoint]:
    require_admin(actor)
    return Endpoint.objects.all()


def endpoint_for(actor, endpoint_id: int) -> Endpoint:
    endpoint = endpoints(actor).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound(f"webhook {endpoint_id} not found")
    return endpoint


def deliveries_for(actor, endpoint: Endpoint) -> QuerySet[Delivery]:
    require_admin(actor)
    return endpoint.deliveries.prefetch_related("attempt_log")


def delivery_for(actor, delivery_id: int) -> Delivery:
    require_admin(actor)
    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound(f"delivery {delivery_id} not found")
    return delivery


def create_endpoint(
    actor, url: str, kinds, *, description: str = "", is_active: bool = True
) -> tuple[Endpoint, str]:
    """Add an endpoint; returns it and its signing secret, which callers show only once."""
    require_admin(actor)
    url, kinds, description = clean_url(url), clean_kinds(kinds), clean_description(description)
    with transaction.atomic():
        endpoint = Endpoint.objects.create(
            url=url,
            kinds=kinds,
            description=description,
            is_active=is_active,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        record("webhook.endpoint_created", actor=actor, data={"endpoint_id": endpoint.pk, "kinds": kinds})
    return endpoint, endpoint.secret


def update_endpoint(actor, endpoint: Endpoint, **changes) -> Endpoint:
    """Change any of url, description, kinds, is_active; the rest stays as it is."""
    require_admin(actor)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise HookInputError(sorted(unknown)[0], f"cannot change {', '.join(sorted(unknown))}")
    cleaners = {"url": clean_url, "kinds": clean_kinds, "description": clean_description, "is_active": bool}
    cleaned = {name: cleaners[name](value) for name, value in changes.items()}
    changed = sorted(name for name, value in cleaned.items() if getattr(endpoint, name) != value)
    if not changed:
        return endpoint
    with transaction.atomic():
        for name in changed:
            setattr(endpoint, name, cleaned[name])
        endpoint.updated_at = timezone.now()
        endpoint.save(update_fields=[*changed, "updated_at"])
        record("webhook.endpoint_updated", actor=actor, data={"endpoint_id": endpoint.pk, "changed": changed})
        if "is_active" in changed and endpoint.is_active:
            schedule_sending(endpoint.pk)  # what waited while it was off goes now
    return endpoint


def delete_endpoint(actor, endpoint: Endpoint) -> None:
    """Remove the endpoint with its delivery log; the event log keeps that it existed."""
    require_admin(actor)
    with transaction.atomic():
        record(
            "webhook.endpoint_deleted", actor=actor, data={"endpoint_id": endpoint.pk, "url": endpoint.url}
        )
        endpoint.delete()


def rotate_secret(actor, endpoint: Endpoint) -> str:
    """A new signing secret; deliveries from now on are signed with it (retries included)."""
    require_admin(actor)
    with transaction.atomic():
        endpoint.secret = new_endpoint_secret()
        endpoint.updated_at = timezone.now()
        endpoint.save(update_fields=["secret", "updated_at"])
        record("webhook.secret_rotated", actor=actor, data={"endpoint_id": endpoint.pk})
    return endpoint.secret


def redeliver(actor, delivery: Delivery) -> Delivery:
    """Send a delivery again as a new delivery with fresh attempts and the same payload.

    The payload's `id` stays the original's, so a receiver that saw it already can tell.
    """
    require_admin(actor)
    if delivery.kind == PING:
        raise HookInputError("delivery", "a test ping is not redelivered; send a new test instead")
    with transaction.atomic():
        again = Delivery.objects.create(
            endpoint_id=delivery.endpoint_id,
            event_id=delivery.event_id,
            kind=delivery.kind,
            payload=delivery.payload,
            next_attempt_at=timezone.now(),
            redelivery_of=delivery,
        )
        record(
            "webhook.redelivered",
            actor=actor,
            data={"endpoint_id": delivery.endpoint_id, "delivery_id": delivery.pk, "redelivery_id": again.pk},
        )
        schedule_sending(delivery.endpoint_id)
    return again


def send_test(actor, endpoint: Endpoint) -> Delivery:
    """POST a `ping` to the endpoint now, once, and return the delivery with its attempt logged."""
    require_admin(actor)
    now = timezone.now()
    delivery_uuid = uuid.uuid4()
    with transaction.atomic():
        delivery = Delivery.objects.create(
            endpoint=endpoint,
            uuid=delivery_uuid,
            kind=PING,
            payload=payloads.ping(str(delivery_uuid), now),
            next_attempt_at=now,
        )
        record(
            "webhook.test_sent", actor=actor, data={"endpoint_id": endpoint.pk, "delivery_id": delivery.pk}
        )
    attempt(delivery.pk, endpoint)
    delivery.refresh_from_db()
    return delivery
