"""The reply guard: a sales pitch never reaches a customer who did not opt in to hear one.

`check_outgoing` reads a reply before it leaves. A reply is promotional when it carries an explicit
signal (a discount code, a price cut, a push to buy, a link to a shop or coupon page, a product
launch; see guard_patterns.py) or when the triage promotion model scores it as a pitch. A
promotional reply is blocked unless the customer's consent ledger holds the matching opt-in:
"offers" for anything with discount or sales language, "product news" for a launch announcement
without it — or unless the customer raised the same thing in the conversation (asked about a code
or a sale): then the reply answers them, and gets a warning instead. Replies into chatter that
did not invite the brand get a warning, never a block.

Cost: one regex pass and the fast triage of one text; for a promotional reply, a consent lookup
and (in a conversation) one query for the customer's latest messages.
"""

from dataclasses import asdict, dataclass, field

from townsquare.inbox.models import Direction
from townsquare.people.consent import has_consent
from townsquare.people.models import ConsentPurpose, Role
from townsquare.replies.guard_patterns import Signal, scan

# The promotion head alone is a weak judge of brand replies: on 399 real support replies (TWCS,
# links removed) it gives 26 a score of 0.8 or more, the highest 0.973. Explicit signals carry the
# guard; the model blocks alone only above every real support reply we have seen.
PROMO_THRESHOLD = 0.98
OVERRIDE_ROLES = {Role.ADMIN, Role.SUPERVISOR}
# Signals that make a reply an offer; an announcement alone is product news.
OFFER_SIGNALS = {"discount_code", "discount", "sales_push", "shop_link"}
_EXPLANATIONS = {
    "discount_code": "Mentions a discount code ({})",
    "discount": "Offers a discount ({})",
    "sales_push": "Pushes a purchase ({})",
    "shop_link": "Links to a shop or coupon page ({})",
    "announcement": "Announces a product ({})",
}
_DETAIL_LIMIT = 60
# How far back "the customer asked about it" looks: their latest messages, each's first 5,000 characters.
RAISED_LOOKBACK = 5
RAISED_TEXT_LIMIT = 5000
MAX_LISTED_SIGNALS = 20  # the verdict is stored with the reply: a pasted catalogue must not bloat it


@dataclass(frozen=True)
class GuardVerdict:
    blocked: bool
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    promo_score: float = 0.0
    # The opt-in a promotional reply needs ("offers" / "product_news"); "" for a support reply.
    needs_consent: str = ""
    signals: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def check_outgoing(text: str, *, conversation=None, customer=None) -> GuardVerdict:
    """The guard's verdict on sending `text` to `customer` (default: the conversation's customer)."""
    text = text if isinstance(text, str) else ""
    if customer is None and conversation is not None:
        customer = conversation.customer
    signals, without_links = scan(text)
    promo_score = promo_model_score(without_links)
    purpose = needed_purpose(signals, promo_score)
    reasons, warnings = [], chatter_warnings(conversation)
    if purpose and not has_consent(customer, purpose):
        if answers_the_customer(signals, promo_score, conversation):
            warnings.append(_answering_warning(signals))
        else:
            reasons = explain(signals, promo_score, purpose, customer)
    return GuardVerdict(
        blocked=bool(reasons),
        reasons=reasons,
        warnings=warnings,
        promo_score=promo_score,
        needs_consent=purpose,
        signals=[f"{signal.kind}: {_shorten(signal.detail)}" for signal in signals[:MAX_LISTED_SIGNALS]],
    )


def promo_model_score(text_without_links: str) -> float:
    """The triage promotion score of a reply's text, links removed (they are judged by where they point).

    The model reads only the first MODEL_TEXT_LIMIT characters; passing no more spares triage's
    full-text PII scan, which the guard does not need (a 100 kB text took 0.9 s)."""
    from townsquare.triage import triage_fast
    from townsquare.triage.text import MODEL_TEXT_LIMIT

    text = text_without_links[:MODEL_TEXT_LIMIT]
    if not text.strip():
        return 0.0
    return float(triage_fast([text])[0].promo_score)


