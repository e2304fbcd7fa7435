"""What triage says about one message: plain, immutable values, JSON-ready through `as_dict`."""

from dataclasses import asdict, dataclass, field

KINDS = ("question", "problem", "complaint", "praise", "suggestion", "chatter", "spam")
SENTIMENTS = ("negative", "neutral", "positive")
PRIORITIES = ("low", "normal", "high", "urgent")
UNDETERMINED = "und"  # ISO 639 code for "too short or too mixed to tell"


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """Personal data found at text[start:end]; kind is email, phone, card, iban, postal_code or account."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Labels:
    """Fast-path labels (no embedding model) plus the semantic ones when that path has run.

    Scores are probabilities in [0, 1]. `intents` holds up to three (intent, score) pairs, best
    first; it is empty until the semantic path runs. `duplicate_key` is the exact-duplicate key
    (hash of the normalised text); `duplicate_group` is set by a DuplicateIndex.
    """

    language: str
    language_score: float
    kind: str
    kind_score: float
    invites_reply: bool
    invites_reply_score: float
    sentiment: str
    sentiment_score: float
    spam_score: float
    promo_score: float
    urgency: tuple[str, ...] = ()
    priority: str = "normal"
    pii: tuple[PiiSpan, ...] = ()
    intents: tuple[tuple[str, float], ...] = ()
    duplicate_key: str = ""
    duplicate_group: str | None = None
    semantic: bool = False
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["urgency"] = list(self.urgency)
        data["pii"] = [asdict(span) for span in self.pii]
        data["intents"] = [[name, score] for name, score in self.intents]
        return data
