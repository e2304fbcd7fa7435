"""Per-language sentiment experts blended with the shared sentiment head.

The shared head learns one boundary for all languages; how sentiment sits in the embedding
space differs by language (the encoder saw each language with its own data). A small softmax
regression on the embedding alone per detected language, averaged with the shared head at
EXPERT_WEIGHT, gained ~0.01 macro-F1 in cross-validation on the training split (MODEL_CARD.md).
Languages come from `language.detect_languages`, as in the product, so the experts are trained on
what routing will really send them: romanised Hindi that language id calls Hindi (about 60% of
XLM-T's Hindi tweets; most of the rest are plain English tweets) gets the Hindi expert, the rest
lands with the language it is taken for. A text whose language has no expert keeps the shared
head's probabilities. Artifact: `.npz`, float16 weights, no pickle.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from townsquare.triage.embeddings import EMBEDDING_DIM
from townsquare.triage.heads import ArtifactError, write_npz

FORMAT = f"sentiment-language-experts-usem3-{EMBEDDING_DIM}-v1"
# Chosen by 3-fold CV on xlmt-sentiment's train split (weights 0.2 / 0.35 / 0.5; C 1 and 10).
EXPERT_WEIGHT = 0.35
REGULARISATION = 1.0
# A language needs this many training rows to get its own expert.
MIN_ROWS = 50


def text_languages(texts: Sequence[str]) -> list[str]:
    """The language each text is routed by (the product's language id)."""
    from townsquare.triage.language import detect_languages

    return [language for language, _ in detect_languages(list(texts))]


@dataclass(frozen=True)
class LanguageExperts:
    """One softmax regression over the embedding per language; columns in `labels` order."""

    languages: tuple[str, ...]
    labels: tuple[str, ...]
    coef: np.ndarray  # (languages, labels, EMBEDDING_DIM) float32
    intercept: np.ndarray  # (languages, labels) float32
    weight: float = EXPERT_WEIGHT

    def blend(self, shared: np.ndarray, embeddings: np.ndarray, languages: Sequence[str]) -> np.ndarray:
        """`shared` (n, labels) probabilities averaged with each row's language expert, where it has one."""
        blended = np.array(shared, dtype=np.float64)
        embeddings = np.asarray(embeddings, dtype=np.float32)
        language_array = np.asarray(languages, dtype=object)
        for index, language in enumerate(self.languages):
            rows = np.flatnonzero(language_array == language)
            if not len(rows):
                continue
            scores = embeddings[rows] @ self.coef[index].T + self.intercept[index]
            scores -= scores.max(axis=1, keepdims=True)
            expert = np.exp(scores)
            expert /= expert.sum(axis=1, keepdims=True)
            blended[rows] = (1.0 - self.weight) * blended[rows] + self.weight * expert
        return blended

    def save(self, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_npz(
            path,
            {
                "coef": self.coef.astype(np.float16),
                "intercept": self.intercept.astype(np.float32),
                "languages": np.asarray(self.languages, dtype=np.str_),
                "labels": np.asarray(self.labels, dtype=np.str_),
                "weight": np.asarray([self.weight], dtype=np.float64),
                "format": np.asarray(FORMAT, dtype=np.str_),
            },
        )
        return path

    @classmethod
    def load(cls, path: Path) -> "LanguageExperts":
        path = Path(path)
        with np.load(path, allow_pickle=False) as data:
            if "format" not in data.files or str(data["format"]) != FORMAT:
                raise ArtifactError(f"{path} is not a {FORMAT} artifact: retrain the sentiment head")
            experts = cls(
                languages=tuple(str(language) for language in data["languages"]),
                labels=tuple(str(label) for label in data["labels"]),
                coef=data["coef"].astype(np.float32),
                intercept=data["intercept"].astype(np.float32),
                weight=float(data["weight"][0]),
            )
        if experts.coef.shape != (len(experts.languages), len(experts.labels), EMBEDDING_DIM):
            raise ArtifactError(f"{path} has weights of shape {experts.coef.shape}: retrain")
        return experts


def fit_language_experts(
    embeddings: np.ndarray,
    languages: Sequence[str],
    labels: Sequence[str],
    order: Sequence[str],
    covered: Sequence[str],
    seed: int,
) -> LanguageExperts:
    """An expert for each `covered` language (the data set's own) with MIN_ROWS rows routed to it
    and every label present; other languages keep the shared head (sklearn is imported only here)."""
    from sklearn.linear_model import LogisticRegression

    embeddings = np.asarray(embeddings, dtype=np.float32)
    language_array, label_array = np.asarray(languages, dtype=object), np.asarray(labels)
    fitted, coefs, intercepts = [], [], []
    for language in sorted(set(covered)):
        rows = np.flatnonzero(language_array == language)
        if len(rows) < MIN_ROWS or set(label_array[rows]) != set(order):
            continue
        model = LogisticRegression(C=REGULARISATION, max_iter=2000, random_state=seed)
        model.fit(embeddings[rows], label_array[rows])
        columns = [list(model.classes_).index(label) for label in order]
        fitted.append(str(language))
        coefs.append(model.coef_[columns])
        intercepts.append(model.intercept_[columns])
    return LanguageExperts(
        languages=tuple(fitted),
        labels=tuple(order),
        coef=np.asarray(coefs, dtype=np.float32).reshape(len(fitted), len(order), EMBEDDING_DIM),
        intercept=np.asarray(intercepts, dtype=np.float32).reshape(len(fitted), len(order)),
    )
