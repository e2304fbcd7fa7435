"""How promotional each brand message is, stored on its message fact for word of mouth.

Customer messages get their labels from triage; the brand's own messages (imported, or sent as
replies) never go through it. So brand posts are scored in batches outside the fold
(insights/brand_posts.py: text work would make a fold slow), the way the reply guard judges a
reply: an explicit pitch (a discount code, a price cut, a push to buy, a shop link, a launch;
guard_patterns.py) scores 1.0, otherwise the triage promotion head's probability on the text
without its links. The head is a linear model on hashed words: no embedding model is loaded.

The text is read from the message row: it is written once at ingest, so a rebuild scores the same.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# The guard scans whole replies; a batch of imported posts is scanned up to here (a pasted
# catalogue must not make scoring slow), which is well past any pitch's opening.
SCAN_LIMIT = 5000


def marketing_threshold() -> float:
    """A brand message at or above this score is marketing: the reply guard's own threshold."""
    from townsquare.replies.guard import PROMO_THRESHOLD

    return PROMO_THRESHOLD


def promo_scores(texts: list[str]) -> "np.ndarray":
    """Promotional score (0–1) of each text, in one batch of the triage promotion head."""
    # Imported here: this module is loaded at start-up (a fold), and numpy would slow every command.
    import numpy as np

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
