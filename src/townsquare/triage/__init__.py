"""Offline triage: text in, labels out. Plain Python: nothing here imports Django.

Batch-first API:

    from townsquare.triage import triage, triage_fast, mask
    labels = triage(["@acme my order never arrived", "lol same"])

`triage_fast` is the fast path (language, kind, invites_reply, sentiment, spam, promo, urgency,
PII, exact-duplicate key) and never loads the embedding model. `triage` adds the semantic path
(multilingual embeddings: intents, refined sentiment, near and cross-lingual duplicate groups).
"""
