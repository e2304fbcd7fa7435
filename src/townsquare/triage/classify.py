"""The fast-path classifier: spam, promo, complaint and sentiment heads, then kind and invites_reply.

All heads read one feature matrix and their weights are stacked into one matrix, so a batch costs
one featurisation and one sparse-dense product. Kind has no public training data: it is derived
from the head scores and cheap multilingual cues (see the rubric in MODEL_CARD.md).
"""

import re
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from townsquare.triage.cue_regex import CueSet, grouped_alternation
from townsquare.triage.features import featurize
from townsquare.triage.heads import ARTIFACTS, LinearHead, probabilities_from_decision
from townsquare.triage.labels import SENTIMENTS

SPAM_THRESHOLD = 0.7  # the head is trained on YouTube comments: demand more before hiding a customer
COMPLAINT_THRESHOLD = 0.5
INVITES_THRESHOLD = 0.5
# How much each kind invites a reply before we know who it is addressed to.
_KIND_BASE = {
    "question": 0.45,
    "problem": 0.5,
    "complaint": 0.45,
    "suggestion": 0.3,
    "praise": 0.15,
    "chatter": 0.05,
    "spam": 0.0,
}
_PRAISE_CEILING = 0.35  # praise invites a thank-you at most


# Multilingual cues (en, es, fr, de, it, pt, id, nl, ar): short lists of the commonest phrasings.
# They run on lowercased text and start at a word boundary: a case-insensitive alternation tried
# at every character was the slowest step of the fast path (2.6k texts/s against 22k).
# An interrogative opens the message (after any @mentions); only asked with `match` at the start.
_INTERROGATIVE = re.compile(
    r"\W*(?:@\w+\W+)*"
    + grouped_alternation(
        r"how|what|why|when|where|who|which|can|could|is|are|do|does|did|will|would|"
        r"should|anyone|any idea|cómo|como|qué|que|por qué|cuándo|dónde|puedo|comment|pourquoi|quand|où|"
        r"est-ce|wie|was|warum|wann|wo|kann|gibt es|come|perché|quando|dove|posso|onde|por que|apa|bagaimana|"
        r"kenapa|kapan|dimana|hoe|wat|waarom|wanneer|waar|هل|كيف|متى|لماذا"
    )
    + r"\b",
    re.IGNORECASE,
)
_PROBLEM = (
    r"\b(?:not working|doesn'?t work|does not work|didn'?t work|won'?t (?:work|load|let|open|start)|isn'?t working|"
    r"stopped working|can'?t (?:log|sign|access|connect|get|open|find|use|download|pay|see)|cannot|unable to|"
    r"\berror\b|broken|crash|keeps? (?:crashing|freezing|failing)|\bdown\b|outage|no (?:signal|service|internet)|"
    r"never (?:arrived|received|got)|hasn'?t arrived|not received|still waiting|still (?:no|not)|missing|"
    r"charged twice|double charged|\bfailed\b|fails|glitch|\bbug\b|locked out|"
    r"issues? with|having issues|won'?t\b|never came|cuts out|disconnect|keeps|so slow|too slow|drains?\b|"
    r"killing my|wrong (?:address|order|item)|without (?:internet|power|service|wifi)|stopped|refund|"
    r"no funciona|no puedo|no me deja|no llega|no ha llegado|falla|ne (?:marche|fonctionne) pas|impossible de|"
    r"panne|funktioniert nicht|geht nicht|kann nicht|fehler|störung|non funziona|non riesco|guasto|"
    r"não funciona|não consigo|nao funciona|tidak bisa|gak bisa|ga bisa|gagal|werkt niet|storing|"
    r"لا يعمل|مشكلة|عطل)"
)
_SUGGESTION = (
    r"\b(?:would be (?:nice|great|cool|awesome|good)|would love (?:to see|it if)|please (?:add|bring|make|consider)|"
    r"feature request|you should (?:add|make|have|bring|consider)|wish (?:you|there was|it)|suggestion|"
    r"why not add|could you (?:add|make)|sería (?:genial|bueno)|deberían|ce serait (?:bien|super)|"
    r"vous devriez|wäre (?:schön|toll|gut)|bitte (?:fügt|bringt)|ihr solltet|sarebbe bello|dovreste|"
    r"seria (?:bom|legal|ótimo)|deveriam|sebaiknya|zou (?:fijn|leuk) zijn)"
)
_PRAISE = (
    r"\b(?:thank|thanks|thx|love (?:it|you|this)|awesome|amazing|great (?:job|service|work)|well done|kudos|"
    r"best (?:service|support)|gracias|merci|danke|grazie|obrigad|terima kasih|bedankt|شكرا)"
)
_HELP_REQUEST = (
    r"\b(?:\bhelp\b|\bdm me\b|dm us|please (?:respond|reply|fix|contact)|anyone (?:from|at) (?:support|customer)|"
    r"customer (?:service|support|care)|contact me|call me|get back to me|ayuda|ayúdame|aide|aidez|hilfe|"
    r"aiuto|ajuda|bantu|tolong|hulp|مساعدة)"
)
_LEADING_MENTION = re.compile(r"^\W*@\w+")
_SECOND_PERSON = (
    r"\b(?:you|your|u|ur|y'all|tu|tú|usted|ustedes|vous|votre|vos|du|dein|deine|euch|ihr|você|vocês|"
    r"voi|vostro|anda|kalian|jullie|jouw)\b"
)
# All five lists in one scan of the lowercased text (see CueSet), in the order find_cues reads them.
_CUE_LISTS = CueSet(
    {
        "problem": _PROBLEM,
        "suggestion": _SUGGESTION,
        "praise": _PRAISE,
        "help_request": _HELP_REQUEST,
        "second_person": _SECOND_PERSON,
    }
)


