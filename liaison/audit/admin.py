from django.contrib import admin

from liaison.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ["occurred_at", "action", "actor_email", "object_type", "object_id", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_email", "object_id"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
