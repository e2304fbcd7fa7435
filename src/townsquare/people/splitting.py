"""Splitting an identity off a customer: the staff answer to a wrong merge, with its audit event.

The identity goes back to the customer it came from when that customer was merged into this one
(its consent ledger and name come back with it); otherwise a new customer is made for it. The
conversations the identity started go with it. A customer holding a split-off identity is never
merged again by a verified email, only by staff (people.merging.held_apart).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from townsquare.events.log import record
from townsquare.events.models import Event
from townsquare.inbox.models import Conversation, Direction, Message
from townsquare.people.merging import (
    VIA_CLI,
    VIA_STAFF,
    MergeError,
    check_may_merge,
    clean_reason,
    lock_customers,
    remember,
)
from townsquare.people.models import Customer, Identity, MergeEvent


@dataclass(frozen=True)
class Split:
    customer: Customer  # where the identity belongs now
    from_customer_id: int
    revived: bool  # the customer it had been merged away from, brought back
    conversations: list[int]


def split_identity(actor, identity: Identity, *, reason: str) -> Customer:
    """Move the identity (and the conversations it started) to a customer of its own; returns it."""
    return split_off(actor, identity, reason=reason).customer


def split_off(actor, identity: Identity, *, reason: str) -> Split:
    """split_identity, telling what happened."""
    from townsquare.inbox.channels import OPERATOR

    reason = clean_reason(reason)
    identity = Identity.objects.get(pk=identity.pk)  # the caller's copy may predate a merge
    if identity.is_brand:
        raise MergeError("this identity is the brand's own account, not a customer's")
    if identity.customer_id is None:
        raise MergeError("this identity belongs to no customer: there is nothing to split it from")
    check_may_merge(actor)  # the role, before taking any lock
    with transaction.atomic():
        source = lock_customers([identity.customer_id])[identity.customer_id]
        identity = Identity.objects.select_for_update().get(pk=identity.pk)
        if identity.customer_id != source.pk:
            raise MergeError("this identity moved to another customer meanwhile: reload and try again")
        check_may_merge(actor, source)
        if not Identity.objects.filter(customer=source).exclude(pk=identity.pk).exists():
            raise MergeError("this is the customer's only identity: there is nothing to split it from")
        target, revived = _target_for(identity, source)
        conversation_ids = started_by(identity, source)
        identity.customer = target
        identity.save(update_fields=["customer"])
        # updated_at moves so API clients syncing by `updated_since` see the new customer.
        Conversation.objects.filter(pk__in=conversation_ids).update(
            customer=target, updated_at=timezone.now()
        )
        event = record(
            "identity.split",
            actor=None if actor is OPERATOR else actor,
            channel_id=identity.channel_id,
            data={
                "identity": identity.pk,
                "from_customer": source.pk,
                "to_customer": target.pk,
                "revived": revived,
                "reason": reason,
                "conversations": conversation_ids,
                "via": VIA_CLI if actor is OPERATOR else VIA_STAFF,
            },
        )
        remember(event, source.pk, target.pk)
    return Split(target, source.pk, revived, conversation_ids)


def _target_for(identity: Identity, source: Customer) -> tuple[Customer, bool]:
    """(customer, revived): the merged-away customer the identity first came from, or a new one."""
    origin = original_owner(identity, source)
    if origin is not None:
        origin.merged_into, origin.merged_at = None, None
        origin.save(update_fields=["merged_into", "merged_at"])
        return origin, True
    customer = Customer.objects.create(
        display_name=identity.display_name or identity.handle,
        first_seen_as=f"{identity.channel_id}:{identity.external_id}",
    )
    return customer, False


def original_owner(identity: Identity, holder: Customer) -> Customer | None:
    """The customer merged into `holder` whose merge first moved this identity, if any."""
    absorbed = set(Customer.objects.filter(merged_into=holder).values_list("pk", flat=True))
    if not absorbed:
        return None
    linked = MergeEvent.objects.filter(customer_id__in=absorbed).values("event_id")
    for event in Event.objects.filter(pk__in=linked).only("kind", "data").order_by("id"):
        data = event.data
        if event.kind == "customer.merged" and data.get("merged") in absorbed:
            if identity.pk in (data.get("identities") or ()):
                return lock_customers([data["merged"]])[data["merged"]]
    return None


def started_by(identity: Identity, customer: Customer) -> list[int]:
    """The customer's conversations whose first inbound message this identity wrote."""
    firsts: dict[int, int | None] = {}
    inbound = (
        Message.objects.filter(conversation__customer=customer, direction=Direction.INBOUND)
        .order_by("conversation_id", "created_at", "id")
        .values_list("conversation_id", "author_id")
    )
    for conversation_id, author_id in inbound.iterator():
        firsts.setdefault(conversation_id, author_id)
    return sorted(cid for cid, author_id in firsts.items() if author_id == identity.pk)
