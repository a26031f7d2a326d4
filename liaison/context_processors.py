from django.http import HttpRequest

from liaison.access import PORTAL, SUPERVISE, VIEW, can, invitation_roles_for


def navigation(request: HttpRequest) -> dict:
    """What the header offers this person; the pages themselves still check access."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    verified = user.is_verified() if hasattr(user, "is_verified") else False
    return {
        "nav": {
            "caseload": can(user, VIEW),
            "portal": can(user, PORTAL),
            "invitations": bool(invitation_roles_for(user)),
            "team": can(user, SUPERVISE),
            "admin": user.is_administrator and verified,
        }
    }
