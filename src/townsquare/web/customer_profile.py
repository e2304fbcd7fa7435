"""The customer panel on the conversation page: who the customer is on each channel and what else they asked.

Two queries whatever the history's length: identities on the channels this user may see, and the
customer's other conversations this user may see (the newest HISTORY_LIMIT), both behind the PII fence.
"""

from dataclasses import dataclass, field

from townsquare.inbox.visibility import visible_channels, visible_conversations
from townsquare.web.pii_fence import shown_free_text

HISTORY_LIMIT = 20


@dataclass
class CustomerProfile:
    customer: object | None
    identities: list = field(default_factory=list)
    # The customer's other conversations, newest activity first, each with its status.
    history: list = field(default_factory=list)
    more_history: bool = False


def customer_profile(user, conversation) -> CustomerProfile:
    customer = conversation.customer
    if customer is None:
        return CustomerProfile(None)
    identities = list(
        customer.identities.filter(channel__in=visible_channels(user))
        .select_related("channel")
        .order_by("channel__name", "handle")
    )
    for identity in identities:
        identity.display_name = shown_free_text(user, identity.display_name)
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
