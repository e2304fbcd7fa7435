"""The consent panel on the conversation and customer pages (the form posts to web.customers.record_consent).

One query builds the panel: the customer's whole ledger, newest first (it is short); the current
answer per purpose is the first record of each purpose in it. Ambassadors get no panel at all:
consent wording often quotes a customer's email address.
"""

from townsquare.people.consent import ledger
from townsquare.people.models import ConsentPurpose, ConsentSource
from townsquare.people.profiles import CONSENT_ROLES

PANEL_LEDGER_LIMIT = 20


def may_see_consent(user) -> bool:
    return bool(user and user.is_authenticated and user.role in CONSENT_ROLES)


def consent_panel_context(
    user, customer, *, next_url: str, ledger_limit: int | None = PANEL_LEDGER_LIMIT, read=None
):
    """What _consent_panel.html shows: per purpose the deciding record, the ledger, the form's choices.

    `read(load)`: how to read the ledger (the conversation page shares it with its other panels)."""
    if customer is None or not may_see_consent(user):
        return {"customer": customer, "shown": may_see_consent(user)}
    entries = read(lambda: list(ledger(customer))) if read else list(ledger(customer))
    latest = {}
    for entry in entries:  # newest first: the first record of a purpose decides it
        latest.setdefault(entry.purpose, entry)
    return {
        "shown": True,
        "customer": customer,
        "state": [(purpose, label, latest.get(purpose)) for purpose, label in ConsentPurpose.choices],
        "ledger": entries if ledger_limit is None else entries[:ledger_limit],
        "more_ledger": ledger_limit is not None and len(entries) > ledger_limit,
        "purposes": ConsentPurpose.choices,
        "sources": ConsentSource.choices,
        "default_source": ConsentSource.CONSOLE,
        "next_url": next_url,
    }
