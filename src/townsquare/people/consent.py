"""The consent ledger: who agreed to hear from the brand about what, when, where and in which words.

Every grant and revocation is a new ConsentRecord; nothing is edited. A customer's current answer
for a purpose is their latest record (no record = no consent). The reply guard asks `has_consent`
before a promotional reply leaves.

Records are never moved when customers merge (the ledger is append-only), so every reader looks at
the customer's whole family: the survivor and every customer merged into it, latest record wins.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from townsquare.events.log import record
from townsquare.inbox.visibility import Forbidden
from townsquare.people.merging import family_ids
from townsquare.people.models import ConsentPurpose, ConsentRecord, ConsentSource, Customer
from townsquare.people.profiles import CONSENT_ROLES, visible_customers

PURPOSES = tuple(ConsentPurpose.values)
SOURCES = tuple(ConsentSource.values)
MAX_WORDING = 5000


class InvalidConsent(ValueError):
    """Bad purpose, source or wording; API and console answer 422/400 with the message."""


def consent_customers(user) -> QuerySet[Customer]:
    """Customers whose consent this user may read and record. Admins, supervisors and agents only:
    ambassadors are customers themselves and never handle another customer's consent."""
    if not (user and user.is_authenticated and user.is_active and user.role in CONSENT_ROLES):
        raise Forbidden("only admins, supervisors and agents may see or record customers' consent")
    return visible_customers(user)


def validate(purpose: str, source: str, wording: str) -> str:
    """The wording, stripped; raises InvalidConsent with a message a person can act on."""
    if purpose not in PURPOSES:
        raise InvalidConsent(f"unknown purpose {purpose!r}: use one of {', '.join(PURPOSES)}")
    if source not in SOURCES:
        raise InvalidConsent(f"unknown source {source!r}: use one of {', '.join(SOURCES)}")
    wording = (wording or "").strip()
    if not wording:
        raise InvalidConsent("the exact wording shown to the customer is required")
    if len(wording) > MAX_WORDING:
        raise InvalidConsent(f"the wording is longer than {MAX_WORDING} characters")
    if "\x00" in wording:
        raise InvalidConsent("the wording holds a NUL character")
    return wording


def record_consent(
    actor,
    customer: Customer,
    purpose: str,
    *,
    granted: bool,
    source: str,
    wording: str,
    channel=None,
    recorded_at=None,
) -> ConsentRecord:
    """Append a grant or revocation and its event. `actor` None means the customer acted themselves
    through a channel (the chat widget, an email link); otherwise they must be allowed to see them.
    `recorded_at` is for imports of answers given earlier (never in the future); default now."""
    wording = validate(purpose, source, wording)
    now = timezone.now()
    if recorded_at is not None and recorded_at > now:
        raise InvalidConsent("recorded_at is in the future")
    if actor is not None and not consent_customers(actor).filter(pk=customer.pk).exists():
        raise Forbidden("you cannot record consent for a customer whose conversations you cannot see")
    with transaction.atomic():
        entry = ConsentRecord.objects.create(
            customer=customer,
            purpose=purpose,
            granted=bool(granted),
            source=source,
            wording=wording,
            recorded_by=actor,
            channel=channel,
            recorded_at=recorded_at or now,
        )
        data = {"customer_id": customer.pk, "purpose": purpose, "source": source}
        if recorded_at is not None:
            data["recorded_at"] = recorded_at.isoformat()
        record(
            "consent.granted" if entry.granted else "consent.revoked",
            actor=actor,
            channel_id=getattr(channel, "pk", None),
            data=data,
        )
    return entry


def consent_state(customer: Customer) -> dict[str, ConsentRecord | None]:
    """Each purpose's deciding record (grant or revocation), or None when the customer never answered.

    One query over the customer's ledger (it is short); later records overwrite earlier ones."""
    state: dict[str, ConsentRecord | None] = dict.fromkeys(PURPOSES)
    for entry in ConsentRecord.objects.filter(customer__in=family_ids(customer)).order_by(
        "recorded_at", "id"
    ):
        state[entry.purpose] = entry
    return state


def has_consent(customer: Customer | None, purpose: str) -> bool:
    """True when the customer's latest record for the purpose is a grant."""
    if purpose not in PURPOSES:
        raise InvalidConsent(f"unknown purpose {purpose!r}: use one of {', '.join(PURPOSES)}")
    if customer is None or customer.pk is None:
        return False
    latest = (
        ConsentRecord.objects.filter(customer__in=family_ids(customer), purpose=purpose)
        .order_by("-recorded_at", "-id")
        .values_list("granted", flat=True)
        .first()
    )
    return bool(latest)


# The key under which a conversation page shares the ledger it read (townsquare.inbox.page_reads).
CONSENT_LEDGER = "consent-ledger"


def granted_in(entries, purpose: str) -> bool:
    """has_consent, answered from a ledger already read (newest first, as `ledger` gives it)."""
    if purpose not in PURPOSES:
        raise InvalidConsent(f"unknown purpose {purpose!r}: use one of {', '.join(PURPOSES)}")
    return next((entry.granted for entry in entries if entry.purpose == purpose), False)


def ledger(customer: Customer) -> QuerySet[ConsentRecord]:
    """Every record of the customer and of the customers merged into it, newest first, with who recorded it."""
    return (
        ConsentRecord.objects.filter(customer__in=family_ids(customer))
        .select_related("recorded_by", "channel")
        .order_by("-recorded_at", "-id")
    )
