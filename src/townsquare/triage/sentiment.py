"""Semantic sentiment: negative / neutral / positive from the message embedding.

The head is the same kind of classifier as an intent catalogue (softmax over the embedding plus
hashed n-grams) with the three SENTIMENTS as its labels. It hashes character n-grams, not words:
they carry spelling variants, elongations and morphology, and help most where the embedding
model is weakest (Hindi, which USE multilingual v3 was not trained on). Per-language experts
(`sentiment_experts.py`, when their artifact is shipped) are averaged into its probabilities.
"""

import threading
from collections.abc import Sequence

import numpy as np

from townsquare.triage.embeddings import embed
from townsquare.triage.heads import ARTIFACTS
from townsquare.triage.intents import IntentCatalogue
from townsquare.triage.labels import SENTIMENTS
from townsquare.triage.sentiment_experts import LanguageExperts, text_languages

SENTIMENT_HEAD = ARTIFACTS / "sentiment_head.npz"
SENTIMENT_EXPERTS = ARTIFACTS / "sentiment_experts.npz"
ANALYZER = "char_wb"
HASHED_FEATURES = 2**14
REGULARISATION = 1.0

_head: IntentCatalogue | None = None
_head_lock = threading.Lock()
_experts: dict[str, LanguageExperts | None] = {}


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


def load_experts() -> LanguageExperts | None:
    """The shipped per-language experts (None when their artifact is not there), loaded once."""
    if "shipped" not in _experts:
        with _head_lock:
            if "shipped" not in _experts:
                experts = LanguageExperts.load(SENTIMENT_EXPERTS) if SENTIMENT_EXPERTS.exists() else None
                if experts is not None and set(experts.labels) != set(SENTIMENTS):
                    raise ValueError(
                        f"{SENTIMENT_EXPERTS} has labels {experts.labels}, expected {SENTIMENTS}"
                    )
                _experts["shipped"] = experts
    return _experts["shipped"]


def predict_sentiment(texts: Sequence[str]) -> list[tuple[str, float]]:
    """(sentiment, probability of that sentiment) per text."""
    return predict_sentiment_embedded(embed(list(texts)), texts)


def predict_sentiment_embedded(
    embeddings: np.ndarray,
    texts: Sequence[str],
    head: IntentCatalogue | None = None,
    experts: LanguageExperts | None = None,
) -> list[tuple[str, float]]:
    """`predict_sentiment` for texts already embedded (row i of `embeddings` is texts[i]). `head`
    and `experts` default to the shipped ones; pass a head alone to score it without experts."""
    if len(texts) == 0:
        return []
    if head is None:
        head, experts = load_head(), experts or load_experts()
    probabilities = head.probabilities(embeddings, texts)
    if experts is not None:
        order = [head.labels.index(label) for label in experts.labels]
        blended = experts.blend(probabilities[:, order], embeddings, text_languages(texts))
        probabilities = np.empty_like(blended)
        probabilities[:, order] = blended
    best = probabilities.argmax(axis=1)
    return [
        (head.labels[column], float(row[column])) for row, column in zip(probabilities, best, strict=True)
    ]
