"""A queue's rules: what they match, and clear messages for rules that cannot work."""

import pytest
from django.core.exceptions import ValidationError

from townsquare.care.models import Queue
from townsquare.care.rules import ConversationFacts, rules_match, validate_rules

DANA = ConversationFacts(
    channel_id=3,
    channel_kind="import",
    language="es",
    kind="complaint",
    priority="high",
    intent="card_arrival",
    customer={"tier": "gold", "tags": ["vip", "eu"]},
)


@pytest.mark.parametrize(
    ("rules", "matches"),
    [
        ({}, True),
        ({"channel": [3]}, True),
        ({"channel": 4}, False),
        ({"channel_kind": "import"}, True),
        ({"channel_kind": ["community"]}, False),
        ({"language": ["en", "es"]}, True),
        ({"language": "de"}, False),
        ({"kind": "complaint", "priority": ["high", "urgent"]}, True),
        ({"kind": "complaint", "priority": "low"}, False),
        ({"intent": "card_arrival"}, True),
        ({"intent": ["refund"]}, False),
        ({"customer": {"tier": "gold"}}, True),
        ({"customer": {"tier": ["silver", "gold"]}}, True),
        ({"customer": {"tags": "vip"}}, True),
        ({"customer": {"tags": "us"}}, False),
        ({"customer": {"plan": "pro"}}, False),
    ],
)
def test_rules_match(rules, matches):
    assert rules_match(validate_rules(rules), DANA) is matches


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (["language"], "must be a JSON object"),
        ({"colour": "red"}, "unknown rule 'colour'"),
        ({"language": []}, "needs at least one value"),
        ({"language": [""]}, "non-empty strings"),
        ({"channel": ["twitter"]}, "channel ids"),
        ({"channel": [True]}, "channel ids"),
        ({"kind": "rant"}, "'rant' is not one of"),
        ({"priority": "asap"}, "'asap' is not one of"),
        ({"channel_kind": "fax"}, "'fax' is not one of"),
        ({"customer": "gold"}, "attribute → value"),
        ({"customer": {"tier": []}}, "non-empty list"),
        ({"customer": {"tier": {"a": 1}}}, "non-empty list"),
    ],
)
def test_bad_rules_say_what_is_wrong(rules, message):
    with pytest.raises(ValueError, match=message):
        validate_rules(rules)


def test_the_admin_form_checks_rules_and_skills_too():
    queue = Queue(name="X", rules={"kind": "rant"}, required_skills="billing")
    with pytest.raises(ValidationError) as caught:
        queue.clean()
    assert "rules" in caught.value.message_dict
    queue.rules = {"kind": "question"}
    with pytest.raises(ValidationError) as caught:
        queue.clean()
    assert "required_skills" in caught.value.message_dict
