"""A deployment's intent catalogue: labelled examples in, top-3 intents per message out.

One multinomial logistic regression over the sentence embedding concatenated with hashed
n-grams. The embedding carries meaning across paraphrase and language; the n-grams carry the
exact product words an embedding blurs ("top up" vs "transfer"), which on banking77 is worth
about one point of accuracy. Prediction is numpy only (hashing is stateless), and a saved
catalogue is an `.npz` of weights plus a JSON sidecar: no pickle.

The shipped default is banking77 (77 online-banking customer-care intents, CC BY 4.0): it is
the customer-care catalogue we may redistribute; clinc150 is a generic assistant catalogue
(alarms, recipes) and the labelled support-tweet sets are non-commercial.
"""

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from townsquare.triage.embeddings import EMBEDDING_DIM, embed, prepare
from townsquare.triage.heads import ARTIFACTS, write_npz
from townsquare.triage.ngram_hashing import CharNgramHasher

DEFAULT_CATALOGUE = ARTIFACTS / "intents_banking77.npz"
CATALOGUE_VARIABLE = "TOWNSQUARE_INTENT_CATALOGUE"
TOP_K = 3
FORMAT = "townsquare-embedding-head-v1"
# What the hashed n-grams are made of: words for intents (product terms), characters for sentiment
# (morphology and spelling variants in languages the embedding model knows poorly).
ANALYZERS = {"word": (1, 2), "char_wb": (2, 4)}


