from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "liaison.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from liaison.audit.privileges import grant_after_migrate

        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="audit_app_role_grant")
