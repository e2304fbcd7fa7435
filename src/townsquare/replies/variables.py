"""Values for canned-reply variables: the customer's name, the agent's name, the order number."""

import re

from townsquare.inbox.page_reads import newest_inbound_texts
from townsquare.triage.pii import find_pii
from townsquare.triage.text import clean

VARIABLE = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")
ORDER_ATTRIBUTES = ("order_number", "order", "order_id")
# An "account" span (triage's kind for order and account numbers) with one of these words just before it.
ORDER_CUES = re.compile(
    r"(order|orden|pedido|bestellung|bestellnummer|auftrag|commande|ordine|bestelling|encomenda)\W+"
    r"(?:(?:id|number|no|nr|num|n°|nº|nummer|número|numero|numéro|is|ist|es|est|#|:)\W*)*$",
    re.IGNORECASE,
)
THREAD_MESSAGES_SEARCHED = 20


def variable_values(conversation, agent) -> dict[str, str]:
    customer = conversation.customer
    name = (customer.display_name or "").strip() if customer else ""
    return {
        "customer.name": name,
        "customer.first_name": name.split()[0] if name else "",
        "agent.name": (agent.first_name or agent.get_full_name() or agent.username) if agent else "",
        "order_number": order_number(conversation),
    }


def order_number(conversation) -> str:
    """The customer's order number: from their attributes, else the newest one named in the thread."""
    customer = conversation.customer
    if customer is not None:
        for key in ORDER_ATTRIBUTES:
            value = (customer.attributes or {}).get(key)
            if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
                return str(value).strip()
    for text in newest_inbound_texts(conversation, THREAD_MESSAGES_SEARCHED):
        found = order_in_text(text)
        if found:
            return found
    return ""


def order_in_text(text: str) -> str:
    text = clean(text, limit=None)
    for span in find_pii(text):
        if span.kind == "account" and ORDER_CUES.search(text[max(0, span.start - 40) : span.start]):
            return text[span.start : span.end]
    return ""