class IntentCatalogue:
    """Softmax head over [embedding | hashed n-grams]; `fit` it or `load` a saved one."""

    def __init__(self, analyzer: str = "word", hashed_features: int = 2**13, regularisation: float = 10.0):
        if analyzer not in ANALYZERS:
            raise ValueError(f"analyzer must be one of {sorted(ANALYZERS)}, not {analyzer!r}")
        if hashed_features < 0:
            raise ValueError("hashed_features must be >= 0")
        self.analyzer = analyzer
        self.hashed_features = int(hashed_features)
        self.regularisation = float(regularisation)
        self.labels: tuple[str, ...] = ()
        self.coef = np.zeros((0, EMBEDDING_DIM + self.hashed_features), dtype=np.float32)
        self.intercept = np.zeros(0, dtype=np.float32)
        self.metadata: dict = {}

    # ---------- training ----------
    def fit(self, texts: Sequence[str], labels: Sequence[str], seed: int = 0) -> "IntentCatalogue":
        """Learn the catalogue from labelled examples (at least two distinct labels)."""
        return self.fit_embedded(embed(list(texts)), list(texts), labels, seed=seed)

    def fit_embedded(
        self, embeddings: np.ndarray, texts: Sequence[str], labels: Sequence[str], seed: int = 0
    ) -> "IntentCatalogue":
        """`fit` with the embeddings of `texts` already computed (trainers embed a dataset once)."""
        from sklearn.linear_model import LogisticRegression

        labels = list(labels)
        if len(texts) == 0:
            raise ValueError("cannot fit an empty catalogue: no examples given")
        if len(labels) != len(texts) or len(embeddings) != len(texts):
            raise ValueError(
                f"{len(texts)} texts, {len(labels)} labels and {len(embeddings)} embeddings: they must match"
            )
        bad = [label for label in labels if not isinstance(label, str) or not label.strip()]
        if bad:
            raise ValueError(f"every label must be a non-empty string; got {bad[0]!r}")
        if len(set(labels)) < 2:
            raise ValueError(f"a catalogue needs at least two intents; got only {labels[0]!r}")
        model = LogisticRegression(C=self.regularisation, max_iter=3000, random_state=seed)
        model.fit(self._features(embeddings, texts), labels)
        self.labels = tuple(str(label) for label in model.classes_)
        self.coef = np.asarray(model.coef_, dtype=np.float32)
        self.intercept = np.asarray(model.intercept_, dtype=np.float32)
        if len(self.labels) == 2:
            # A binary model scores only the second label; softmax over (0, score) is the same sigmoid.
            self.coef = np.vstack([np.zeros_like(self.coef), self.coef])
            self.intercept = np.concatenate([np.zeros(1, dtype=np.float32), self.intercept])
        self.metadata = {"examples": len(labels), "seed": seed}
        return self

    # ---------- prediction ----------
    def predict(self, texts: Sequence[str]) -> list[tuple[tuple[str, float], ...]]:
        """Up to three (intent, probability) pairs per text, most probable first."""
        return self.predict_embedded(embed(list(texts)), texts)

    def predict_embedded(
        self, embeddings: np.ndarray, texts: Sequence[str]
    ) -> list[tuple[tuple[str, float], ...]]:
        """`predict` for texts the caller has already embedded (row i of `embeddings` is texts[i])."""
        if self.labels and len(texts) == 0:
            return []
        probabilities = self.probabilities(embeddings, texts)
        top = np.argsort(-probabilities, axis=1, kind="stable")[:, :TOP_K]
        return [
            tuple((self.labels[column], float(row[column])) for column in columns)
            for row, columns in zip(probabilities, top, strict=True)
        ]

    def probabilities(self, embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """(n, len(labels)) softmax probabilities, columns in `labels` order."""
        if not self.labels:
            raise ValueError("the catalogue is empty: fit or load it first")
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.ndim != 2 or embeddings.shape[1] != EMBEDDING_DIM or len(embeddings) != len(texts):
            raise ValueError(f"expected ({len(texts)}, {EMBEDDING_DIM}) embeddings, got {embeddings.shape}")
        scores = self._scores(embeddings, texts)
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        return scores / scores.sum(axis=1, keepdims=True)

    def _scores(self, embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """`_features(...) @ coef.T + intercept`, without building the sparse [embedding | n-grams]
        copy: a dense product for the embedding block plus a sparse one for the hashed block."""
        embedding_block, hashed_block = self._coef_blocks()
        scores = embeddings @ embedding_block
        if self.hashed_features:
            scores += self._hashed(texts) @ hashed_block
        scores += self.intercept
        return scores

    def _coef_blocks(self) -> tuple[np.ndarray, np.ndarray]:
        """coef split at the embedding's last column, transposed and contiguous; kept while
        `coef` is the same array (fit and load replace it)."""
        if getattr(self, "_blocks_of", None) is not self.coef:
            self._blocks = (
                np.ascontiguousarray(self.coef[:, :EMBEDDING_DIM].T),
                np.ascontiguousarray(self.coef[:, EMBEDDING_DIM:].T),
            )
            self._blocks_of = self.coef
        return self._blocks

    def _hashed(self, texts: Sequence[str]) -> sp.csr_matrix:
        return _hasher(self.analyzer, self.hashed_features).transform(
            [prepare(text).lower() for text in texts]
        )

    def _features(self, embeddings: np.ndarray, texts: Sequence[str]):
        if not self.hashed_features:
            return np.asarray(embeddings, dtype=np.float32)
        hashed = self._hashed(texts)
        return sp.hstack([sp.csr_matrix(embeddings, dtype=np.float32), hashed], format="csr")

    # ---------- persistence ----------
    def save(self, path: Path) -> Path:
        """Write `path` (.npz weights) and its `.json` metadata sidecar; re-saving is byte-identical."""
        if not self.labels:
            raise ValueError("cannot save an empty catalogue")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        # float16 halves the file; linear scores move by ~1e-3, far below any decision margin.
        write_npz(path, {"coef": self.coef.astype(np.float16), "intercept": self.intercept})
        metadata = {
            "format": FORMAT,
            "labels": list(self.labels),
            "analyzer": self.analyzer,
            "hashed_features": self.hashed_features,
            "regularisation": self.regularisation,
            "embedding_dim": EMBEDDING_DIM,
            **self.metadata,
        }
        path.with_suffix(".json").write_text(json.dumps(metadata, indent=1, sort_keys=True) + "\n", "utf-8")
        return path

    @classmethod
    def load(cls, path: Path) -> "IntentCatalogue":
        path = Path(path)
        if not path.exists() or not path.with_suffix(".json").exists():
            raise FileNotFoundError(f"{path} or its .json sidecar is missing: run `townsquare triage-train`")
        metadata = json.loads(path.with_suffix(".json").read_text("utf-8"))
        if metadata.get("format") != FORMAT or metadata.get("embedding_dim") != EMBEDDING_DIM:
            raise ValueError(f"{path} is not a {FORMAT} head for {EMBEDDING_DIM}-dim embeddings: retrain")
        catalogue = cls(
            metadata.pop("analyzer"), metadata.pop("hashed_features"), metadata.pop("regularisation")
        )
        catalogue.labels = tuple(metadata.pop("labels"))
        with np.load(path, allow_pickle=False) as arrays:
            catalogue.coef = arrays["coef"].astype(np.float32)
            catalogue.intercept = arrays["intercept"].astype(np.float32)
        if catalogue.coef.shape != (len(catalogue.labels), EMBEDDING_DIM + catalogue.hashed_features):
            raise ValueError(f"{path} weights have shape {catalogue.coef.shape}, not what its metadata says")
        for key in ("format", "embedding_dim"):
            metadata.pop(key)
        catalogue.metadata = metadata
        return catalogue

    @classmethod
    def default(cls) -> "IntentCatalogue":
        """The deployment's catalogue, loaded once per process: the file named by
        $TOWNSQUARE_INTENT_CATALOGUE (written by `townsquare triage-intents`) when set, else the
        shipped banking77 one."""
        global _default
        if _default is None:
            with _default_lock:
                if _default is None:
                    _default = cls.load(deployment_catalogue_path())
        return _default


def deployment_catalogue_path() -> Path:
    configured = os.environ.get(CATALOGUE_VARIABLE, "").strip()
    return Path(configured) if configured else DEFAULT_CATALOGUE


def forget_default() -> None:
    """Load the catalogue again on next use (after `triage-intents` wrote a new one)."""
    global _default
    with _default_lock:
        _default = None


_default: IntentCatalogue | None = None
_default_lock = threading.Lock()
_hashers: dict[tuple[str, int], object] = {}


def _hasher(analyzer: str, features: int):
    """A stateless n-gram hasher (murmurhash: the same columns in every process and version).
    Character n-grams use CharNgramHasher: sklearn's matrix, remembered per word."""
    key = (analyzer, features)
    if key not in _hashers and analyzer == "char_wb":
        _hashers[key] = CharNgramHasher(features, ANALYZERS[analyzer])
    if key not in _hashers:
        _hashers[key] = HashingVectorizer(
            analyzer=analyzer,
            ngram_range=ANALYZERS[analyzer],
            n_features=features,
            alternate_sign=False,
            lowercase=False,  # _features lowercases once, before hashing
            norm="l2",
            dtype=np.float32,
        )
    return _hashers[key]
