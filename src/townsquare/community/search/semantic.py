"""Semantic matches: visible topics whose embedding is nearest to a text's, in any language."""

import numpy as np

from townsquare.community.models import Topic, Visibility
from townsquare.community.search.embeddings import embed_texts
from townsquare.community.search.fulltext import NO_FILTERS, Filters
from townsquare.community.search.vectors import vector_index

# Cosine similarity below which two texts are not about the same thing (the multilingual
# encoder puts unrelated questions below 0.3 and one question in two languages at 0.65-0.87).
MIN_SIMILARITY = 0.4
# Nearest rows fetched per wanted result, so that filters (space, tag, hidden topics) still
# leave enough; bounded so a filter nothing passes cannot make a query scan without end.
OVERFETCH = 5
MAX_CANDIDATES = 1000


def query_vector(text: str) -> np.ndarray:
    return embed_texts([text])[0]


def matches(
    text: str,
    filters: Filters = NO_FILTERS,
    limit: int = 20,
    *,
    min_similarity: float = MIN_SIMILARITY,
    vector: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """(topic id, cosine similarity) of the `limit` most similar visible topics, best first."""
    index = vector_index()
    if vector is None:
        index.catch_up()
        if not text.strip() or index.size == 0:
            return []  # nothing embedded yet: no need to load the encoder (a second, 150 MB)
        vector = query_vector(text)
    wanted = min(max(limit * OVERFETCH, 50), MAX_CANDIDATES)
    candidates = [
        (topic_id, embedding_id, score)
        for topic_id, embedding_id, score in index.nearest(vector, wanted)
        if score >= min_similarity and topic_id not in filters.exclude
    ]
    if not candidates:
        return []
    allowed = _allowed(candidates, filters, index)
    return [(topic_id, score) for topic_id, _, score in candidates if topic_id in allowed][:limit]


def _allowed(candidates, filters: Filters, index) -> set[int]:
    """The candidates that are visible and pass the filters; rows that are gone leave the index."""
    ids = [topic_id for topic_id, _, _ in candidates]
    rows = {
        pk: (embedding_id, visibility, space_id)
        for pk, embedding_id, visibility, space_id in Topic.objects.filter(pk__in=ids).values_list(
            "pk", "embedding__id", "visibility", "space_id"
        )
    }
    allowed = set()
    for topic_id, embedding_id, _ in candidates:
        row = rows.get(topic_id)
        if row is None or row[0] is None:
            index.discard(topic_id)  # the topic (or its embedding) was deleted
            continue
        if row[0] != embedding_id:
            index.mark_stale()  # replaced by a row the index cannot see: reload it all next time
            continue
        if row[1] != Visibility.VISIBLE:
            continue
        if filters.space_id is not None and row[2] != filters.space_id:
            continue
        allowed.add(topic_id)
    if filters.tag_id is not None and allowed:
        tagged = Topic.tags.through.objects.filter(topic_id__in=allowed, tag_id=filters.tag_id)
        allowed &= set(tagged.values_list("topic_id", flat=True))
    return allowed
