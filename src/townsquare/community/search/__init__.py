"""Community search: full text (FTS5 / tsvector), semantic and cross-lingual (multilingual
embeddings), merged; and "similar questions" for someone about to ask one.

    from townsquare.community.search import search, similar_topics

Both are imported on first use: the app imports `search.listeners` at start-up, and importing
the search modules there would load numpy into every process, `townsquare ingest` included.
"""

__all__ = ["search", "similar_topics"]


def __getattr__(name: str):
    if name == "search":
        from townsquare.community.search.hybrid import search

        return search
    if name == "similar_topics":
        from townsquare.community.search.similar import similar_topics

        return similar_topics
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
