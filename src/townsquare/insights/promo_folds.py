"""How promotional each brand message is, stored on its message fact for word of mouth.

Customer messages get their labels from triage; the brand's own messages (imported, or sent as
replies) never go through it. So when a fold writes new outbound message facts, this writer
scores their texts in one batch the way the reply guard judges a reply: an explicit pitch (a
discount code, a price cut, a push to buy, a shop link, a launch; guard_patterns.py) scores 1.0,
otherwise the triage promotion head's probability on the text without its links. The head is a
linear model on hashed words: no embedding model is loaded.

The text is read from the message row: it is written once at ingest, so a rebuild scores the same.
"""

import numpy as np
from django.db import connection

from townsquare.insights.folding import FoldBatch, after_fold
from townsquare.insights.models import MessageFact

# The guard scans whole replies; a batch of imported posts is scanned up to here (a pasted
# catalogue must not make a fold slow), which is well past any pitch's opening.
SCAN_LIMIT = 5000
# SQLite caps the number of bound parameters in one statement.
IDS_PER_QUERY = 900


def marketing_threshold() -> float:
    """A brand message at or above this score is marketing: the reply guard's own threshold."""
    from townsquare.replies.guard import PROMO_THRESHOLD

    return PROMO_THRESHOLD


def promo_scores(texts: list[str]) -> np.ndarray:
    """Promotional score (0–1) of each text, in one batch of the triage promotion head."""
    from townsquare.replies.guard_patterns import scan
    from townsquare.triage.classify import FastClassifier
    from townsquare.triage.text import MODEL_TEXT_LIMIT, clean

    if not texts:
        return np.zeros(0)
    # Brand replies repeat templates ("Please DM us…"): each distinct text is scored once.
    index: dict[str, int] = {}
    back = np.array([index.setdefault(text if isinstance(text, str) else "", len(index)) for text in texts])
    signalled, stripped = [], []
    for text in index:
        signals, without_links = scan(clean(text, limit=SCAN_LIMIT))
        signalled.append(bool(signals))
        stripped.append(without_links[:MODEL_TEXT_LIMIT])
    binary, _ = FastClassifier.load().head_scores(stripped)
    # Column 1 is the promotion head; a text with nothing left once links are gone scores 0.
    model = np.where([bool(text.strip()) for text in stripped], binary[:, 1].astype(float), 0.0)
    return np.where(signalled, 1.0, np.round(model, 4))[back]


@after_fold
def score_brand_messages(batch: FoldBatch) -> None:
    """Score the outbound message facts this batch created (those not scored yet)."""
    from townsquare.inbox.models import Message

    ids = sorted(mid for mid, fact in batch.new_messages.items() if fact.direction == "out")
    table = MessageFact._meta.db_table
    for start in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[start : start + IDS_PER_QUERY]
        unscored = set(
            MessageFact.objects.filter(
                message_id__in=chunk, promo_score__isnull=True, frozen=False
            ).values_list("message_id", flat=True)
        )
        rows = Message.objects.filter(pk__in=unscored).values_list("pk", "text") if unscored else []
        rows = list(rows)
        if not rows:
            continue
        scores = promo_scores([text for _, text in rows])
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET promo_score = %s WHERE message_id = %s AND NOT frozen",
                [(float(score), message_id) for score, (message_id, _) in zip(scores, rows, strict=True)],
            )
