from django.contrib import admin

from townsquare.care.models import AgentProfile, Queue, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)
    filter_horizontal = ("members",)


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    """Rules and required skills are validated by Queue.clean(), the same checks as the API."""

    list_display = ("name", "team", "routing_mode", "position", "is_active")
    list_filter = ("routing_mode", "is_active", "team")
    search_fields = ("name",)
    exclude = ("last_assignee",)


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "presence", "capacity", "last_assigned_at", "last_seen_at")
    list_filter = ("presence",)
    search_fields = ("user__username",)
    filter_horizontal = ("queues",)
    # Presence changes go through care.presence (going offline hands work to others).
    readonly_fields = ("presence", "presence_changed_at", "last_assigned_at", "last_seen_at")
