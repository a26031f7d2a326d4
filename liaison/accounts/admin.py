from django.contrib import admin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.models import POLICE_UNIT_LIMITS, Invitation, PoliceUnit, Team, User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.staff.services import police_unit_settings_update


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


@admin.register(PoliceUnit)
class PoliceUnitAdmin(admin.ModelAdmin):
    """An administrator names the unit and sets its due dates; every change is audited."""

    list_display = ["name", *POLICE_UNIT_LIMITS]
    fields = ["name", *POLICE_UNIT_LIMITS]

    def save_model(self, request, obj: PoliceUnit, form, change: bool) -> None:
        if not change:
            obj.save()
            limits = {name: getattr(obj, name) for name in POLICE_UNIT_LIMITS}
            audit_record(action=AuditAction.POLICE_UNIT_CHANGED, actor=request.user, target=obj, detail=limits)
            return
        if "name" in form.changed_data:
            PoliceUnit.objects.filter(pk=obj.pk).update(name=obj.name)
            audit_record(
                action=AuditAction.POLICE_UNIT_CHANGED, actor=request.user, target=obj, detail={"name": obj.name}
            )
        police_unit_settings_update(
            unit=obj, administrator=request.user, **{name: form.cleaned_data[name] for name in POLICE_UNIT_LIMITS}
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Roles, not groups, decide what a person may do: the groups page would only mislead.
admin.site.unregister(Group)
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(TOTPDeviceAdmin):
    """An administrator may see and remove a person's authenticator, never its secret; the
    throttling state is the app's to keep, shown but not edited."""

    readonly_fields = [*TOTPDeviceAdmin.readonly_fields, "throttling_failure_timestamp", "throttling_failure_count"]
    # The search box is labelled by its icon; a hint tied to it as its only text fails axe.
    search_help_text = None
