"""The actions of the access policy, and which of them each role may ever take."""

from liaison.accounts.models import Role

VIEW = "view"


CHANGE = "change"


SUPERVISE = "supervise"


PORTAL = "portal"


EDIT_PLAN = "edit_plan"


ENDORSE = "endorse"


ACKNOWLEDGE = "acknowledge"


ARCHIVE = "archive"


RECORD_JUSTICE = "record_justice"


APPROVE_FOR_PARENTS = "approve_for_parents"


RECORD_CONTEXT = "record_context"


ACTIONS = (
    VIEW,
    CHANGE,
    SUPERVISE,
    PORTAL,
    EDIT_PLAN,
    ENDORSE,
    ACKNOWLEDGE,
    ARCHIVE,
    RECORD_JUSTICE,
    APPROVE_FOR_PARENTS,
    RECORD_CONTEXT,
)


# Actions that change a case: never on a closed family.
WRITE_ACTIONS = frozenset(
    {CHANGE, SUPERVISE, EDIT_PLAN, ENDORSE, ACKNOWLEDGE, RECORD_JUSTICE, APPROVE_FOR_PARENTS, RECORD_CONTEXT}
)


# Which actions each role may ever take; the filter below says on which families.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW, CHANGE, EDIT_PLAN, RECORD_JUSTICE, RECORD_CONTEXT}),
    Role.SUPERVISOR: frozenset({VIEW, CHANGE, SUPERVISE, EDIT_PLAN, RECORD_JUSTICE, RECORD_CONTEXT}),
    Role.POLICE: frozenset(
        {VIEW, EDIT_PLAN, ENDORSE, ACKNOWLEDGE, RECORD_JUSTICE, APPROVE_FOR_PARENTS, RECORD_CONTEXT}
    ),
    Role.PARENT: frozenset({PORTAL}),
    Role.ADMINISTRATOR: frozenset({ARCHIVE}),
    # Analysts read the hits of contexts across their unit's families (liaison.access.contexts),
    # never a family's case.
    Role.ANALYST: frozenset(),
}


# Who may take emergency access to a family outside their own work (read only, an hour).
BREAK_GLASS_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})


def can(user, action: str) -> bool:
    """Whether the user's role allows this action on any family at all."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if not (user and user.is_authenticated and user.is_active):
        return False
    return action in ROLE_ACTIONS.get(user.role, frozenset())
