from django.contrib import admin

from townsquare.labels.models import MessageLabels, TriageFeedback
from townsquare.read_only_admin import ReadOnlyModelAdmin


@admin.register(MessageLabels)
class MessageLabelsAdmin(ReadOnlyModelAdmin):
    """Read-only: labels change through triage and through `labels.services.correct` (which
    records the feedback and the event), never by editing rows here."""

    list_display = (
        "message_id",
        "status",
        "language",
        "kind",
        "sentiment",
        "priority",
        "not_for_us",
        "fast_at",
    )
    list_filter = ("status", "kind", "priority", "not_for_us")
    search_fields = ("=message__id", "=duplicate_group")
    raw_id_fields = ("message", "reviewed_by")
    exclude = ("fingerprint",)


@admin.register(TriageFeedback)
class TriageFeedbackAdmin(ReadOnlyModelAdmin):
    list_display = ("created_at", "message_id", "field", "old_value", "new_value", "user")
    list_filter = ("field",)
