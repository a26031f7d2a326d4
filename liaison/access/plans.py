"""Who sees and writes which parts of a safety plan, by the visibility each part carries."""

from liaison.access.roles import EDIT_PLAN, can
from liaison.accounts.models import Role
from safety_plans.models import VISIBLE_TO_PARENTS

# Who sees which parts of a safety plan, by the visibility each part carries. Parents see
# only what is marked for them; police-only parts stay with the police.
PLAN_VISIBILITIES: dict[str, tuple[str, ...]] = {
    Role.OFFICER: ("parents", "staff"),
    Role.SUPERVISOR: ("parents", "staff"),
    Role.POLICE: ("parents", "staff", "police"),
    Role.PARENT: VISIBLE_TO_PARENTS,
}


# Which kinds of plan part each role writes. Police partners write the police parts.
PLAN_PART_WRITERS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({"statement", "person_of_concern", "police_action", "missing_profile", "contact"}),
    Role.SUPERVISOR: frozenset({"statement", "person_of_concern", "police_action", "missing_profile", "contact"}),
    Role.POLICE: frozenset({"person_of_concern", "police_action"}),
}


def plan_visibilities_for(user) -> tuple[str, ...]:
    """The visibilities of plan parts this user may see; nothing when in doubt."""
    if not (user and user.is_authenticated and user.is_active):
        return ()
    return PLAN_VISIBILITIES.get(user.role, ())


def sees_police_only_notes(user) -> bool:
    """Notes marked for the police only (in criminal cases) are read by police partners
    alone; officers and supervisors of the family never receive them."""
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.POLICE)


def plan_parts_writable_by(user) -> frozenset[str]:
    if not can(user, EDIT_PLAN):
        return frozenset()
    return PLAN_PART_WRITERS.get(user.role, frozenset())
