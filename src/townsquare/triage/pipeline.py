"""The triage pipeline: the fast path, the semantic path, and both together.

The fast path (language, kind, invites_reply, sentiment estimate, spam, promo, urgency, PII)
never touches the embedding model, so it can run right after ingest. The semantic path embeds
each text once and derives intents, a refined sentiment, refined spam and complaint scores (and
from them a refined kind and invites_reply) and the duplicate fingerprint from that one
embedding; the fingerprint's exact key is the message's `duplicate_key` (dedupe needs it, triage
does not, so the fast path leaves it out).
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from townsquare.triage.labels import Labels

TRIAGE_VERSION = "2026.11.1"


@dataclass(frozen=True, slots=True)
class Semantic:
    """What the semantic path adds to one message's fast labels."""

    sentiment: str
    sentiment_score: float
    intents: tuple[tuple[str, float], ...]
    fingerprint: object  # dedupe.Fingerprint: the exact key (duplicate_key), MinHash and embedding
    # From the semantic spam/complaint heads (refine.py); None when their artifacts are not shipped.
    spam_score: float | None = None
    complaint_score: float | None = None
    kind: str | None = None
    kind_score: float | None = None
    invites_reply: bool | None = None
    invites_reply_score: float | None = None


def triage_fast(
    texts: Sequence[object], brand_handles: Collection[str] = (), addressed: Sequence[bool] | None = None
) -> list[Labels]:
    """Fast-path labels for each text, in order. Any input (None, 1 MB, lone surrogates) is fine.

    `brand_handles` are the brand's own @handles on the channel; `addressed[i]` says text i was
    sent to the brand itself (a direct message, email, chat or a reply to the brand), which makes
    a question, problem or complaint one that invites the brand's reply."""
    from townsquare.triage.classify import FastClassifier
    from townsquare.triage.language import detect_languages
    from townsquare.triage.pii import find_pii
    from townsquare.triage.text import MODEL_TEXT_LIMIT, clean
    from townsquare.triage.urgency import find_urgency, priority

    full = [clean(text, limit=None) for text in texts]
    model_texts = [text[:MODEL_TEXT_LIMIT] for text in full]
    languages = detect_languages(model_texts, cleaned=True)
    scores = FastClassifier.load().classify_columns(model_texts, brand_handles, addressed)
    rounded = _rounded_rows(
        [score for _, score in languages],
        scores.kind_score,
        scores.invites_reply_score,
        scores.sentiment_score,
        scores.spam_score,
        scores.promo_score,
    )
    labels = []
    for text, model_text, (language, _), kind, invites_reply, sentiment, numbers in zip(
        full,
        model_texts,
        languages,
        scores.kind,
        scores.invites_reply,
        scores.sentiment,
        rounded,
        strict=True,
    ):
        language_score, kind_score, invites_reply_score, sentiment_score, spam_score, promo_score = numbers
        urgency = find_urgency(model_text)
        labels.append(
            Labels(
                language=language,
                language_score=language_score,
                kind=kind,
                kind_score=kind_score,
                invites_reply=bool(invites_reply),
                invites_reply_score=invites_reply_score,
                sentiment=sentiment,
                sentiment_score=sentiment_score,
                spam_score=spam_score,
                promo_score=promo_score,
                urgency=urgency,
                priority=priority(kind, sentiment, urgency),
                pii=find_pii(text),
            )
        )
    return labels


def _rounded_rows(*columns: Sequence[float]) -> list[list[float]]:
    """Per text, its score from each column as round(score, 4) gives it, with one numpy round for
    the batch instead of a round() per score."""
    import numpy as np

    if not columns[0]:
        return []
    scores = np.array(columns, dtype=np.float64).T
    rounded = np.round(scores, 4)
    # numpy scales by 10^4 before rounding, so a score within float error of a tie (0.12345) can
    # round the other way; round() decides those few exactly.
    scaled = scores * 1e4
    for row, column in zip(*np.nonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6), strict=True):
        rounded[row, column] = round(float(scores[row, column]), 4)
    return rounded.tolist()


