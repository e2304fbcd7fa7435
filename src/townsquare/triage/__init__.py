"""Offline triage: text in, labels out. Plain Python: nothing here imports Django.

Batch-first API:

    from townsquare.triage import triage, triage_fast, mask
    labels = triage(["@acme my order never arrived", "lol same"])

`triage_fast` is the fast path (language, kind, invites_reply, sentiment, spam, promo, urgency,
PII, exact-duplicate key) and never loads the embedding model. `triage` adds the semantic path
(multilingual embeddings: intents, refined sentiment, near and cross-lingual duplicate groups).
"""

from townsquare.triage.labels import Labels, PiiSpan
from townsquare.triage.pii import find_pii, mask
from townsquare.triage.pipeline import TRIAGE_VERSION, Semantic, triage, triage_fast, triage_semantic

__all__ = [
    "TRIAGE_VERSION",
    "Labels",
    "PiiSpan",
    "Semantic",
    "find_pii",
    "mask",
    "triage",
    "triage_fast",
    "triage_semantic",
]
