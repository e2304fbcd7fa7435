"""Finding the customer to merge with: by customer number, by an email behind an identity, or by a
handle on any channel. Exact matches only (case-insensitive): an agent finds a person, not a list
of look-alikes."""

from django.db.models import Q
from django.db.models.functions import Lower

from townsquare.people.models import Customer, Identity
from townsquare.people.profiles import visible_customers

MAX_QUERY = 200
MAX_RESULTS = 10


def find_customers(user, query: str, *, exclude: Customer | None = None) -> list[Customer]:
    """Customers the user may see matching the query, survivors only, with their identities loaded."""
    query = (query or "").strip()[:MAX_QUERY].replace("\x00", "")
    if not query:
        return []
    matches = Q(pk__in=_identity_owners(query))
    if query.lstrip("#").isdigit() and len(query) < 19:
        matches |= Q(pk=int(query.lstrip("#")))
    found = (
        visible_customers(user)
        .filter(matches, merged_into__isnull=True)
        .prefetch_related("identities__channel")
        .order_by("created_at", "pk")
    )
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return list(found[:MAX_RESULTS])


def _identity_owners(query: str):
    """Customer ids behind identities with this email, handle (with or without @) or external id."""
    lowered = query.lower()
    if "@" in query[1:]:  # an address; a handle like @dana has its only @ first
        matches = Q(email_key=lowered) | Q(external_id=query)
    else:
        bare = lowered.lstrip("@")
        matches = Q(handle__iexact=bare) | Q(handle__iexact=f"@{bare}") | Q(external_id=query)
    return (
        Identity.objects.alias(email_key=Lower("email"))
        .filter(matches, customer__isnull=False)
        .values("customer_id")
    )
