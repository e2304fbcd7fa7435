"""Similar questions: what the community already asked that resembles a new text, in any language.

Used while someone is asking (so they find the answer before posting a duplicate), and by the
care bridge to answer a social message with a link to a community question.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from townsquare.community.models import Topic
from townsquare.community.search import semantic
from townsquare.community.search.fulltext import Filters

# Stricter than search's threshold: an unrelated suggestion while asking is worse than none.
SIMILAR_MIN_SIMILARITY = 0.45
MAX_LIMIT = 20


@dataclass(frozen=True)
class Similar:
    topic: Topic
    similarity: float

    @property
    def accepted(self) -> bool:
        return self.topic.accepted_post_id is not None

    @property
    def language(self) -> str:
        return self.topic.language


def _excluded(exclude) -> frozenset[int]:
    if exclude is None:
        return frozenset()
    if isinstance(exclude, (int, Topic)):
        exclude = [exclude]
    return frozenset(item.pk if isinstance(item, Topic) else int(item) for item in exclude)


def similar_topics(
    text: str,
    *,
    limit: int = 5,
    exclude: int | Topic | Iterable[int | Topic] | None = None,
    min_similarity: float = SIMILAR_MIN_SIMILARITY,
) -> list[Similar]:
    """Visible topics most similar to `text`, most similar first (with `topic.space` loaded).

    `exclude`: a topic (or its id), or several, never to suggest (the topic being edited).
    """
    limit = max(1, min(limit, MAX_LIMIT))
    if not (text or "").strip():
        return []
    hits = semantic.matches(text, Filters(exclude=_excluded(exclude)), limit, min_similarity=min_similarity)
    topics = Topic.objects.select_related("space").in_bulk([topic_id for topic_id, _ in hits])
    return [
        Similar(topic=topics[topic_id], similarity=score) for topic_id, score in hits if topic_id in topics
    ]
