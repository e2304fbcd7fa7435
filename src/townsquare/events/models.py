"""The append-only event log: every state change writes one here, in the same transaction.

Insights read only this table. Rows are never updated or deleted by the application: the model
and its queryset refuse it, and a database trigger refuses UPDATE.
"""

from django.db import models
from django.utils import timezone


class AppendOnlyError(RuntimeError):
    pass


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the event log is append-only")

    def delete(self):
        raise AppendOnlyError("the event log is append-only")


class Event(models.Model):
    kind = models.CharField(max_length=64)
    occurred_at = models.DateTimeField(default=timezone.now)
    # Plain ids rather than foreign keys: events outlive what they describe (a merged conversation).
    actor_id = models.BigIntegerField(null=True, blank=True)
    channel_id = models.BigIntegerField(null=True, blank=True)
    conversation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    message_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        # Insights read one kind over a period; a timeline reads one conversation; the audit log one person.
        indexes = [
            models.Index(fields=["kind", "occurred_at"], name="event_kind_time"),
            # The audit log filters by person. Partial: ingest's actor-less events stay off it.
            models.Index(
                fields=["actor_id", "-id"], name="event_actor", condition=models.Q(actor_id__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("the event log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the event log is append-only")
