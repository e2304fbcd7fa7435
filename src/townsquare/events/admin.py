from django.contrib import admin

from townsquare.events.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the event log is append-only."""

    list_display = ("id", "occurred_at", "kind", "actor_id", "channel_id", "conversation_id", "message_id")
    list_filter = ("kind",)
    readonly_fields = [f.name for f in Event._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
