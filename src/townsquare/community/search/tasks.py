"""Embedding topics in the background: enqueued after a topic is created or its text edited.

The encoder takes about a millisecond a topic but a second to load, so it runs in the
`semantic` queue's worker (where triage's encoder is already loaded), never in the request.
"""

from townsquare.tasks import reliable_task


@reliable_task(max_attempts=3, queue_name="semantic")
def embed_topics_task(topic_ids: list[int]) -> dict:
    from townsquare.community.search.embeddings import embed_topics

    return {"embedded": embed_topics(topic_ids)}


# Topics a periodic check hands to the worker at most per run (about three seconds of encoder time).
MISSING_PER_RUN = 5_000
TOPICS_PER_TASK = 500


def enqueue_missing_embeddings(limit: int = MISSING_PER_RUN) -> int:
    """Enqueue embedding for topics that have none (bulk imports, a lost task); returns how many."""
    from townsquare.community.search.embeddings import missing_topic_ids

    ids = missing_topic_ids()[:limit]
    for start in range(0, len(ids), TOPICS_PER_TASK):
        embed_topics_task.enqueue(ids[start : start + TOPICS_PER_TASK])
    return len(ids)
