"""Read-only admin pages for webhooks: endpoints (never their secret) and the delivery log.

Endpoints are changed through the console or the API, whose services check the role and log
an event; the admin only shows them.
"""

from django.contrib import admin

from townsquare.hooks.models import Delivery, DeliveryAttempt, Endpoint
from townsquare.read_only_admin import ReadOnlyModelAdmin


@admin.register(Endpoint)
class EndpointAdmin(ReadOnlyModelAdmin):
    exclude = ("secret",)
    list_display = ("id", "url", "is_active", "paused_until", "created_at")
    list_filter = ("is_active",)


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("number", "started_at", "duration_ms", "status_code", "error", "response_excerpt")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyModelAdmin):
    list_display = ("id", "endpoint", "kind", "status", "attempts", "next_attempt_at", "created_at")
    list_filter = ("status", "kind")
    list_select_related = ("endpoint",)
    inlines = [AttemptInline]
