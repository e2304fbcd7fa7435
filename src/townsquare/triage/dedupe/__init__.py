"""Near-duplicate detection: exact, spun copies (MinHash over synonym-folded shingles) and
cross-lingual (multilingual sentence embeddings), grouped by a bounded `DuplicateIndex`.

    from townsquare.triage.dedupe import DuplicateIndex, fingerprints
    index = DuplicateIndex()
    groups = index.add_many(message_ids, fingerprints(texts, embeddings))

Fingerprints serialise with `to_bytes`/`from_bytes` so an index can be rebuilt with `load`.
"""

from townsquare.triage.dedupe.fingerprint import Fingerprint, fingerprint, fingerprints
from townsquare.triage.dedupe.index import (
    MATCH_KINDS,
    NEAR_THRESHOLD,
    SAME_LANGUAGE_THRESHOLD,
    SEMANTIC_THRESHOLD,
    DuplicateIndex,
)

__all__ = [
    "MATCH_KINDS",
    "NEAR_THRESHOLD",
    "SAME_LANGUAGE_THRESHOLD",
    "SEMANTIC_THRESHOLD",
    "DuplicateIndex",
    "Fingerprint",
    "fingerprint",
    "fingerprints",
]
