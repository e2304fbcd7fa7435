"""Embedding topics in the background: enqueued after a topic is created or its text edited.

The encoder takes about a millisecond a topic but a second to load, so it runs in the
`semantic` queue's worker (where triage's encoder is already loaded), never in the request.
"""

from townsquare.tasks import reliable_task


@reliable_task(max_attempts=3, queue_name="semantic")
def embed_topics_task(topic_ids: list[int]) -> dict:
    from townsquare.community.search.embeddings import embed_topics

    return {"embedded": embed_topics(topic_ids)}