def needed_purpose(signals: list[Signal], promo_score: float) -> str:
    """Which opt-in the reply needs: offers for discount or sales language (or a pitch the model
    sees without any signal word), product news for a launch alone, "" for a support reply."""
    kinds = {signal.kind for signal in signals}
    if kinds & OFFER_SIGNALS or (promo_score >= PROMO_THRESHOLD and not kinds):
        return ConsentPurpose.OFFERS.value
    if "announcement" in kinds:
        return ConsentPurpose.PRODUCT_NEWS.value
    return ""


def answers_the_customer(signals: list[Signal], promo_score: float, conversation) -> bool:
    """True when the customer raised every kind of signal the reply carries ("my code SAVE20 fails,
    is there another discount?"): answering a question about a code is not pitching one. The model
    alone is never an answer, and the customer must have raised it in this conversation."""
    if conversation is None or not signals or promo_score >= PROMO_THRESHOLD:
        return False
    return {_topic(signal) for signal in signals} <= topics_the_customer_raised(conversation)


def _topic(signal: Signal) -> str:
    # Customers ask about a code in other words than agents give one ("is there a 20% off code?").
    return "discount" if signal.kind == "discount_code" else signal.kind


def topics_the_customer_raised(conversation) -> set[str]:
    """Signal topics in the customer's latest inbound messages of the conversation (one query)."""
    texts = (
        conversation.messages.filter(direction=Direction.INBOUND)
        .order_by("-created_at", "-id")
        .values_list("text", flat=True)[:RAISED_LOOKBACK]
    )
    return {_topic(signal) for text in texts for signal in scan(text[:RAISED_TEXT_LIMIT])[0]}


def _answering_warning(signals: list[Signal]) -> str:
    first = signals[0]
    found = _EXPLANATIONS[first.kind].format(_shorten(first.detail))
    return f"{found}, which the customer asked about: answer their question, do not add a pitch."


def explain(signals: list[Signal], promo_score: float, purpose: str, customer) -> list[str]:
    """One sentence per kind of signal, naming what was found and the missing opt-in."""
    consequence = _missing_consent(purpose, customer)
    details: dict[str, list[str]] = {}
    for signal in signals:
        found = details.setdefault(signal.kind, [])
        detail = _shorten(signal.detail)
        if detail not in found and len(found) < 2:
            found.append(detail)
    reasons = [
        f"{_EXPLANATIONS[kind].format(', '.join(found))} {consequence}" for kind, found in details.items()
    ]
    if promo_score >= PROMO_THRESHOLD:
        reasons.append(f"Reads like a sales pitch (promotion score {promo_score:.2f}) {consequence}")
    return reasons


def _missing_consent(purpose: str, customer) -> str:
    topic = ConsentPurpose(purpose).label.lower()
    if customer is None:
        return f"and no customer is known whose opt-in to {topic} would allow it."
    name = customer.display_name or "this customer"
    return f"and {name} has not opted in to {topic}."


def _shorten(detail: str) -> str:
    return detail if len(detail) <= _DETAIL_LIMIT else detail[: _DETAIL_LIMIT - 1] + "…"


def chatter_warnings(conversation) -> list[str]:
    """A warning when the conversation did not invite the brand in (triage said so, or a person did)."""
    if conversation is None:
        return []
    kind = conversation.kind or "chatter"
    if conversation.not_for_us:
        return [
            f"This conversation was marked not for us: it did not invite a reply from the brand ({kind})."
        ]
    if conversation.invites_reply is False:
        return [f"This conversation did not invite a reply from the brand ({kind})."]
    return []


def override_allowed(user) -> bool:
    """Only admins and supervisors may send a blocked reply anyway (with a reason, logged)."""
    return bool(user and user.is_authenticated and user.is_active and user.role in OVERRIDE_ROLES)
