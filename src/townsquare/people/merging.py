"""One customer across channels: identities merge by verified email, and staff merge or split by hand.

A customer who wrote by chat (signed in on the host site) and by email is one person when both
identities carry the same verified email: the newer customer is merged into the oldest. Staff can
merge two customers they both see, or split an identity off again (people.splitting). Merged
customers stay as records (for the audit trail and a later split) and always point straight at
the survivor: merging B, which already absorbed A, into C repoints A at C too.
"""

import logging

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from townsquare.events.log import record
from townsquare.events.models import Event
from townsquare.inbox.models import Conversation
from townsquare.inbox.visibility import Forbidden
from townsquare.people.models import Customer, Identity, MergeEvent

logger = logging.getLogger(__name__)

VIA_EMAIL = "verified email"
VIA_STAFF = "staff"
VIA_CLI = "cli"
MAX_REASON = 500
# Events store a keyed hash of an address, never the address: the event log is read widely.
EMAIL_HASH_SALT = "townsquare.people.email"


class MergeError(ValueError):
    """A merge or split that cannot be done (same customer, merged away, no reason…); 400 with the message."""


class InvalidEmail(MergeError):
    pass


def normalize_email(email) -> str:
    """The address stripped, with its domain in lower case; InvalidEmail when it is not an address."""
    address = email.strip() if isinstance(email, str) else ""
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidEmail(f"{address[:80]!r} is not an email address") from None
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def email_hash(email: str) -> str:
    """A keyed hash of the lower-cased address, to name it in events without writing it down."""
    return salted_hmac(EMAIL_HASH_SALT, email.lower(), algorithm="sha256").hexdigest()[:32]


def clean_reason(reason) -> str:
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise MergeError("say why: a reason is required (it goes into the audit trail)")
    if len(reason) > MAX_REASON:
        raise MergeError(f"the reason is longer than {MAX_REASON} characters")
    if "\x00" in reason:
        raise MergeError("the reason holds a NUL character")
    return reason


def survivor_of(customer: Customer | None) -> Customer | None:
    """The customer that stands for this one now (chains are kept one hop long)."""
    if customer is None or customer.merged_into_id is None:
        return customer
    return Customer.objects.get(pk=customer.merged_into_id)


def family_ids(customer: Customer):
    """Ids of the customer's survivor and of every customer merged into it, as a subquery."""
    root = customer.merged_into_id or customer.pk
    return Customer.objects.filter(Q(pk=root) | Q(merged_into_id=root)).values("pk")


# -- staff merges --------------------------------------------------------------------------------


def check_may_merge(actor, *customers: Customer) -> None:
    """Admins, supervisors and agents who can see every customer named; the CLI operator always.

    Ambassadors are customers themselves: Forbidden. A customer the actor cannot see: LookupError
    (the API and the console answer 404, as for a missing one, so ids leak nothing)."""
    from townsquare.inbox.channels import OPERATOR
    from townsquare.people.profiles import CONSENT_ROLES, visible_customers

    if actor is OPERATOR:
        return
    if not (actor and actor.is_authenticated and actor.is_active and actor.role in CONSENT_ROLES):
        raise Forbidden("only admins, supervisors and agents may merge or split customers")
    ids = {customer.pk for customer in customers}
    if ids and visible_customers(actor).filter(pk__in=ids).count() != len(ids):
        raise LookupError("customer not found")


