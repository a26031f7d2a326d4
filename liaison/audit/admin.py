from django.contrib import admin

from liaison.audit.models import AuditCheckpoint, AuditEvent, AuditSeal


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: the trail, its seals and its checkpoints are append-only."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "action", "actor_email", "object_type", "object_id", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_email", "object_id"]
    date_hierarchy = "occurred_at"


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["sealed_at", "seal_sequence", "event_id", "event_count", "seal_hash"]
    date_hierarchy = "sealed_at"


@admin.register(AuditSeal)
class AuditSealAdmin(ReadOnlyAdmin):
    list_display = ["sequence", "sealed_at", "event_count", "first_event_id", "last_event_id", "hash"]
    date_hierarchy = "sealed_at"
