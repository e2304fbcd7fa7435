"""PII: real-looking personal data is found and masked; dates, prices, ids and bad checksums are not."""

import pytest

from townsquare.triage.labels import PiiSpan
from townsquare.triage.pii import find_pii, mask


def kinds_and_values(text):
    return [(span.kind, text[span.start : span.end]) for span in find_pii(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail me at jane.doe+care@example.co.uk please", [("email", "jane.doe+care@example.co.uk")]),
        ("call +44 20 7946 0958 after 5", [("phone", "+44 20 7946 0958")]),
        ("mi número es +34 612 345 678", [("phone", "+34 612 345 678")]),
        ("ring (555) 123-4567 now", [("phone", "(555) 123-4567")]),
        ("my number is 555-123-4567", [("phone", "555-123-4567")]),
        ("bel me op 06-12345678", [("phone", "06-12345678")]),
        ("Handy: 0171 2345678", [("phone", "0171 2345678")]),
        ("call me on 5551234567", [("phone", "5551234567")]),
        ("card 4111 1111 1111 1111 was charged twice", [("card", "4111 1111 1111 1111")]),
        ("card 5500-0000-0000-0004", [("card", "5500-0000-0000-0004")]),
        ("amex 378282246310005", [("card", "378282246310005")]),
        ("IBAN DE89 3704 0044 0532 0130 00 thanks", [("iban", "DE89 3704 0044 0532 0130 00")]),
        ("pay to GB82WEST12345698765432", [("iban", "GB82WEST12345698765432")]),
        ("NL91ABNA0417164300 is my account", [("iban", "NL91ABNA0417164300")]),
        ("I live at 10 Downing St, London SW1A 2AA", [("postal_code", "SW1A 2AA")]),
        ("Ottawa ON K1A 0B1", [("postal_code", "K1A 0B1")]),
        ("ship to 123 Main St, Springfield, IL 62704", [("postal_code", "62704")]),
        ("zip 90210-1234", [("postal_code", "90210-1234")]),
        ("mijn adres is Damstraat 1, 1012 JS Amsterdam", [("postal_code", "1012 JS")]),
        ("my order #A12345678 never came", [("account", "A12345678")]),
        ("order number: 112-3456789-1234567", [("account", "112-3456789-1234567")]),
        ("Bestellung 4711-0815 ist nicht da", [("account", "4711-0815")]),
        ("mi pedido 98765432 no llegó", [("account", "98765432")]),
        ("ma commande n° FR2024X88 est perdue", [("account", "FR2024X88")]),
        ("il mio ordine 55443322 è in ritardo", [("account", "55443322")]),
        ("case 00123456 is still open", [("account", "00123456")]),
        ("acct: 99887766", [("account", "99887766")]),
    ],
)
def test_personal_data_is_found(text, expected):
    assert kinds_and_values(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "see you on 2024-01-05 at 10:30",
        "delivery 05/01/2024 between 09:00 and 12:00",
        "it costs $1,299.00 or €1.299,00",
        "only 12345 people liked this",
        "https://twitter.com/acme/status/1234567890123456789",
        "tweet 1456789012345678901 was deleted",
        "card 4111 1111 1111 1112 declined",
        "IBAN DE89 3704 0044 0532 0130 01",
        "We sold 2024 EU units",
        "meet at 2 pm, 3 items for 19.99",
        "my order never came",
        "I called 3 times",
    ],
)
def test_lookalikes_are_not_personal_data(text):
    assert find_pii(text) == ()


def test_spans_are_sorted_and_do_not_overlap():
    text = "email a@b.io, card 4111111111111111, phone +1 415 555 2671, order ABC12345"
    spans = find_pii(text)
    assert [span.kind for span in spans] == ["email", "card", "phone", "account"]
    assert all(left.end <= right.start for left, right in zip(spans, spans[1:], strict=False))


def test_an_iban_is_not_also_reported_as_an_account_number():
    assert [span.kind for span in find_pii("account DE89370400440532013000")] == ["iban"]


def test_mask_replaces_each_span_with_a_readable_placeholder():
    text = "I'm jane@example.com, card 4111 1111 1111 1111, order #A1234567, tel +49 30 1234567"
    assert mask(text) == "I'm [email], card [card], order #[account], tel [phone]"


def test_mask_uses_given_spans():
    assert mask("hello world", (PiiSpan("email", 6, 11),)) == "hello [email]"
    assert mask("nothing here", ()) == "nothing here"


def test_odd_input_is_harmless():
    assert find_pii("") == ()
    assert find_pii(None) == ()
    assert mask(None) == ""