def merge_customers(actor, survivor: Customer, other: Customer, *, reason: str) -> Customer:
    """Merge `other` into `survivor`: its identities and conversations move, it points at the survivor.

    Returns the survivor, refreshed. MergeError for a merge into itself or with a customer merged
    away already (the message names the customer to use instead)."""
    from townsquare.inbox.channels import OPERATOR

    reason = clean_reason(reason)
    if survivor.pk == other.pk:
        raise MergeError("a customer cannot be merged into itself")
    check_may_merge(actor)  # the role, before taking any lock
    with transaction.atomic():
        # Locked first, then read: a merge that committed meanwhile is seen, never overwritten.
        locked = lock_customers([survivor.pk, other.pk])
        survivor, other = locked[survivor.pk], locked[other.pk]
        for customer in (survivor, other):
            if customer.merged_into_id is not None:
                check_may_merge(actor, Customer(pk=customer.merged_into_id))
                raise _merged_away(customer)
        check_may_merge(actor, survivor, other)
        via = VIA_CLI if actor is OPERATOR else VIA_STAFF
        absorb(survivor, other, actor=None if actor is OPERATOR else actor, reason=reason, via=via)
    return survivor


def _merged_away(customer: Customer) -> MergeError:
    target = customer.merged_into_id
    return MergeError(
        f"customer {customer.pk} was merged into customer {target}: use customer {target} instead"
    )


def lock_customers(ids) -> dict[int, Customer]:
    """The customers, locked in id order so two merges touching the same people never deadlock."""
    rows = Customer.objects.select_for_update().filter(pk__in=set(ids)).order_by("pk")
    found = {customer.pk: customer for customer in rows}
    missing = set(ids) - set(found)
    if missing:
        raise LookupError(f"customer {min(missing)} not found")
    return found


def absorb(survivor: Customer, other: Customer, *, actor, reason: str, via: str, data=None) -> None:
    """The merge itself, inside the caller's transaction with both customers locked and unmerged."""
    identity_ids = list(Identity.objects.filter(customer=other).values_list("pk", flat=True))
    conversation_ids = list(Conversation.objects.filter(customer=other).values_list("pk", flat=True))
    chained = list(Customer.objects.filter(merged_into=other).values_list("pk", flat=True))
    now = timezone.now()
    Identity.objects.filter(pk__in=identity_ids).update(customer=survivor)
    Conversation.objects.filter(pk__in=conversation_ids).update(customer=survivor, updated_at=now)
    Customer.objects.filter(pk__in=chained).update(merged_into=survivor)
    other.merged_into, other.merged_at = survivor, now
    other.save(update_fields=["merged_into", "merged_at"])
    fill_blanks(survivor, other)
    event = record(
        "customer.merged",
        actor=actor,
        data={
            "survivor": survivor.pk,
            "merged": other.pk,
            "via": via,
            "reason": reason,
            "identities": identity_ids,
            "conversations": conversation_ids,
            "repointed": chained,
            **(data or {}),
        },
    )
    remember(event, survivor.pk, other.pk)


def remember(event, *customer_ids: int) -> None:
    """Index the event under each customer it concerns, for the customer page's history."""
    MergeEvent.objects.bulk_create(
        [MergeEvent(customer_id=pk, event_id=event.pk) for pk in set(customer_ids)]
    )


def fill_blanks(survivor: Customer, other: Customer) -> None:
    """The survivor keeps what it has; what it lacks (a name, an attribute) comes from the other."""
    changed = []
    if not survivor.display_name and other.display_name:
        survivor.display_name = other.display_name
        changed.append("display_name")
    if not survivor.first_seen_as and other.first_seen_as:
        survivor.first_seen_as = other.first_seen_as
        changed.append("first_seen_as")
    mine, theirs = survivor.attributes or {}, other.attributes or {}
    attributes = {**theirs, **mine} if isinstance(mine, dict) and isinstance(theirs, dict) else mine
    if attributes != mine:
        survivor.attributes = attributes
        changed.append("attributes")
    if changed:
        survivor.save(update_fields=changed)


# -- verified email ------------------------------------------------------------------------------


