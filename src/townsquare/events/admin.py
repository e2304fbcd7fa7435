from django.contrib import admin

from townsquare.events.models import Event
from townsquare.read_only_admin import ReadOnlyModelAdmin


@admin.register(Event)
class EventAdmin(ReadOnlyModelAdmin):
    """Read-only: the event log is append-only."""

    list_display = ("id", "occurred_at", "kind", "actor_id", "channel_id", "conversation_id", "message_id")
    list_filter = ("kind",)
