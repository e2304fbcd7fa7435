"""Semantic sentiment: negative / neutral / positive from the message embedding.

The head is the same kind of classifier as an intent catalogue (softmax over the embedding plus
hashed n-grams) with the three SENTIMENTS as its labels. It hashes character n-grams, not words:
they carry spelling variants, elongations and morphology, and help most where the embedding
model is weakest (Hindi, which USE multilingual v3 was not trained on).
"""

import threading
from collections.abc import Sequence

import numpy as np

from townsquare.triage.embeddings import embed
from townsquare.triage.heads import ARTIFACTS
from townsquare.triage.intents import IntentCatalogue
from townsquare.triage.labels import SENTIMENTS

SENTIMENT_HEAD = ARTIFACTS / "sentiment_head.npz"
ANALYZER = "char_wb"
HASHED_FEATURES = 2**14
REGULARISATION = 1.0

_head: IntentCatalogue | None = None
_head_lock = threading.Lock()


def new_head() -> IntentCatalogue:
    """An untrained sentiment head with the shipped configuration."""
    return IntentCatalogue(ANALYZER, HASHED_FEATURES, REGULARISATION)


def load_head() -> IntentCatalogue:
    """The shipped sentiment head, loaded once per process."""
    global _head
    if _head is None:
        with _head_lock:
            if _head is None:
                head = IntentCatalogue.load(SENTIMENT_HEAD)
                if set(head.labels) != set(SENTIMENTS):
                    raise ValueError(f"{SENTIMENT_HEAD} has labels {head.labels}, expected {SENTIMENTS}")
                _head = head
    return _head


def predict_sentiment(texts: Sequence[str]) -> list[tuple[str, float]]:
    """(sentiment, probability of that sentiment) per text."""
    return predict_sentiment_embedded(embed(list(texts)), texts)


def predict_sentiment_embedded(
    embeddings: np.ndarray, texts: Sequence[str], head: IntentCatalogue | None = None
) -> list[tuple[str, float]]:
    """`predict_sentiment` for texts already embedded (row i of `embeddings` is texts[i])."""
    if len(texts) == 0:
        return []
    head = head or load_head()
    probabilities = head.probabilities(embeddings, texts)
    best = probabilities.argmax(axis=1)
    return [
        (head.labels[column], float(row[column])) for row, column in zip(probabilities, best, strict=True)
    ]
