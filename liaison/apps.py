from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    default = True
    name = "liaison"
    verbose_name = _("Liaison work")

    def ready(self) -> None:
        from liaison.access.people import HAS_HOUSEHOLD_RECORD, household_record_question
        from liaison.accounts.authentication import ask_with_user
        from liaison.compiled import keep_generic_plans

        connection_created.connect(keep_generic_plans, dispatch_uid="liaison.keep_generic_plans")
        ask_with_user(HAS_HOUSEHOLD_RECORD, household_record_question)


class LiaisonAdminConfig(admin_apps.AdminConfig):
    """The Django admin, reachable only by verified administrators."""

    default = False
    default_site = "liaison.admin_site.AdministratorAdminSite"
