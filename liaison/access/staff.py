"""The gates of staff work that is not about one family: the verified administrator,
the supervised team, who is reminded of what, and who may invite whom."""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from families.models import Family
from liaison.access.roles import CHANGE, SUPERVISE, can
from liaison.accounts.models import Role, Team


def administrators_to_alert() -> QuerySet:
    """Who is told of repeated refused reads: every active administrator."""
    from liaison.accounts.models import User

    return User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).order_by("pk")


def supervisors_of(family: Family) -> QuerySet:
    """The active supervisors of the family's team: they hear of emergency access to it."""
    from liaison.accounts.models import User

    return User.objects.filter(role=Role.SUPERVISOR, team_id=family.team_id, is_active=True).order_by("pk")


def is_administrator(user) -> bool:
    """An active administrator, whether or not they passed the second factor yet."""
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.ADMINISTRATOR)


def is_verified_administrator(user) -> bool:
    """An administrator who passed the second factor in this session: the only person who
    reads the audit trail, answers subject access, runs retention, decides erasure, opens
    the archive and the admin. The one rule of "verified administrator"."""
    if not is_administrator(user):
        return False
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def verified_administrator_or_404(request: HttpRequest) -> None:
    """The gate of every administrator's page (audit trail, subject access, archive,
    retention, erasure): anyone else learns nothing, not even that the page exists."""
    if not is_verified_administrator(request.user):
        raise Http404


def keeps_library(user) -> bool:
    """Administrators keep the library for parents: the rule the library's services check.
    Its pages also ask for the second factor (``may_edit_library``)."""
    return is_administrator(user)


def may_edit_library(user) -> bool:
    """Verified administrators keep the library for parents: write, publish, withdraw."""
    return is_verified_administrator(user)


def library_editor_or_404(request: HttpRequest) -> None:
    """The gate of the pages that change the library for parents."""
    if not may_edit_library(request.user):
        raise Http404


def library_reader_or_404(request: HttpRequest) -> None:
    """The gate of the staff's reading of the library: the officers and supervisors who
    inform parents, and the administrators who keep it. Police partners and parents
    (who read it in the portal) do not come here."""
    if not (may_edit_library(request.user) or can(request.user, CHANGE)):
        raise Http404


def supervised_team(user) -> Team | None:
    """The team this person supervises, or None: the one rule of "supervisor of a team"."""
    if not can(user, SUPERVISE) or user.team_id is None:
        return None
    return user.team


def supervised_team_or_404(request: HttpRequest) -> Team:
    """The gate of a supervisor's team pages (settings, reports, dashboard)."""
    team = supervised_team(request.user)
    if team is None:
        raise Http404
    return team


def reminder_audience(user) -> tuple[str, int] | None:
    """Whose families a person is reminded of: an officer their own (by officer), a
    supervisor their team's (by team), a police partner what waits for the police in the
    families linked to their unit (by unit). Nobody else gets reminders."""
    if user.role == Role.OFFICER:
        return ("officer", user.pk)
    if user.role == Role.SUPERVISOR and user.team_id:
        return ("team", user.team_id)
    if user.role == Role.POLICE and user.police_unit_id:
        return ("unit", user.police_unit_id)
    return None


def invitation_roles_for(user) -> list[str]:
    """Which roles this user may invite: administrators any staff, supervisors their
    team's officers and supervisors, officers the parents of their own families."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    if user.role == Role.ADMINISTRATOR:
        return [Role.OFFICER, Role.SUPERVISOR, Role.POLICE, Role.ANALYST, Role.ADMINISTRATOR]
    if user.role == Role.SUPERVISOR:
        return [Role.OFFICER, Role.SUPERVISOR]
    if user.role == Role.OFFICER:
        return [Role.PARENT]
    return []


def invitations_for(user) -> QuerySet:
    """Invitations this user may see and withdraw: their own; administrators all."""
    from liaison.accounts.models import Invitation

    if not invitation_roles_for(user):
        return Invitation.objects.none()
    if user.role == Role.ADMINISTRATOR:
        return Invitation.objects.all()
    return Invitation.objects.filter(created_by=user)
