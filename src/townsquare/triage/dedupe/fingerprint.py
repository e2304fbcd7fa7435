"""What the duplicate index remembers about one message, and its compact bytes for a database BLOB."""

import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from townsquare.triage.dedupe.minhash import minhash_signatures
from townsquare.triage.dedupe.shingles import shingle_hashes, shingle_tokens

# version, exact-key length, language length, permutations, embedding dimension (0 = no embedding)
_HEADER = struct.Struct("<BHBHH")
_FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    """exact_key: duplicate_key of the text ("" when nothing is left after normalisation);
    minhash: (PERMUTATIONS,) uint32; embedding: L2-normalised float32 vector or None;
    language: ISO 639-1 code, "und" or "" (unknown), which decides the embedding threshold."""

    exact_key: str
    minhash: np.ndarray
    embedding: np.ndarray | None = None
    language: str = ""

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
            and self.language == other.language
            and np.array_equal(self.minhash, other.minhash)
            and same_embedding
        )

    __hash__ = None  # numpy fields: equality by value, so no hash

    def to_bytes(self) -> bytes:
        """Header, key, language, MinHash (uint32), embedding as float16: ~1.3 KB with 512-d."""
        key = self.exact_key.encode("utf-8")
        language = self.language[:32].encode("utf-8")  # a code; never overflow its length byte
        dimension = 0 if self.embedding is None else len(self.embedding)
        parts = [
            _HEADER.pack(_FORMAT_VERSION, len(key), len(language), len(self.minhash), dimension),
            key,
            language,
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
        version, key_length, language_length, permutations, dimension = _HEADER.unpack_from(data)
        expected = _HEADER.size + key_length + language_length + 4 * permutations + 2 * dimension
        if version != _FORMAT_VERSION or len(data) != expected:
            raise ValueError(f"not a version {_FORMAT_VERSION} fingerprint of {expected} bytes")
        position = _HEADER.size
        exact_key = data[position : position + key_length].decode("utf-8")
        position += key_length
        language = data[position : position + language_length].decode("utf-8")
        position += language_length
        minhash = np.frombuffer(data, dtype="<u4", count=permutations, offset=position).astype(np.uint32)
        position += 4 * permutations
        embedding = None
        if dimension:
            embedding = _normalised(np.frombuffer(data, dtype="<f2", count=dimension, offset=position))
        return cls(exact_key, minhash, embedding, language)


def fingerprint(text: str, embedding: np.ndarray | None = None, language: str | None = None) -> Fingerprint:
    """The fingerprint of one text; `embedding` is its sentence embedding, when the caller has one."""
    vectors = None if embedding is None else np.asarray(embedding)[None, :]
    return fingerprints([text], vectors, None if language is None else [language])[0]


def fingerprints(
    texts: Sequence[str], embeddings: np.ndarray | None = None, languages: Sequence[str] | None = None
) -> list[Fingerprint]:
    """Fingerprints of many texts; `embeddings` is (len(texts), dim) or None. Never raises on odd text.

    `languages` (ISO 639-1 per text, e.g. from the fast path) are detected when embeddings are
    given without them: the index compares embeddings across languages more readily than within one.
    """
    from townsquare.triage.text import clean, duplicate_key

    for name, values in (("embeddings", embeddings), ("languages", languages)):
        if values is not None and len(values) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(values)} {name}")
    cleaned = [clean(text, limit=None) for text in texts]
    signatures = minhash_signatures([shingle_hashes(shingle_tokens(text)) for text in cleaned])
    vectors = None if embeddings is None else _normalised(embeddings)
    if languages is None and vectors is not None:
        from townsquare.triage.language import detect_languages
        from townsquare.triage.text import MODEL_TEXT_LIMIT

        languages = [code for code, _ in detect_languages([text[:MODEL_TEXT_LIMIT] for text in cleaned])]
    return [
        Fingerprint(
            exact_key=duplicate_key(text),
            minhash=signatures[row],
            embedding=None if vectors is None else vectors[row],
            language="" if languages is None else str(languages[row]),
        )
        for row, text in enumerate(cleaned)
    ]


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)
