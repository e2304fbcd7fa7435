"""What counts as a promotional signal: price cuts but not refunds, shop links but not help links."""

import time

import pytest

from townsquare.replies.guard import check_outgoing
from townsquare.replies.guard_patterns import find_signals, shop_link, strip_links


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/deals",
        "https://example.com/cart",
        "https://example.com/checkout?step=2",
        "https://coupons.example.com/acme",
        "https://example.com/phones?utm_campaign=black-friday",
        "https://example.com/p/42?coupon=SPRING",
        "www.example.com/tienda/",
    ],
)
def test_shop_and_campaign_links_are_signals(url):
    assert shop_link(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/reset?code=8f2a",  # a reset code is not a coupon
        "https://example.com/track/123456",
        "https://example.com/help/checkout-problems",
        "https://shop.example.com/account/orders/981",  # the shop's order page, not a sales page
        "https://example.com/?utm_source=support",
    ],
)
def test_help_and_order_links_are_not_signals(url):
    assert not shop_link(url)


@pytest.mark.parametrize(
    "text",
    [
        "Your 20% refund was processed",
        "Reembolsamos el 20% de tu pedido",
        "Ihre Rückerstattung von 20 % ist unterwegs",
        "If you see error code E42, restart the app",
        "The offer letter was attached by mistake, sorry!",
    ],
)
def test_refunds_and_error_codes_are_not_discounts(text):
    assert find_signals(text) == []


def test_code_is_read_as_written():
    assert [signal.detail for signal in find_signals("use code save20 or use code SAVE20")] == [
        "use code",
        "SAVE20",
    ]


def test_links_are_removed_before_the_model_scores_the_text():
    assert strip_links("reset here: https://example.com/reset thanks") == "reset here:   thanks"
    # The promotion head alone scores this password-reset reply above 0.9.
    assert (
        check_outgoing("Here is the link to reset your password: https://example.com/reset").promo_score < 0.5
    )


def test_pitch_without_signal_words_is_caught_by_the_model(dana):
    verdict = check_outgoing("Win a free iPhone! Click to claim your prize", customer=dana)
    assert verdict.promo_score >= 0.8 and verdict.blocked
    assert verdict.reasons[-1].startswith("Reads like a sales pitch (promotion score")


@pytest.mark.parametrize("text", ["", "   ", None, 42])
def test_empty_or_odd_text_is_not_promotional(text):
    verdict = check_outgoing(text)
    assert not verdict.blocked and verdict.promo_score == 0.0


@pytest.mark.parametrize(
    "text", ["1" * 100_000, "1," * 50_000, "a" * 100_000, "优惠" * 50_000, "use code " * 10_000]
)
def test_long_or_repetitive_text_is_checked_quickly(text):
    # A number pattern without its lookbehind retried every position of a digit run: minutes here.
    started = time.perf_counter()
    verdict = check_outgoing(text)
    assert time.perf_counter() - started < 5
    assert len(verdict.signals) <= 20
