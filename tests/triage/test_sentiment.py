"""Semantic sentiment from the shipped head: obvious cases in three languages, any input."""

import pytest

from townsquare.triage.embeddings import embed
from townsquare.triage.labels import SENTIMENTS
from townsquare.triage.sentiment import load_head, predict_sentiment, predict_sentiment_embedded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is the worst service ever, I am furious and want my money back!", "negative"),
        ("Thank you so much, the support team was amazing and fixed it in minutes!", "positive"),
        ("Es el peor servicio que he tenido, estoy harto y muy enfadado.", "negative"),
        ("¡Muchas gracias, me encanta, el equipo fue genial!", "positive"),
        ("C'est nul, service horrible, je suis très déçu.", "negative"),
        ("Merci beaucoup, c'est parfait, j'adore !", "positive"),
    ],
)
def test_obvious_sentiment_in_three_languages(text, expected):
    ((label, score),) = predict_sentiment([text])
    assert label == expected
    assert 1 / 3 < score <= 1.0


def test_labels_are_the_contract_sentiments():
    assert set(load_head().labels) == set(SENTIMENTS)


def test_embedded_variant_matches_and_any_input_works():
    texts = ["", "😡😡😡", "broken \ud800 surrogate", "ok", "x" * 100_000]
    results = predict_sentiment(texts)
    assert results == predict_sentiment_embedded(embed(texts), texts)
    assert all(label in SENTIMENTS and 0.0 < score <= 1.0 for label, score in results)
    assert predict_sentiment([]) == []
