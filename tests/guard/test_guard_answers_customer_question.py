"""Dana asked about a discount: answering her with a code is not a pitch, so it is warned, not blocked."""

from tests.api.factories import make_conversation
from townsquare.replies.guard import check_outgoing


def asked(twitter, dana, text):
    return make_conversation(twitter, subject="code", customer=dana, texts=(text,))


def test_reply_with_a_code_to_a_question_about_codes_is_warned(twitter, dana):
    conversation = asked(twitter, dana, "My code SAVE20 fails at checkout, is there another 20% off code?")
    verdict = check_outgoing("Sorry! Use code SPRING20 for 20% off instead.", conversation=conversation)
    assert not verdict.blocked
    assert verdict.warnings == [
        "Mentions a discount code (SPRING20), which the customer asked about: answer their question, do not add a pitch."
    ]


def test_reply_adding_more_than_was_asked_is_blocked(twitter, dana):
    conversation = asked(twitter, dana, "Is there a promo code for the headphones?")
    verdict = check_outgoing(
        "Use code SPRING20, and buy now at https://example.com/deals before it ends!",
        conversation=conversation,
    )
    assert verdict.blocked
    assert any(reason.startswith("Pushes a purchase (buy now)") for reason in verdict.reasons)


def test_only_the_customer_raising_it_counts_not_the_brand(twitter, dana):
    # The factory alternates directions: the second text is the brand's own earlier message.
    conversation = make_conversation(
        twitter, customer=dana, texts=("my parcel is late", "Sorry! Use code SORRY10 next time.", "ok")
    )
    assert check_outgoing("Use code SORRY10 for 10% off.", conversation=conversation).blocked
