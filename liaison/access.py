"""The one access policy: which families a user may see and change.

Deny by default. Every view that shows or changes case data starts from
``families_for`` or ``get_family_or_404``; nothing else decides who sees a family.
Absent and forbidden records both answer 404, so a URL reveals nothing.

Actions
- ``view``: read the staff case file.
- ``change``: record or edit case data.
- ``supervise``: supervisor decisions: hand the family to another officer, lift a suspicion mark.
- ``portal``: the parents' portal view of their own family.
"""

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from families.models import Family, FamilyStatus, HouseholdMember
from liaison.accounts.models import Role
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record

VIEW = "view"
CHANGE = "change"
SUPERVISE = "supervise"
PORTAL = "portal"
ACTIONS = (VIEW, CHANGE, SUPERVISE, PORTAL)

# Which actions each role may ever take; the filter below says on which families.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW, CHANGE}),
    Role.SUPERVISOR: frozenset({VIEW, CHANGE, SUPERVISE}),
    Role.POLICE: frozenset({VIEW}),
    Role.PARENT: frozenset({PORTAL}),
    Role.ADMINISTRATOR: frozenset(),
}


def _officer_filter(user, action: str) -> Q:
    """Own families; for reading also the team's when the supervisor allows team view,
    and a family just handed on until the new officer acknowledges the handover."""
    own = Q(liaison_officer=user)
    if action != VIEW:
        return own
    handing_over = Q(handovers__from_officer=user, handovers__acknowledged_at__isnull=True)
    team_view = Q(team_id=user.team_id, team__team_view=True)
    return own | handing_over | team_view


def _family_filter(user, action: str) -> Q | None:
    if user.role == Role.OFFICER:
        return _officer_filter(user, action)
    if user.role == Role.SUPERVISOR and user.team_id:
        return Q(team_id=user.team_id)
    if user.role == Role.POLICE and user.police_unit_id:
        return Q(police_unit_id=user.police_unit_id)
    if user.role == Role.PARENT:
        # A suspected caregiver never matches: this is the construction that keeps
        # an exploiting parent out of the family's data.
        return Q(pk__in=HouseholdMember.objects.filter(user=user, is_suspected=False).values("family_id"))
    return None


def can(user, action: str) -> bool:
    """Whether the user's role allows this action on any family at all."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if not (user and user.is_authenticated and user.is_active):
        return False
    return action in ROLE_ACTIONS.get(user.role, frozenset())


def families_for(user, action: str = VIEW) -> QuerySet[Family]:
    """The families this user may take this action on; empty when in doubt."""
    if not can(user, action):
        return Family.objects.none()
    condition = _family_filter(user, action)
    if condition is None:
        return Family.objects.none()
    if action in (CHANGE, SUPERVISE):
        # A closed case is kept as it is: read, never changed.
        condition &= ~Q(status=FamilyStatus.CLOSED)
    # A subquery keeps the result free of duplicates from the handover join.
    return Family.objects.filter(pk__in=Family.objects.filter(condition).values("pk"))


# Parts of the staff case file. Police partners see only the parts marked for police.
SECTIONS = ("household", "contacts", "agencies", "incidents", "missing", "handovers", "chronology")
POLICE_SECTIONS = frozenset({"household", "agencies", "incidents", "missing", "chronology"})


def can_see_section(user, section: str) -> bool:
    if section not in SECTIONS:
        raise ValueError(f"Unknown section {section!r}")
    if user.role == Role.POLICE:
        return section in POLICE_SECTIONS
    return can(user, VIEW)


def get_family_or_404(request: HttpRequest, pk: int, action: str = VIEW, *, section: str | None = None) -> Family:
    """The family, if this user may take the action on it (and see that part of the
    case), else 404. The read is logged."""
    if section is not None and not can_see_section(request.user, section):
        raise Http404
    family = (
        families_for(request.user, action)
        .select_related("team", "liaison_officer", "police_unit")
        .filter(pk=pk)
        .first()
    )
    if family is None:
        raise Http404
    log_case_read(request, family, action)
    return family


def log_case_read(request: HttpRequest, family: Family, action: str) -> None:
    """Every read of a case lands in the audit trail: who, which family, which page."""
    audit_record(
        action=AuditAction.CASE_VIEWED,
        actor=request.user,
        target=family,
        family_id=family.pk,
        detail={"path": request.path, "access": action},
    )


def allows(user, family: Family, action: str) -> bool:
    """Whether the user may take this action on this one family (for showing buttons)."""
    return families_for(user, action).filter(pk=family.pk).exists()


def invitation_roles_for(user) -> list[str]:
    """Which roles this user may invite: administrators any staff, supervisors their
    team's officers and supervisors, officers the parents of their own families."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    if user.role == Role.ADMINISTRATOR:
        return [Role.OFFICER, Role.SUPERVISOR, Role.POLICE, Role.ADMINISTRATOR]
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
