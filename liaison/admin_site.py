from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class AdministratorAdminSite(admin.AdminSite):
    """Only administrators who passed their second factor in this session get in."""

    site_header = _("Liaison administration")
    site_title = _("Liaison administration")
    index_title = _("Administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.is_administrator and user.is_verified())