# Cues, scores and decisions are NamedTuples: built once per text, a frozen dataclass cost 3x more.
class Cues(NamedTuple):
    question: bool
    question_mark: bool
    problem: bool
    suggestion: bool
    praise: bool
    help_request: bool
    leading_mention: bool
    second_person: bool  # "you" in the languages above: the message speaks to someone


def find_cues(text: str) -> Cues:
    # Three substring checks cost less than one scan for a character class.
    question_mark = "?" in text or "？" in text or "؟" in text
    problem, suggestion, praise, help_request, second_person = _CUE_LISTS.search(text.lower())
    return Cues(
        question=question_mark or _INTERROGATIVE.match(text) is not None,
        question_mark=question_mark,
        problem=problem,
        suggestion=suggestion,
        praise=praise,
        help_request=help_request,
        leading_mention=_LEADING_MENTION.match(text) is not None,
        second_person=second_person,
    )


class FastScores(NamedTuple):
    kind: str
    kind_score: float
    invites_reply: bool
    invites_reply_score: float
    sentiment: str
    sentiment_score: float
    spam_score: float
    promo_score: float
    complaint_score: float


_loaded: dict[Path, "FastClassifier"] = {}


class FastClassifier:
    """Loaded once per process (`FastClassifier.load()`); `classify` is safe to call from threads."""

    def __init__(self, heads: dict[str, LinearHead]):
        self._sentiment_classes = heads["sentiment_fast"].classes
        if set(self._sentiment_classes) != set(SENTIMENTS):
            raise ValueError(f"sentiment head classes {self._sentiment_classes} are not {SENTIMENTS}")
        # One column per binary head (sign chosen so the column scores the positive class),
        # then the sentiment head's columns.
        columns, intercepts = [], []
        for name, positive in (("spam", "spam"), ("promo", "promo"), ("complaint", "complaint")):
            head = heads[name]
            sign = 1.0 if head.classes[1] == positive else -1.0
            columns.append(sign * head.coef[0])
            intercepts.append(sign * head.intercept[0])
        columns.extend(heads["sentiment_fast"].coef)
        intercepts.extend(heads["sentiment_fast"].intercept)
        self._weights = np.ascontiguousarray(np.stack(columns, axis=1), dtype=np.float32)
        self._intercepts = np.asarray(intercepts, dtype=np.float32)

    @classmethod
    def load(cls, directory: Path = ARTIFACTS) -> "FastClassifier":
        loaded = _loaded.get(directory)  # every batch asks: skip building a Path once loaded
        if loaded is not None:
            return loaded
        directory = Path(directory)
        if directory not in _loaded:
            names = ("spam", "promo", "complaint", "sentiment_fast")
            _loaded[directory] = cls({name: LinearHead.load(name, directory) for name in names})
        return _loaded[directory]

    def head_scores(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """((n, 3) spam/promo/complaint probabilities, (n, 3) sentiment probabilities in SENTIMENTS order)."""
        decision = np.asarray(featurize(texts) @ self._weights) + self._intercepts
        binary = 1.0 / (1.0 + np.exp(-decision[:, :3]))
        sentiment = probabilities_from_decision(decision[:, 3:])
        order = [self._sentiment_classes.index(label) for label in SENTIMENTS]
        return binary, sentiment[:, order]

    def classify(
        self, texts: list[str], brand_handles: Collection[str] = (), addressed: Sequence[bool] | None = None
    ) -> list[FastScores]:
        columns = self.classify_columns(texts, brand_handles, addressed)
        return [FastScores._make(row) for row in zip(*columns, strict=True)]

    def classify_columns(
        self, texts: list[str], brand_handles: Collection[str] = (), addressed: Sequence[bool] | None = None
    ) -> FastScores:
        """`classify` by column: one FastScores whose fields are lists (one entry per text), so a
        caller can round or store a whole column at once instead of touching every row."""
        texts = [text if isinstance(text, str) else "" for text in texts]
        if not texts:
            return FastScores(*([] for _ in FastScores._fields))
        binary, sentiment = self.head_scores(texts)
        best = sentiment.argmax(axis=1)
        # Plain floats from here on: per-element numpy scalars cost more than the cues themselves.
        spam, promo, complaint = binary.T.tolist()
        best_labels = [SENTIMENTS[index] for index in best.tolist()]
        best_scores = sentiment[np.arange(len(texts)), best].tolist()
        decisions = decide_kinds(texts, spam, complaint, best_labels, best_scores, brand_handles, addressed)
        kinds, kind_scores, invites, invites_scores = (
            list(column) for column in zip(*decisions, strict=True)
        )
        return FastScores(
            kinds, kind_scores, invites, invites_scores, best_labels, best_scores, spam, promo, complaint
        )


class KindDecision(NamedTuple):
    kind: str
    kind_score: float
    invites_reply: bool
    invites_reply_score: float


def decide_kinds(
    texts: Sequence[str],
    spam_scores: Sequence[float],
    complaint_scores: Sequence[float],
    sentiments: Sequence[str],
    sentiment_scores: Sequence[float],
    brand_handles: Collection[str] = (),
    addressed: Sequence[bool] | None = None,
) -> list[KindDecision]:
    """Kind and invites_reply per text from head scores: the fast path calls it with its own heads'
    scores, the semantic path again with the refined spam/complaint scores and semantic sentiment.

    `addressed[i]` says text i was sent to the brand itself (a direct message, an email, a chat,
    a reply in a thread the brand answered): then nobody else can be the one asked."""
    handles = _handle_pattern(brand_handles)
    addressed = addressed if addressed is not None else [False] * len(texts)
    decisions = []
    for text, spam, complaint, label, label_score, to_brand in zip(
        texts, spam_scores, complaint_scores, sentiments, sentiment_scores, addressed, strict=True
    ):
        cues = find_cues(text)
        kind, kind_score = decide_kind(cues, spam, complaint, label, label_score)
        invites = invites_reply_score(kind, cues, text, handles, to_brand)
        decisions.append(KindDecision(kind, kind_score, invites >= INVITES_THRESHOLD, invites))
    return decisions


def decide_kind(
    cues: Cues, spam: float, complaint: float, sentiment: str, sentiment_score: float
) -> tuple[str, float]:
    """(kind, confidence) from the cues and head scores; the order of the checks is the rubric's."""
    if spam >= SPAM_THRESHOLD and not cues.problem:
        return "spam", spam
    if cues.suggestion:
        return "suggestion", 0.75
    if cues.problem:
        return "problem", 0.75 if not cues.question else 0.7
    if (
        complaint >= COMPLAINT_THRESHOLD
        and sentiment == "negative"
        and (not cues.question or complaint >= 0.8)
    ):
        return "complaint", complaint
    if cues.question:
        return "question", 0.8 if cues.question_mark else 0.65
    if complaint >= COMPLAINT_THRESHOLD and sentiment != "positive":
        return "complaint", complaint
    positive = sentiment == "positive" and sentiment_score >= 0.6
    if (positive and (cues.praise or cues.leading_mention)) or (cues.praise and sentiment != "negative"):
        return "praise", sentiment_score if positive else 0.6
    return "chatter", 1.0 - max(complaint, spam) / 2


def invites_reply_score(
    kind: str, cues: Cues, text: str, handles: tuple[re.Pattern, re.Pattern] | None, addressed: bool = False
) -> float:
    """How strongly the message asks the brand for an answer: the kind's base, raised by being
    addressed to the brand (sent to it directly, its handle, a leading @mention, "you") or asking
    for help."""
    score = _KIND_BASE[kind]
    if kind in ("spam", "chatter"):
        return score + (0.1 if cues.help_request else 0.0)
    if addressed:
        score += 0.35
    elif handles is not None:
        leading, anywhere = handles
        if leading.match(text):
            score += 0.35
        elif anywhere.search(text):
            score += 0.25
        elif cues.leading_mention:
            score -= 0.2  # addressed to someone else: people talking among themselves
    elif cues.leading_mention:
        score += 0.2
    if cues.second_person:
        score += 0.1
    if cues.help_request:
        score += 0.2
    if kind == "praise":
        return min(score, _PRAISE_CEILING)
    return float(min(max(score, 0.0), 1.0))


def _handle_pattern(brand_handles: Collection[str]) -> tuple[re.Pattern, re.Pattern] | None:
    """(addressed first: the handle among the leading @mentions, mentioned anywhere), case-insensitive."""
    names = sorted({handle.strip().lstrip("@").lower() for handle in brand_handles} - {""})
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in names)
    leading = re.compile(rf"^\W*(?:@\w+\s+)*@(?:{alternatives})\b", re.IGNORECASE)
    anywhere = re.compile(rf"(?<!\w)@?(?:{alternatives})\b", re.IGNORECASE)
    return leading, anywhere
