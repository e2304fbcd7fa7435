"""Which customer words call for a person or a manager, and what counts as a sentiment spiral."""

import pytest

from townsquare.care.escalation_signals import asks_for_human, asks_for_manager, is_sentiment_spiral


@pytest.mark.parametrize(
    "text",
    [
        "Can I please talk to a human?",
        "I want to speak with a real person, not a bot",
        "get me an agent now",
        "Ich möchte mit einem Mitarbeiter sprechen",
        "Quiero hablar con una persona, por favor",
        "Je veux parler à un conseiller",
        "Posso falar com um atendente?",
        "请转人工",
        "我要人工客服",
        "أريد التحدث مع موظف",
    ],
)
def test_a_request_for_a_person_is_recognised_in_many_languages(text):
    assert asks_for_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "My travel agent booked the wrong flight",
        "The person at the store was lovely",
        "How do I reset my password?",
        "Mi pedido llegó roto",
        "人工智能功能什么时候上线？",  # "artificial intelligence" shares 人工 but asks for no person
    ],
)
def test_ordinary_messages_do_not_ask_for_a_person(text):
    assert not asks_for_human(text)


def test_asking_for_a_manager_is_told_apart():
    assert asks_for_manager("I want to speak to your manager")
    assert asks_for_manager("Bitte verbinden Sie mich mit Ihrem Vorgesetzten")
    assert not asks_for_manager("Can I talk to a human?")


def test_three_negative_messages_in_a_row_are_a_spiral():
    assert is_sentiment_spiral(["neutral", "negative", "negative", "negative"])
    assert not is_sentiment_spiral(["negative", "negative", "neutral"])
    assert not is_sentiment_spiral(["negative", "negative"])
    assert not is_sentiment_spiral(["negative", "", "negative"])
