"""/community/search and /community/similar: find questions by words and by meaning (public).

Search merges full-text and semantic matches (each result says which matched); similar returns
questions like a title being typed, in any language. Both read visible topics only; anonymous
callers are rate-limited per address (searching costs an encoder call and a ranked query).
"""

from typing import Literal

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from townsquare.api.community_auth import PUBLIC_AUTH, PUBLIC_OPENAPI, check_public_rate, optional_caller
from townsquare.api.community_schemas import visible_space
from townsquare.api.errors import error_responses
from townsquare.api.params import Id
from townsquare.community.models import Tag
from townsquare.community.search.hybrid import MAX_PAGES, PAGE_SIZE, search
from townsquare.community.search.query import MAX_QUERY_CHARS
from townsquare.community.search.similar import MAX_LIMIT, similar_topics
from townsquare.community.templatetags.community_pages import title_slug

router = Router(tags=["community"])

SPACE = Query(None, description="a space id")
EXCLUDE = Query(None, description="a topic id never to return (the one being edited)")


class SearchHitOut(Schema):
    id: int
    title: str
    space_id: int
    space_slug: str
    language: str
    solved: bool
    answer_count: int
    score: int
    matched: list[Literal["text", "semantic"]]
    similarity: float | None
    excerpt: str
    url: str


class SearchPageOut(Schema):
    query: str
    mode: str
    page: int
    next_page: int | None
    results: list[SearchHitOut]


class SimilarOut(Schema):
    id: int
    title: str
    space_id: int
    space_slug: str
    language: str
    solved: bool
    answer_count: int
    similarity: float
    url: str


def topic_url(topic) -> str:
    return f"/community/t/{topic.pk}/{title_slug(topic.title)}/"


@router.get(
    "/search",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SearchPageOut, **error_responses(400, 401, 404, 422, 429)},
    summary="Search visible topics by words and by meaning, in any language (public)",
)
def search_topics(
    request,
    q: str = Query(..., max_length=MAX_QUERY_CHARS, description='words, "a phrase", -excluded'),
    space: Id | None = SPACE,
    tag: str | None = Query(None, max_length=50),
    mode: Literal["all", "text", "semantic"] = Query("all", description="all merges text and semantic"),
    page: int = Query(1, ge=1, le=MAX_PAGES, description=f"pages of {PAGE_SIZE}"),
):
    check_public_rate(request, bucket="search")
    chosen_space = visible_space(optional_caller(request), space) if space is not None else None
    chosen_tag = None
    if tag is not None:
        chosen_tag = Tag.objects.filter(name=tag.strip().lower()).first()
        if chosen_tag is None:
            raise HttpError(404, f"tag {tag!r} not found")
    found = search(q, space=chosen_space, tag=chosen_tag, mode=mode, page=page)
    return {
        "query": found.query,
        "mode": found.mode,
        "page": found.page,
        "next_page": found.page + 1 if found.has_next else None,
        "results": [
            {
                "id": result.topic.pk,
                "title": result.topic.title,
                "space_id": result.topic.space_id,
                "space_slug": result.topic.space.slug,
                "language": result.topic.language,
                "solved": result.accepted,
                "answer_count": result.topic.answer_count,
                "score": result.topic.score,
                "matched": list(result.matched),
                "similarity": result.similarity,
                "excerpt": result.excerpt,
                "url": topic_url(result.topic),
            }
            for result in found.results
        ],
    }


@router.get(
    "/similar",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: list[SimilarOut], **error_responses(400, 401, 422, 429)},
    summary="Questions similar to a title (and body) being written, in any language (public)",
)
def similar(
    request,
    title: str = Query(..., max_length=MAX_QUERY_CHARS),
    body: str = Query("", max_length=5000),
    limit: int = Query(5, ge=1, le=MAX_LIMIT),
    exclude: Id | None = EXCLUDE,
):
    check_public_rate(request, bucket="similar")
    title = title.strip()
    text = title if len(title.split()) >= 3 or not body.strip() else f"{title}\n{body.strip()[:1000]}"
    return [
        {
            "id": item.topic.pk,
            "title": item.topic.title,
            "space_id": item.topic.space_id,
            "space_slug": item.topic.space.slug,
            "language": item.topic.language,
            "solved": item.accepted,
            "answer_count": item.topic.answer_count,
            "similarity": round(item.similarity, 4),
            "url": topic_url(item.topic),
        }
        for item in similar_topics(text, limit=limit, exclude=exclude)
    ]
