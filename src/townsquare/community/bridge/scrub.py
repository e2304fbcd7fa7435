"""Personal data out of a text that is about to become public: triage's PII finder, plus the
customer's own names and handles (which no pattern can know), plus @mentions."""

import re

from townsquare.inbox.models import Conversation
from townsquare.inbox.page_reads import CUSTOMER_IDENTITIES, known
from townsquare.triage.pii import mask
from townsquare.triage.text import clean

NAME = "[name]"
_MENTION = re.compile(r"(?<![\w@])@\w{1,50}")
# Shorter name parts ("Li", "Jo") are too often ordinary words to replace everywhere.
MIN_NAME_PART = 3


def names_of(conversation: Conversation) -> list[str]:
    """The customer's display name (and its parts) and handles on every channel, longest first."""
    customer = conversation.customer
    if customer is None:
        return []
    names = {customer.display_name, *customer.display_name.split()}
    identities = known(conversation, CUSTOMER_IDENTITIES)  # the page's customer panel read them
    if identities is not None:
        pairs = [(identity.handle, identity.display_name) for identity in identities]
    else:
        pairs = customer.identities.values_list("handle", "display_name")
    for handle, display_name in pairs:
        names.update({handle, handle.lstrip("@"), display_name, *display_name.split()})
    return sorted((n for n in names if n and len(n) >= MIN_NAME_PART), key=len, reverse=True)


def scrub(text: str, names: list[str]) -> str:
    text = mask(clean(text, limit=None))
    text = _MENTION.sub(NAME, text)
    for name in names:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", NAME, text, flags=re.IGNORECASE)
    return text.strip()
