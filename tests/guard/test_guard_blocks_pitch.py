"""The pitch that never leaves: a discount pitch to Dana is blocked until she opts in to offers,
and blocked again once she revokes."""

import pytest

from townsquare.people.consent import record_consent
from townsquare.replies.guard import check_outgoing

PITCHES = {
    "en": "Glad it's fixed — and use code SAVE20 for 20% off your next order!",
    "de": "Mit dem Code SAVE20 erhalten Sie 20 % Rabatt",
    "es": "Listo, y usa el código SAVE20 para un 20% de descuento",
    "zh": "使用优惠码SAVE20，下单立享八折",
}


def opt(carol, dana, granted):
    record_consent(
        carol,
        dana,
        "offers",
        granted=granted,
        source="livechat",
        wording="Send me offers and discount codes.",
    )


@pytest.mark.parametrize("language", PITCHES)
def test_pitch_blocked_until_opt_in_and_again_after_revocation(language, carol, dana, dana_conversation):
    text = PITCHES[language]

    before = check_outgoing(text, conversation=dana_conversation)
    assert before.blocked
    assert before.needs_consent == "offers"
    assert "SAVE20" in before.reasons[0] and "Dana has not opted in to offers" in before.reasons[0]

    opt(carol, dana, granted=True)
    after_opt_in = check_outgoing(text, conversation=dana_conversation)
    assert not after_opt_in.blocked and after_opt_in.reasons == []

    opt(carol, dana, granted=False)
    assert check_outgoing(text, conversation=dana_conversation).blocked


def test_reason_is_a_sentence_naming_code_and_customer(dana_conversation):
    verdict = check_outgoing(PITCHES["en"], conversation=dana_conversation)
    assert verdict.reasons[0] == "Mentions a discount code (SAVE20) and Dana has not opted in to offers."
    assert "Offers a discount (20% off) and Dana has not opted in to offers." in verdict.reasons


def test_customer_given_explicitly_wins_over_none(dana):
    assert check_outgoing(PITCHES["de"], customer=dana).blocked


def test_pitch_without_any_customer_is_blocked():
    verdict = check_outgoing(PITCHES["en"])
    assert verdict.blocked
    assert "no customer is known" in verdict.reasons[0]


def test_product_news_needs_product_news_opt_in_not_offers(carol, dana, dana_conversation):
    text = "Introducing the all-new Acme Buds Pro, out on Friday."
    record_consent(carol, dana, "offers", granted=True, source="console", wording="Offers by email: yes")
    verdict = check_outgoing(text, conversation=dana_conversation)
    assert verdict.blocked and verdict.needs_consent == "product_news"
    assert "Announces a product (Introducing) and Dana has not opted in to product news." in verdict.reasons

    record_consent(carol, dana, "product_news", granted=True, source="console", wording="Product news: yes")
    assert not check_outgoing(text, conversation=dana_conversation).blocked
