"""A queue's match rules: which conversations belong in it.

Rules are a JSON object; every rule present must match, an empty object matches everything:

    {"channel": [3], "channel_kind": ["community"], "language": ["es"], "kind": ["complaint"],
     "priority": ["high", "urgent"], "intent": ["card_arrival"], "customer": {"tier": ["gold"]}}

A single value may stand for a list of one. `validate_rules` refuses anything else with a
message that names the rule, so an API client or an admin form can show it as it is.
"""

from dataclasses import dataclass, field

from townsquare.inbox.models import ChannelKind
from townsquare.triage.labels import KINDS, PRIORITIES

# Rules whose value is a list of allowed values (or one value), and the values each accepts.
LIST_RULES = {
    "channel": None,  # channel ids
    "channel_kind": tuple(ChannelKind.values),
    "language": None,
    "kind": KINDS,
    "priority": PRIORITIES,
    "intent": None,
}
CUSTOMER_RULE = "customer"
ALL_RULES = (*LIST_RULES, CUSTOMER_RULE)
MAX_VALUES = 200
MAX_TEXT = 100

Scalar = str | int | float | bool


@dataclass(frozen=True, slots=True)
class ConversationFacts:
    """What rules look at, read once per conversation by the router."""

    channel_id: int
    channel_kind: str
    language: str = ""
    kind: str = ""
    priority: str = ""
    intent: str = ""
    customer: dict = field(default_factory=dict)


def validate_rules(rules) -> dict:
    """The rules in normal form (every list rule a list); raises ValueError saying what is wrong."""
    if rules is None:
        return {}
    if not isinstance(rules, dict):
        raise ValueError('rules must be a JSON object such as {"language": ["es"]}')
    unknown = sorted(set(rules) - set(ALL_RULES))
    if unknown:
        raise ValueError(f"unknown rule {unknown[0]!r}; rules are: {', '.join(ALL_RULES)}")
    normal = {}
    for name, value in rules.items():
        if name == CUSTOMER_RULE:
            normal[name] = _customer_rule(value)
        else:
            normal[name] = _list_rule(name, value)
    return normal


def _list_rule(name: str, value) -> list:
    values = value if isinstance(value, list) else [value]
    if not values:
        raise ValueError(f"rule {name!r} needs at least one value")
    if len(values) > MAX_VALUES:
        raise ValueError(f"rule {name!r} has more than {MAX_VALUES} values")
    if name == "channel":
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values):
            raise ValueError("rule 'channel' takes channel ids (positive integers)")
        return values
    if not all(isinstance(v, str) and 0 < len(v) <= MAX_TEXT for v in values):
        raise ValueError(f"rule {name!r} takes non-empty strings of at most {MAX_TEXT} characters")
    allowed = LIST_RULES[name]
    if allowed is not None:
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise ValueError(f"rule {name!r}: {wrong[0]!r} is not one of {', '.join(allowed)}")
    return values


def _customer_rule(value) -> dict:
    if not isinstance(value, dict) or not value:
        raise ValueError("rule 'customer' takes an object of attribute → value (or list of values)")
    normal = {}
    for key, wanted in value.items():
        if not key or len(key) > MAX_TEXT:
            raise ValueError(f"rule 'customer': attribute names are 1 to {MAX_TEXT} characters")
        values = wanted if isinstance(wanted, list) else [wanted]
        if not values or not all(isinstance(v, Scalar) for v in values):
            raise ValueError(f"rule 'customer': {key!r} takes a value or a non-empty list of values")
        normal[key] = values
    return normal


def rules_match(rules: dict, facts: ConversationFacts) -> bool:
    """Whether every rule present matches. `rules` must have been through validate_rules."""
    for name, wanted in rules.items():
        if name == CUSTOMER_RULE:
            if not _customer_matches(wanted, facts.customer):
                return False
        elif getattr(facts, name if name != "channel" else "channel_id") not in wanted:
            return False
    return True


def _customer_matches(wanted: dict, attributes: dict) -> bool:
    for key, values in wanted.items():
        if key not in attributes:
            return False
        actual = attributes[key]
        # A customer attribute that is itself a list (tags, products) matches if any item does.
        actual_values = actual if isinstance(actual, list) else [actual]
        if not any(v in values for v in actual_values if isinstance(v, Scalar)):
            return False
    return True


def needs_intent(rules_list: list[dict]) -> bool:
    """Whether any of these rules looks at intents (the router then reads them)."""
    return any("intent" in rules for rules in rules_list)
