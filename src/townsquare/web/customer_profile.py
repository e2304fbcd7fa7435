"""The customer panel on the conversation page: who the customer is on each channel and what else they asked.

Two queries whatever the history's length: identities on the channels this user may see, and the
customer's other conversations this user may see (the newest HISTORY_LIMIT), both behind the PII fence.
"""

from copy import copy
from dataclasses import dataclass, field

from townsquare.inbox.page_reads import CUSTOMER_IDENTITIES, shared
from townsquare.inbox.visibility import sees_every_channel, visible_channels, visible_conversations
from townsquare.web.pii_fence import shown_free_text

HISTORY_LIMIT = 20


@dataclass
class CustomerProfile:
    customer: object | None
    identities: list = field(default_factory=list)
    # The customer's other conversations, newest activity first, each with its status.
    history: list = field(default_factory=list)
    more_history: bool = False


def fenced(user, identity):
    """The identity as this user may read it: a copy with the display name masked if need be
    (the shared row keeps the name, which other parts of the page use to scrub it)."""
    shown = shown_free_text(user, identity.display_name)
    if shown == identity.display_name:
        return identity
    identity = copy(identity)
    identity.display_name = shown
    return identity


def customer_profile(user, conversation) -> CustomerProfile:
    customer = conversation.customer
    if customer is None:
        return CustomerProfile(None)
    identities = customer.identities.select_related("channel").order_by("channel__name", "handle")
    if sees_every_channel(user):
        # All of them: the page's other parts (the community publish form) share this read.
        identities = shared(conversation, CUSTOMER_IDENTITIES, lambda: list(identities))
    else:
        identities = list(identities.filter(channel__in=visible_channels(user)))
    identities = [fenced(user, identity) for identity in identities]
    others = list(
        visible_conversations(user)
        .filter(customer=customer)
        .exclude(pk=conversation.pk)
        .select_related("channel")
        .order_by("-last_activity_at", "-id")[: HISTORY_LIMIT + 1]
    )
    for other in others:
        other.subject = shown_free_text(user, other.subject)
    return CustomerProfile(
        customer, identities, others[:HISTORY_LIMIT], more_history=len(others) > HISTORY_LIMIT
    )
