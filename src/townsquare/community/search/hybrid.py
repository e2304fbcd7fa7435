"""Community search: full-text and semantic matches merged by reciprocal rank fusion.

Full text finds the exact words someone remembers (an error code, a model name); the semantic
side finds the same question asked in other words or another language. Reciprocal rank fusion
(score = sum of 1 / (RRF_K + rank) over the lists a topic is in) needs no calibration between
bm25 and cosine scores, and a topic both sides found rises to the top. Each result says which
side matched it.
"""

import html
import re
from dataclasses import dataclass, field

from django.db.models.functions import Substr

from townsquare.community.models import Space, Tag, Topic
from townsquare.community.search import fulltext, semantic
from townsquare.community.search.fulltext import Filters
from townsquare.community.search.query import parse

MODES = ("all", "text", "semantic")
RRF_K = 60
PAGE_SIZE = 20
MAX_PAGES = fulltext.MAX_DEPTH // PAGE_SIZE
EXCERPT_CHARS = 220
EXCERPT_SOURCE_CHARS = 800
_TAG = re.compile(r"<[^>]*>")
_LINK_TARGET = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"(^|\s)(#{1,6}|>|[-*+]|\d+\.)\s|[*_`~]{1,3}|^-{3,}$", re.MULTILINE)


@dataclass
class Result:
    topic: Topic
    matched: tuple[str, ...]  # "text", "semantic" or both
    score: float
    similarity: float | None = None
    excerpt: str = ""
    tags: list[str] = field(default_factory=list)

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
    ids = [topic_id for topic_id, _, _ in chosen]
    topics = (
        Topic.objects.select_related("space")
        .defer("body", "body_html", "visibility_reason")
        # The excerpt needs the body's opening only; bodies run to 30,000 characters.
        .annotate(opening=Substr("body", 1, EXCERPT_SOURCE_CHARS))
        .in_bulk(ids)
    )
    tags = tag_names(ids)
    for topic_id, score, matched in chosen:
        topic = topics.get(topic_id)
        if topic is not None:
            result.results.append(
                Result(
                    topic=topic,
                    matched=matched,
                    score=score,
                    similarity=similarity.get(topic_id),
                    excerpt=excerpt(topic.opening),
                    tags=tags.get(topic_id, []),
                )
            )
    return result


def tag_names(topic_ids: list[int]) -> dict[int, list[str]]:
    """Each topic's tag names in one query (a prefetch would build a manager per topic)."""
    names: dict[int, list[str]] = {}
    rows = Topic.tags.through.objects.filter(topic_id__in=topic_ids).order_by("tag__name")
    for topic_id, name in rows.values_list("topic_id", "tag__name"):
        names.setdefault(topic_id, []).append(name)
    return names


def excerpt(body: str) -> str:
    """The opening of a Markdown body as plain text, cheaply: tags, link targets and Markdown
    marks dropped (rendering twenty bodies through Markdown cost more than the search itself)."""
    text = _TAG.sub(" ", body or "")
    text = _LINK_TARGET.sub(r"\1", text)
    text = html.unescape(_MARKS.sub(" ", text))
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"
