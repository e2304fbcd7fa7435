from django.contrib import admin

from townsquare.labels.models import MessageLabels, TriageFeedback


@admin.register(MessageLabels)
class MessageLabelsAdmin(admin.ModelAdmin):
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
    readonly_fields = [f.name for f in MessageLabels._meta.fields if f.name != "fingerprint"]
    exclude = ("fingerprint",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TriageFeedback)
class TriageFeedbackAdmin(admin.ModelAdmin):
    list_display = ("created_at", "message_id", "field", "old_value", "new_value", "user")
    list_filter = ("field",)
    readonly_fields = [f.name for f in TriageFeedback._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
