"""Who a community member is in care: one Customer per member, one Identity per community channel.

The identity's external id is `community:<user id>`, so ingest finds it (and its customer) instead of
creating a fresh customer for every question: the member's questions, tickets and consent are one
person's in the console.
"""

from django.db import transaction

from townsquare.community import privileges
from townsquare.community.members import member_of
from townsquare.community.models import Member
from townsquare.people.models import Customer, Identity
from townsquare.replies.delivery import DEFAULT_BRAND_AUTHOR as BRAND_AUTHOR


def author_id_for(user) -> str:
    return f"community:{user.pk}"


def customer_for(user, *, channel=None) -> Customer:
    """The member's Customer, created (and linked to the member) the first time it is needed."""
    member = member_of(user)
    if member.customer_id is not None:
        return member.customer
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        if locked.customer_id is None:
            customer = Customer.objects.create(
                display_name=member.name,
                first_seen_as=f"{channel.pk}:{author_id_for(user)}" if channel is not None else "",
            )
            Member.objects.filter(pk=locked.pk).update(customer=customer)
            locked.customer = customer
    member.customer = locked.customer
    return locked.customer


def identity_for(user, channel) -> Identity:
    """The user's identity on a community channel: linked to their customer, or marked as the brand's."""
    brand = privileges.is_brand(user)
    if brand:
        # Care replies are written by the channel's first brand identity: make it the brand's own
        # account, not the first agent whose community post was mirrored.
        Identity.objects.get_or_create(
            channel=channel, external_id=BRAND_AUTHOR, defaults={"handle": BRAND_AUTHOR, "is_brand": True}
        )
    customer = None if brand else customer_for(user, channel=channel)
    identity, created = Identity.objects.get_or_create(
        channel=channel,
        external_id=author_id_for(user),
        defaults={
            "handle": user.get_username(),
            "display_name": member_of(user).name,
            "customer": customer,
            "is_brand": brand,
        },
    )
    if not created and not brand and identity.customer_id != customer.pk:
        # An identity ingest made before the member had a customer: link it now.
        Identity.objects.filter(pk=identity.pk).update(customer=customer)
        identity.customer = customer
    return identity
