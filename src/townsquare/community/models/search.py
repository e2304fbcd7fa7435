"""What community search keeps besides the full-text index (which lives in the database itself)."""

from django.db import models
from django.utils import timezone


class TopicEmbedding(models.Model):
    """A topic's multilingual sentence embedding, for semantic and cross-lingual search.

    Stored as 512 float16 values (1 KB a topic: 100 MB at 100k topics); the in-process index
    holds them as float32 for fast products. A re-embedded topic gets a new row (a new id), so
    every process catches up by reading the rows above the highest id it has seen.
    """

    topic = models.OneToOneField("community.Topic", on_delete=models.CASCADE, related_name="embedding")
    vector = models.BinaryField()
    # The encoder that made it; a row from another model version counts as missing.
    model_version = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"embedding of topic {self.topic_id} ({self.model_version})"
