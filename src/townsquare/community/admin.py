"""Django admin for the community. Content and records change through the community services
(they write the events reputation and insights are computed from), so most pages here only show."""

from django.contrib import admin

from townsquare.community.models import (
    AmbassadorInvite,
    BadgeAward,
    Flag,
    Guideline,
    GuidelineRevision,
    Member,
    ModerationAction,
    Notification,
    Post,
    Proposal,
    Space,
    Suspension,
    Tag,
    Topic,
)
from townsquare.read_only_admin import ReadOnlyModelAdmin


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    """Spaces are configuration: their settings may be edited here as in the API."""

    list_display = ("name", "slug", "language", "allows_promotion", "unanswered_after_hours", "is_active")
    list_filter = ("language", "is_active", "allows_promotion")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)


@admin.register(Topic)
class TopicAdmin(ReadOnlyModelAdmin):
    list_display = ("title", "space", "kind", "visibility", "answer_count", "score", "created_at")
    list_filter = ("kind", "visibility", "space")
    search_fields = ("title",)
    list_select_related = ("space",)
    exclude = ("body_html",)


@admin.register(Post)
class PostAdmin(ReadOnlyModelAdmin):
    list_display = ("pk", "topic", "kind", "author", "visibility", "score", "created_at")
    list_filter = ("kind", "visibility")
    list_select_related = ("topic", "author")
    exclude = ("body_html",)


@admin.register(Member)
class MemberAdmin(ReadOnlyModelAdmin):
    list_display = ("user", "reputation", "trust_level", "ambassador_level", "suspended_until")
    list_filter = ("trust_level", "ambassador_level")
    search_fields = ("user__username", "display_name")
    list_select_related = ("user",)


@admin.register(BadgeAward)
class BadgeAwardAdmin(ReadOnlyModelAdmin):
    list_display = ("user", "badge", "awarded_at")
    list_filter = ("badge",)


@admin.register(AmbassadorInvite)
class AmbassadorInviteAdmin(ReadOnlyModelAdmin):
    list_display = ("member", "level", "status", "created_at")
    list_filter = ("status",)


@admin.register(Flag)
class FlagAdmin(ReadOnlyModelAdmin):
    list_display = ("topic", "post", "reason", "status", "created_at")
    list_filter = ("reason", "status")


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyModelAdmin):
    list_display = ("created_at", "action", "moderator", "topic", "post", "guideline")
    list_filter = ("action",)


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyModelAdmin):
    list_display = ("user", "until", "lifted_at", "created_at")


@admin.register(Guideline)
class GuidelineAdmin(ReadOnlyModelAdmin):
    list_display = ("number", "title", "is_active", "adopted_at")


@admin.register(GuidelineRevision)
class GuidelineRevisionAdmin(ReadOnlyModelAdmin):
    list_display = ("guideline", "version", "title", "repealed", "adopted_at")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyModelAdmin):
    list_display = ("title", "kind", "status", "yes_votes", "no_votes", "quorum", "created_at")
    list_filter = ("status", "kind")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    list_display = ("user", "kind", "text", "created_at", "read_at")
    list_filter = ("kind",)
