from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from liaison.access import (
    ACKNOWLEDGE,
    CHANGE,
    PORTAL,
    SUPERVISE,
    VIEW,
    can,
    can_break_glass,
    context_hits_unit,
    families_for,
    invitation_roles_for,
    may_edit_library,
    may_schedule_meetings,
)
from liaison.staff.attention import police_waiting_count
from liaison.staff.reminders import unread_reminder


def navigation(request: HttpRequest) -> dict:
    """What the header offers this person; the pages themselves still check access."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    verified = user.is_verified() if hasattr(user, "is_verified") else False
    return {
        "portal_product_name": settings.PORTAL_PRODUCT_NAME,
        "portal_product_language": settings.PORTAL_PRODUCT_LANGUAGE,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "nav": {
            "caseload": can(user, VIEW),
            "portal": can(user, PORTAL),
            "invitations": bool(invitation_roles_for(user)),
            "team": can(user, SUPERVISE),
            "library": can(user, CHANGE) or may_edit_library(user),
            "meetings": may_schedule_meetings(user),
            "break_glass": can_break_glass(user),
            "context_patterns": context_hits_unit(user) is not None,
            "admin": user.is_administrator and verified,
            # Read only when a template shows it: the parts of pages rendered on their
            # own (liaison.fragments) never do.
            "reminder": SimpleLazyObject(lambda: unread_reminder(user)) if verified else None,
            # A police partner sees how many things wait for them now (one query, when shown).
            "police_waiting": (
                SimpleLazyObject(lambda: {"count": police_waiting_count(families_for(user, ACKNOWLEDGE))})
                if verified and can(user, ACKNOWLEDGE)
                else None
            ),
        },
    }
