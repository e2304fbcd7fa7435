"""Admin pages: calendars with their holidays and policies are edited in the API and console, whose
services check the role and write events; here they are browsed. Clocks are records of what happened."""

from django.contrib import admin

from townsquare.read_only_admin import ReadOnlyModelAdmin
from townsquare.sla.models import BusinessCalendar, ConversationSla, Holiday, SlaPolicy


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0
    fields = ("date", "name")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "time_zone", "updated_at")
    inlines = [HolidayInline]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(ReadOnlyModelAdmin):
    list_display = (
        "name",
        "queue",
        "priority",
        "first_response_minutes",
        "next_response_minutes",
        "resolution_minutes",
        "calendar",
        "warn_before_minutes",
    )
    list_filter = ("priority",)


@admin.register(ConversationSla)
class ConversationSlaAdmin(ReadOnlyModelAdmin):
    list_display = ("conversation", "policy", "first_response_due_at", "resolution_due_at", "next_check_at")
    list_select_related = ("conversation", "policy")
    raw_id_fields = ("conversation",)