def attach_email(identity: Identity, email: str, *, verified: bool) -> Customer | None:
    """Record the email behind an identity; a verified one merges the customers sharing it.

    A verified email is never replaced by an unverified one. The customers owning identities with
    the same verified email (compared in lower case) are merged into the oldest, except customers
    holding an identity staff split off: only staff merge those again. Returns the identity's
    customer afterwards (None when it has none). Something that is no address changes nothing (and
    is logged): the callers store mail and chats from strangers, which must not fail on it."""
    try:
        address = normalize_email(email)
    except InvalidEmail as error:
        logger.info("identity %s: %s, not attached", identity.pk, error)
        return Identity.objects.select_related("customer").get(pk=identity.pk).customer
    current = Identity.objects.select_related("customer").get(pk=identity.pk)
    if current.email == address and (current.email_verified or not verified):
        # Nothing new: any merge this address calls for was made when an identity got it.
        return current.customer
    with transaction.atomic():
        identity = Identity.objects.select_for_update().get(pk=identity.pk)
        if _store_email(identity, address, verified=bool(verified)):
            record(
                "identity.email_attached",
                channel_id=identity.channel_id,
                data={
                    "identity": identity.pk,
                    "customer": identity.customer_id,
                    "verified": identity.email_verified,
                    "email": email_hash(identity.email),
                },
            )
        if identity.email_verified and not identity.is_brand:
            _merge_by_email(identity)
        identity.refresh_from_db(fields=["customer"])
        return identity.customer


def _store_email(identity: Identity, address: str, *, verified: bool) -> bool:
    if identity.email_verified and not verified:
        return False  # never downgrade: the verified address stays
    if identity.email == address and identity.email_verified == verified:
        return False
    identity.email, identity.email_verified = address, verified
    identity.save(update_fields=["email", "email_verified"])
    return True


def _merge_by_email(identity: Identity) -> None:
    owners = (
        Identity.objects.alias(email_key=Lower("email"))
        .filter(email_verified=True, email_key=identity.email.lower(), customer__isnull=False)
        .values("customer_id")
    )
    current = {
        merged_into or pk
        for merged_into, pk in Customer.objects.filter(pk__in=owners).values_list("merged_into_id", "pk")
    }
    candidates = current - held_apart(current)
    if identity.customer_id is not None and identity.customer_id not in candidates:
        return  # its own customer is held apart (or merged away meanwhile): leave it to staff
    if not candidates:
        return
    locked = lock_customers(candidates)
    unmerged = sorted(
        (c for c in locked.values() if c.merged_into_id is None), key=lambda c: (c.created_at, c.pk)
    )
    if not unmerged:
        return  # merged elsewhere while we looked; the next verified email finds the survivor
    oldest, *newer = unmerged
    if identity.customer_id is None:
        identity.customer = oldest  # a visitor known only by this email joins its customer
        identity.save(update_fields=["customer"])
    for other in newer:
        absorb(
            oldest,
            other,
            actor=None,
            reason="same verified email",
            via=VIA_EMAIL,
            data={"email": email_hash(identity.email)},
        )


def held_apart(customer_ids) -> set[int]:
    """Customers holding an identity that staff split off: a verified email never merges them again.

    Read through MergeEvent (the customers' own merge and split events, and those of customers
    merged into them), never by scanning the event log."""
    ids = set(customer_ids)
    identities = dict(Identity.objects.filter(customer_id__in=ids).values_list("pk", "customer_id"))
    if not identities:
        return set()
    family = Customer.objects.filter(Q(pk__in=ids) | Q(merged_into_id__in=ids)).values("pk")
    linked = MergeEvent.objects.filter(customer_id__in=family).values("event_id")
    events = Event.objects.filter(pk__in=linked).only("kind", "data")
    split = {event.data.get("identity") for event in events if event.kind == "identity.split"}
    return {identities[identity_id] for identity_id in split if identity_id in identities}


def split_identity(actor, identity: Identity, *, reason: str) -> Customer:
    """See people.splitting.split_identity (kept there, next to its helpers)."""
    from townsquare.people.splitting import split_identity as split

    return split(actor, identity, reason=reason)
