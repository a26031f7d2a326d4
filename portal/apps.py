from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The parents' pages, behind one gate (``liaison.access.get_portal_family_or_404``)."""

    name = "portal"
    verbose_name = _("Parents' portal")
