from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    default = True
    name = "liaison"
    verbose_name = _("Liaison work")


class LiaisonAdminConfig(admin_apps.AdminConfig):
    """The Django admin, reachable only by verified administrators."""

    default = False
    default_site = "liaison.admin_site.AdministratorAdminSite"
