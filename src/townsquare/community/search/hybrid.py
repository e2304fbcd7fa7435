"""Community search: full-text and semantic matches merged by reciprocal rank fusion.

Full text finds the exact words someone remembers (an error code, a model name); the semantic
side finds the same question asked in other words or another language. Reciprocal rank fusion
(score = sum of 1 / (RRF_K + rank) over the lists a topic is in) needs no calibration between
bm25 and cosine scores, and a topic both sides found rises to the top. Each result says which
side matched it.
"""

from dataclasses import dataclass, field

from townsquare.community import markdown
from townsquare.community.models import Space, Tag, Topic
from townsquare.community.search import fulltext, semantic
from townsquare.community.search.fulltext import Filters
from townsquare.community.search.query import parse

MODES = ("all", "text", "semantic")
RRF_K = 60
PAGE_SIZE = 20
MAX_PAGES = fulltext.MAX_DEPTH // PAGE_SIZE
EXCERPT_CHARS = 220


@dataclass
class Result:
    topic: Topic
    matched: tuple[str, ...]  # "text", "semantic" or both
    score: float
    similarity: float | None = None
    excerpt: str = ""

    @property
    def accepted(self) -> bool:
        return self.topic.accepted_post_id is not None


@dataclass
class SearchPage:
    query: str
    mode: str
    page: int
    results: list[Result] = field(default_factory=list)
    has_next: bool = False


def fuse(*ranked: tuple[str, list[tuple[int, float]]]) -> list[tuple[int, float, tuple[str, ...]]]:
    """Reciprocal rank fusion of named rankings: (topic id, fused score, names that matched it)."""
    scores: dict[int, float] = {}
    matched: dict[int, list[str]] = {}
    for name, hits in ranked:
        for rank, (topic_id, _) in enumerate(hits, start=1):
            scores[topic_id] = scores.get(topic_id, 0.0) + 1.0 / (RRF_K + rank)
            matched.setdefault(topic_id, []).append(name)
    order = sorted(scores, key=lambda topic_id: (-scores[topic_id], -topic_id))
    return [(topic_id, scores[topic_id], tuple(matched[topic_id])) for topic_id in order]


def search(
    text: str,
    *,
    space: Space | None = None,
    tag: Tag | None = None,
    mode: str = "all",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchPage:
    """One page of visible topics matching `text` (raises ValueError for an unknown mode)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    page = max(1, min(page, MAX_PAGES))
    result = SearchPage(query=text, mode=mode, page=page)
    text = (text or "").strip()
    if not text:
        return result
    filters = Filters(space_id=space.pk if space else None, tag_id=tag.pk if tag else None)
    # One more than the pages so far, to know whether there is a next page.
    depth = min(page * page_size + 1, fulltext.MAX_DEPTH)
    rankings = []
    similarity: dict[int, float] = {}
    if mode in ("all", "text"):
        rankings.append(("text", fulltext.matches(parse(text), filters, depth)))
    if mode in ("all", "semantic"):
        hits = semantic.matches(text, filters, depth)
        similarity = dict(hits)
        rankings.append(("semantic", hits))
    fused = fuse(*rankings)
    start = (page - 1) * page_size
    chosen = fused[start : start + page_size]
    result.has_next = len(fused) > start + page_size and page < MAX_PAGES
    topics = Topic.objects.select_related("space").prefetch_related("tags").in_bulk([t for t, _, _ in chosen])
    for topic_id, score, matched in chosen:
        topic = topics.get(topic_id)
        if topic is not None:
            result.results.append(
                Result(
                    topic=topic,
                    matched=matched,
                    score=score,
                    similarity=similarity.get(topic_id),
                    excerpt=excerpt(topic.body),
                )
            )
    return result


def excerpt(body: str) -> str:
    text = " ".join(markdown.plain_text(body[: EXCERPT_CHARS * 4]).split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"
