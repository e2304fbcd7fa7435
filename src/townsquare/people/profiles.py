"""Who a customer is across channels, for the customer page and GET /customers/{id}.

Staff see every identity and conversation they may see, and the customer's consent. Ambassadors
(customers who help) see only what the community shows them: identities on community channels,
names and subjects behind the PII fence, and no consent at all.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from townsquare.inbox.visibility import visible_channels, visible_conversations
from townsquare.people.models import Customer, Role

# Admins see every customer (one with no conversation yet too); everyone else sees the customers
# of the conversations they can see, so a supervisor's view follows her teams' queues.
ALL_CUSTOMERS_ROLES = {Role.ADMIN}
CONSENT_ROLES = {Role.ADMIN, Role.SUPERVISOR, Role.AGENT}
HISTORY_LIMIT = 50


@dataclass
class CustomerProfile:
    customer: Customer
    display_name: str
    identities: list = field(default_factory=list)
    # Newest activity first, at most HISTORY_LIMIT; `more_conversations` says some were left out.
    conversations: list = field(default_factory=list)
    more_conversations: bool = False
    # {purpose: deciding ConsentRecord or None}; None for roles that may not see consent.
    consent: dict | None = None


def visible_customers(user) -> QuerySet[Customer]:
    """Customers this user may look up; Forbidden for roles without console access."""
    conversations = visible_conversations(user)
    if user.role in ALL_CUSTOMERS_ROLES:
        return Customer.objects.all()
    return Customer.objects.filter(pk__in=conversations.filter(customer__isnull=False).values("customer_id"))


def find_visible_customer(user, customer_id: int) -> Customer | None:
    return visible_customers(user).filter(pk=customer_id).first()


def customer_profile(user, customer: Customer) -> CustomerProfile:
    """Identities, conversations and (for staff) consent, in four queries whatever the history."""
    from townsquare.people.consent import consent_state
    from townsquare.web.pii_fence import shown_free_text

    identities = list(
        customer.identities.filter(channel__in=visible_channels(user))
        .select_related("channel")
        .order_by("channel__name", "handle")
    )
    for identity in identities:
        identity.display_name = shown_free_text(user, identity.display_name)
    conversations = list(
        visible_conversations(user)
        .filter(customer=customer)
        .select_related("channel")
        .order_by("-last_activity_at", "-id")[: HISTORY_LIMIT + 1]
    )
    for conversation in conversations:
        conversation.subject = shown_free_text(user, conversation.subject)
    return CustomerProfile(
        customer=customer,
        display_name=shown_free_text(user, customer.display_name) or f"Customer {customer.pk}",
        identities=identities,
        conversations=conversations[:HISTORY_LIMIT],
        more_conversations=len(conversations) > HISTORY_LIMIT,
        consent=consent_state(customer) if user.role in CONSENT_ROLES else None,
    )
