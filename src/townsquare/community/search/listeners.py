"""What keeps search in step: topics are embedded after they are written, and the full-text
triggers are put back after any migrate that rebuilt the topic table (imported at app start)."""

from django.db import connections, transaction
from django.db.models.signals import post_migrate

from townsquare.community.events import listens


def embed_after_commit(topic_ids: list[int]) -> None:
    from townsquare.community.search.tasks import embed_topics_task

    ids = list(topic_ids)
    # After commit: the worker must find the topic, and a rolled-back ask enqueues nothing.
    transaction.on_commit(lambda: embed_topics_task.enqueue(ids))


@listens("community.topic_created", "community.topic_edited")
def topic_written(event) -> None:
    fields = event.data.get("fields")
    if event.kind == "community.topic_edited" and fields is not None and "title" not in fields:
        return  # the embedding is made from the title alone
    embed_after_commit([event.data["topic"]])


def ensure_fulltext(sender, using="default", **kwargs) -> None:
    if getattr(sender, "label", None) != "community":
        return  # post_migrate is sent once per app; once is enough
    from townsquare.community.search.schema import ensure

    ensure(connections[using])


post_migrate.connect(ensure_fulltext, dispatch_uid="community-search-fulltext")
