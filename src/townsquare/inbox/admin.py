from django.contrib import admin

from townsquare.inbox.models import Channel, Conversation, ImportRun, Message


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    """Read-only: channels are added and their secrets rotated in the console or the API, whose
    services check the role and write channel.created / channel.secret_rotated events."""

    list_display = ("name", "kind", "is_active", "messages_stored", "messages_duplicate", "messages_rejected")
    list_filter = ("kind", "is_active")
    exclude = ("secret",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ("created_at", "direction", "author", "text")
    readonly_fields = fields
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("id", "subject", "channel", "status", "message_count", "last_activity_at")
    list_filter = ("status", "channel")
    raw_id_fields = ("customer", "root_message")
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Messages are facts that arrived; the admin shows them, ingest is the only way in."""

    list_display = ("id", "channel", "external_id", "direction", "created_at")
    list_filter = ("channel", "direction")
    search_fields = ("external_id",)
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "channel",
        "source",
        "status",
        "read",
        "stored",
        "duplicates",
        "rejected",
        "started_at",
    )
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False
