from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from townsquare.people.models import ApiToken, ConsentRecord, Customer, Identity, User
from townsquare.read_only_admin import ReadOnlyModelAdmin


@admin.register(User)
class TownsquareUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (*UserAdmin.fieldsets, ("Townsquare", {"fields": ("role", "languages")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Townsquare", {"fields": ("role",)}))


class IdentityInline(admin.TabularInline):
    model = Identity
    extra = 0
    fields = ("channel", "external_id", "handle", "display_name", "is_brand")
    readonly_fields = fields


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("id", "display_name", "first_seen_as", "created_at")
    search_fields = ("display_name", "identities__handle", "identities__external_id")
    inlines = [IdentityInline]


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ("handle", "external_id", "channel", "customer", "is_brand")
    list_filter = ("channel", "is_brand")
    search_fields = ("handle", "external_id", "display_name")
    raw_id_fields = ("customer",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are minted by their owner (console or CLI); here an admin can only look and revoke."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "token_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyModelAdmin):
    """The consent ledger is evidence: it is browsed here and written only by people.consent."""

    list_display = ("recorded_at", "customer", "purpose", "granted", "source", "recorded_by")
    list_filter = ("purpose", "granted", "source")
    search_fields = ("customer__display_name", "wording")
    list_select_related = ("customer", "recorded_by")
