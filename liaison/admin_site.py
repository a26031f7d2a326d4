from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from liaison.access import is_verified_administrator


class AdministratorAdminSite(admin.AdminSite):
    """Only administrators who passed their second factor in this session get in."""

    site_header = _("Liaison administration")
    site_title = _("Liaison administration")
    index_title = _("Administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return is_verified_administrator(request.user)
