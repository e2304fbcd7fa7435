"""What the duplicate index remembers about one message, and its compact bytes for a database BLOB."""

import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from townsquare.triage.dedupe.minhash import minhash_signatures
from townsquare.triage.dedupe.shingles import shingle_hashes, shingle_tokens

# version, exact-key length, permutations, embedding dimension (0 = no embedding)
_HEADER = struct.Struct("<BHHH")
_FORMAT_VERSION = 1

@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    """exact_key: duplicate_key of the text ("" when nothing is left after normalisation);
    minhash: (PERMUTATIONS,) uint32; embedding: L2-normalised float32 vector or None."""

    exact_key: str
    minhash: np.ndarray
    embedding: np.ndarray | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fingerprint):
            return NotImplemented
        same_embedding = (self.embedding is None and other.embedding is None) or (
            self.embedding is not None
            and other.embedding is not None
            and np.array_equal(self.embedding, other.embedding)
        )
        return (
            self.exact_key == other.exact_key
            and np.array_equal(self.minhash, other.minhash)
            and same_embedding
        )

    __hash__ = None  # numpy fields: equality by value, so no hash

    def to_bytes(self) -> bytes:
        """Header, key, MinHash (uint32) and the embedding as float16: ~1.6 KB with a 512-d embedding."""
        key = self.exact_key.encode("utf-8")
        dimension = 0 if self.embedding is None else len(self.embedding)
        parts = [
            _HEADER.pack(_FORMAT_VERSION, len(key), len(self.minhash), dimension),
            key,
            self.minhash.astype("<u4").tobytes(),
        ]
        if self.embedding is not None:
            parts.append(self.embedding.astype("<f2").tobytes())
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> "Fingerprint":
        """Inverse of to_bytes (the embedding comes back float32, renormalised); ValueError if corrupt."""
        if len(data) < _HEADER.size:
            raise ValueError("fingerprint bytes too short")
        version, key_length, permutations, dimension = _HEADER.unpack_from(data)
        expected = _HEADER.size + key_length + 4 * permutations + 2 * dimension
        if version != _FORMAT_VERSION or len(data) != expected:
            raise ValueError(f"not a version {_FORMAT_VERSION} fingerprint of {expected} bytes")
        position = _HEADER.size
        exact_key = data[position : position + key_length].decode("utf-8")
        position += key_length
        minhash = np.frombuffer(data, dtype="<u4", count=permutations, offset=position).astype(np.uint32)
        position += 4 * permutations
        embedding = None
        if dimension:
            embedding = _normalised(np.frombuffer(data, dtype="<f2", count=dimension, offset=position))
        return cls(exact_key, minhash, embedding)

def fingerprint(text: str, embedding: np.ndarray | None = None) -> Fingerprint:
    """The fingerprint of one text; `embedding` is its sentence embedding, when the caller has one."""
    return fingerprints([text], None if embedding is None else np.asarray(embedding)[None, :])[0]

def fingerprints(texts: Sequence[str], embeddings: np.ndarray | None = None) -> list[Fingerprint]:
    """Fingerprints of many texts; `embeddings` is (len(texts), dim) or None. Never raises on odd text."""
    from townsquare.triage.text import clean, duplicate_key

    if embeddings is not None and len(embeddings) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(embeddings)} embeddings")
    cleaned = [clean(text, limit=None) for text in texts]
    signatures = minhash_signatures([shingle_hashes(shingle_tokens(text)) for text in cleaned])
    vectors = None if embeddings is None else _normalised(embeddings)
    return [
        Fingerprint(
            exact_key=duplicate_key(text),
            minhash=signatures[row],
            embedding=None if vectors is None else vectors[row],
        )
        for row, text in enumerate(cleaned)
    ]

def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)
