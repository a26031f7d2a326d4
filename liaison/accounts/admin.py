from django.contrib import admin

from liaison.accounts.models import Invitation, PoliceUnit, Team, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "role", "team", "police_unit", "is_active", "last_login"]
    list_filter = ["role", "is_active", "team", "police_unit"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "role", "team", "police_unit", "phone", "is_active", "last_login"]
    readonly_fields = ["last_login"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "created_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


admin.site.register(Team)
admin.site.register(PoliceUnit)