def triage_semantic(
    texts: Sequence[object], brand_handles: Collection[str] = (), addressed: Sequence[bool] | None = None
) -> list[Semantic]:
    """Semantic-path results for each text, in order: one embedding per text feeds every head
    (`brand_handles` and `addressed` as for `triage_fast`)."""
    from townsquare.triage.classify import decide_kinds
    from townsquare.triage.dedupe import fingerprints
    from townsquare.triage.embeddings import embed
    from townsquare.triage.intents import IntentCatalogue
    from townsquare.triage.refine import refine_embedded, semantic_heads_available
    from townsquare.triage.sentiment import predict_sentiment_embedded
    from townsquare.triage.text import MODEL_TEXT_LIMIT, clean

    model_texts = [clean(text, limit=MODEL_TEXT_LIMIT) for text in texts]
    if not model_texts:
        return []
    vectors = embed(model_texts)
    sentiments = predict_sentiment_embedded(vectors, model_texts)
    intents = IntentCatalogue.default().predict_embedded(vectors, model_texts)
    prints = _with_full_text_keys(fingerprints(model_texts, vectors), texts)
    results = [
        Semantic(sentiment=label, sentiment_score=round(float(score), 4), intents=top, fingerprint=fp)
        for (label, score), top, fp in zip(sentiments, intents, prints, strict=True)
    ]
    if not semantic_heads_available():
        return results
    refined = refine_embedded(vectors, model_texts)
    # Kind is re-decided by the fast path's rules, fed the refined scores and the semantic sentiment.
    decisions = decide_kinds(
        model_texts,
        [scores.spam_score for scores in refined],
        [scores.complaint_score for scores in refined],
        [label for label, _ in sentiments],
        [score for _, score in sentiments],
        brand_handles,
        addressed,
    )
    return [
        replace(
            result,
            spam_score=round(scores.spam_score, 4),
            complaint_score=round(scores.complaint_score, 4),
            kind=decision.kind,
            kind_score=round(float(decision.kind_score), 4),
            invites_reply=decision.invites_reply,
            invites_reply_score=round(float(decision.invites_reply_score), 4),
        )
        for result, scores, decision in zip(results, refined, decisions, strict=True)
    ]


def _with_full_text_keys(prints: list, texts: Sequence[object]) -> list:
    """The fingerprints with each exact key taken from the full text: the model sees the first
    MODEL_TEXT_LIMIT characters, but two long texts that differ further on are not duplicates."""
    from townsquare.triage.text import MODEL_TEXT_LIMIT, clean, duplicate_key

    return [
        replace(fp, exact_key=duplicate_key(clean(text, limit=None)))
        if isinstance(text, str) and len(text) >= MODEL_TEXT_LIMIT
        else fp
        for fp, text in zip(prints, texts, strict=True)
    ]


def triage(
    texts: Sequence[object],
    brand_handles: Collection[str] = (),
    index=None,
    addressed: Sequence[bool] | None = None,
) -> list[Labels]:
    """Both paths. Duplicate groups come from `index` (a dedupe.DuplicateIndex), or, when none is
    given, from a fresh index over this batch alone; a group id is the position of its first
    member in the batch (as a string) in that case, else the key the index was given."""
    from townsquare.triage.dedupe import DuplicateIndex
    from townsquare.triage.urgency import priority

    texts = list(texts)
    fast = triage_fast(texts, brand_handles, addressed)
    semantic = triage_semantic(texts, brand_handles, addressed)
    index = index if index is not None else DuplicateIndex()
    keys = [str(position) for position in range(len(texts))]
    groups = index.add_many(keys, [result.fingerprint for result in semantic])
    merged = []
    for labels, result, group in zip(fast, semantic, groups, strict=True):
        refined = {}
        if result.kind is not None:
            refined = {
                "kind": result.kind,
                "kind_score": result.kind_score,
                "invites_reply": result.invites_reply,
                "invites_reply_score": result.invites_reply_score,
                "spam_score": result.spam_score,
            }
        kind = refined.get("kind", labels.kind)
        merged.append(
            replace(
                labels,
                sentiment=result.sentiment,
                sentiment_score=result.sentiment_score,
                intents=result.intents,
                duplicate_key=result.fingerprint.exact_key,
                duplicate_group=group,
                semantic=True,
                priority=priority(kind, result.sentiment, labels.urgency),
                **refined,
            )
        )
    return merged
