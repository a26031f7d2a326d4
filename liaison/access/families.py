"""Which families a person may see or change, and the record of every read of a case
(and of every refused one): the core of the one access policy, which the package's
other modules build on. ``liaison.access`` gives all of it under one name."""

from collections.abc import Callable
from typing import NoReturn

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Now
from django.http import Http404, HttpRequest

from families.models import Family, FamilyStatus, Handover, HouseholdMember
from liaison.access.people import (
    account_shut_out,
)
from liaison.access.roles import (
    ARCHIVE,
    BREAK_GLASS_ROLES,
    VIEW,
    WRITE_ACTIONS,
    can,
)
from liaison.access.staff import (
    administrators_to_alert,
)
from liaison.accounts.models import BreakGlassAccess, Role, Team, User
from liaison.audit.models import AuditAction
from liaison.audit.refusals import refused_read_record, refused_reads_claim_alert
from liaison.audit.services import audit_record
from liaison.compiled import (
    STAND_IN_FAMILY,
    STAND_IN_TEAM,
    STAND_IN_UNIT,
    STAND_IN_USER,
    instance,
    read_compiled,
    related_values,
    with_related,
)
from liaison.expressions import InSubquery
from liaison.notifications import notify_refused_reads

# The rules that live in the modules of this package are part of the one policy.


def _officer_filter(user, action: str) -> Q:
    """Own families; for reading also the team's when the supervisor allows team view,
    and a family just handed on until the new officer acknowledges the handover."""
    own = Q(liaison_officer=user)
    if action != VIEW:
        return own
    # Subqueries, not joins: the families table is read once, without a row per handover,
    # and through its indexes (see ``InSubquery``).
    handed_on = Handover.objects.filter(from_officer=user, acknowledged_at__isnull=True)
    handing_over = InSubquery("pk", handed_on.values("family_id"))
    team_view = InSubquery("team_id", Team.objects.filter(pk=user.team_id, team_view=True).values("pk"))
    return own | handing_over | team_view


def _break_glass_filter(user) -> Q:
    """The families this person took emergency access to that has not yet run out."""
    # The database's clock, so that the gate's statement is compiled once (``family_in_reach``).
    unexpired = BreakGlassAccess.objects.filter(user=user, expires_at__gt=Now())
    return Q(InSubquery("pk", unexpired.values("family_id")))


def _family_filter(user, action: str) -> Q | None:
    condition = _usual_family_filter(user, action)
    if condition is not None and action == VIEW and user.role in BREAK_GLASS_ROLES:
        condition |= _break_glass_filter(user)
    return condition


def _usual_family_filter(user, action: str) -> Q | None:
    if user.role == Role.OFFICER:
        return _officer_filter(user, action)
    if user.role == Role.SUPERVISOR and user.team_id:
        return Q(team_id=user.team_id)
    if user.role == Role.POLICE and user.police_unit_id:
        return Q(police_unit_id=user.police_unit_id)
    if user.role == Role.PARENT:
        # A suspected caregiver never gets here (``families_for`` asks ``account_shut_out``
        # first): this is the construction that keeps an exploiting parent out.
        return Q(pk__in=HouseholdMember.objects.filter(user=user).values("family_id"))
    return None


def families_for(user, action: str = VIEW) -> QuerySet[Family]:
    """The families this user may take this action on; empty when in doubt."""
    if not can(user, action) or account_shut_out(user):
        # An account of a person untrusted anywhere reaches no family, whatever its role.
        return Family.objects.none()
    if action == ARCHIVE:
        return Family.objects.filter(archived_at__isnull=False)
    condition = _family_filter(user, action)
    if condition is None:
        return Family.objects.none()
    # An archived case is for administrators only; nobody else reaches it, not even
    # by emergency access.
    condition &= Q(archived_at__isnull=True)
    if action in WRITE_ACTIONS:
        # A closed case is kept as it is: read, never changed.
        condition &= ~Q(status=FamilyStatus.CLOSED)
    # Every condition is on the family's own columns or a subquery (no join), so each
    # family comes once and the families table is read through its indexes.
    return Family.objects.filter(condition)


# What a case page reads of the family it opens: the family with its team, officer and police unit.
CASE_RELATIONS = ("team", "liaison_officer", "police_unit")


def family_in_reach(user, pk: int | None, action: str = VIEW) -> Family | None:
    """The family ``pk`` of ``families_for(user, action)`` (with ``pk`` None, the first
    of them by number: the parents' own), with its team, officer and police unit, or
    None; with a statement compiled once (``rows_in_reach``)."""
    if pk is not None and not _is_family_number(pk):
        return None  # as the ORM answers a number no column can hold: no such family

    def build(families: QuerySet[Family]) -> QuerySet:
        if pk is None:
            return families.order_by("pk").values(*related_values(Family, CASE_RELATIONS))[:1]
        return families.filter(pk=STAND_IN_FAMILY).values(*related_values(Family, CASE_RELATIONS))

    rows = rows_in_reach(user, action, ("family_in_reach", pk is None), build, {STAND_IN_FAMILY: pk})
    return with_related(Family, rows[0], CASE_RELATIONS) if rows else None


def rows_in_reach(
    user, action: str, name: tuple, build: Callable[[QuerySet[Family]], QuerySet], values: dict | None = None
) -> list[dict]:
    """The rows of ``build(families_for(user, action))``, a ``.values()`` queryset, read
    with a statement built and compiled once per process for each shape of the policy's
    SQL (the action and ``_user_shape``) and each ``name``; a request only puts its ids
    (and ``values``, for the stand-ins ``build`` uses) in it. ``build`` may depend on
    nothing else: it gets the families of a stand-in user, and its days must be the
    database's (``liaison.expressions.database_today``)."""
    if not getattr(user, "is_authenticated", False):
        return list(build(families_for(user, action)))
    return rows_for_user(user, (*name, action), lambda stand_in: build(families_for(stand_in, action)), values)


def visible_families(user, action: str = VIEW) -> list[tuple[int, int]]:
    """The id and team of every family of ``families_for(user, action)``, in order of id,
    with a statement compiled once per process (``rows_in_reach``): what a list page's
    kept fragment depends on (``liaison.fragments.cached_fragment``)."""
    rows = rows_in_reach(
        user, action, ("visible families",), lambda families: families.order_by("pk").values("pk", "team_id")
    )
    return [(row["pk"], row["team_id"]) for row in rows]


def rows_for_user(user, name: tuple, build: Callable[[User], QuerySet], values: dict | None = None) -> list[dict]:
    """The rows of ``build(user)``, a ``.values()`` queryset of what this signed-in person
    reaches, built from a stand-in of them (``_user_shape``) and compiled once per process
    for each shape and ``name``; a request only puts their ids (and ``values``) in it."""
    if account_shut_out(user):
        return []  # as ``families_for`` gives them: nothing (the stand-in is never shut out)
    shape = _user_shape(user)
    return read_compiled(
        (*name, *shape.values()),
        # Any other field of the stand-in user is deferred: reading it would look up a user
        # that does not exist, and fail, rather than keep one person's value in everyone's
        # statement.
        lambda: build(instance(User, shape)),
        {
            STAND_IN_USER: user.pk,
            STAND_IN_TEAM: user.team_id,
            STAND_IN_UNIT: user.police_unit_id,
            **(values or {}),
        },
    )


def allows_each(user, family: Family, actions: tuple[str, ...]) -> dict[str, bool]:
    """``allows(user, family, action)`` for each of ``actions`` (for showing buttons), asked
    of ``families_for`` with one statement built and compiled once per process for each
    shape of the policy's SQL (``rows_for_user``); a request only puts its ids in it. An
    action the user may never take costs nothing."""
    answers = dict.fromkeys(actions, False)
    asked = tuple(action for action in actions if can(user, action))
    if not asked:
        return answers

    def build(stand_in: User) -> QuerySet:
        allowed = {}
        for action in asked:
            families = families_for(stand_in, action)
            allowed[f"may_{action}"] = (
                Value(False) if families.query.is_empty() else Exists(families.filter(pk=OuterRef("pk")))
            )
        return Family.objects.filter(pk=STAND_IN_FAMILY).values(**allowed)

    rows = rows_for_user(user, ("allows_each", asked), build, {STAND_IN_FAMILY: family.pk})
    if rows:
        answers.update({action: bool(rows[0][f"may_{action}"]) for action in asked})
    return answers


def _user_shape(user) -> dict:
    """What the SQL of ``families_for`` depends on of the user besides the ids it holds:
    the role, whether they are active, whether they have a team and a police unit. The
    ids are stand-ins."""
    return {
        "id": STAND_IN_USER,
        "role": user.role,
        "is_active": user.is_active,
        "team_id": STAND_IN_TEAM if user.team_id is not None else None,
        "police_unit_id": STAND_IN_UNIT if user.police_unit_id is not None else None,
    }


def _is_family_number(pk) -> bool:
    low, high = connection.ops.integer_field_range(Family._meta.pk.get_internal_type())
    return isinstance(pk, int) and low <= pk <= high


def refuse_case_read(request: HttpRequest, family_id: int | None) -> NoReturn:
    """Answer 404, and count the refusal against the person: per hour, with the family
    number tried (``liaison.audit.refusals``). The refusal that reaches the threshold of
    the hour tells the administrators, once."""
    user = request.user
    if user.is_authenticated:
        refusal = refused_read_record(user=user, family_id=_family_number(family_id))
        if refused_reads_claim_alert(refusal=refusal):
            notify_refused_reads(list(administrators_to_alert()))
    raise Http404


def _family_number(family_id) -> int | None:
    try:
        return int(family_id)
    except (TypeError, ValueError):
        return None


def log_case_read(request: HttpRequest, family: Family, action: str) -> None:
    """Every read of a case lands in the audit trail: who, which family, which page, and
    whether only emergency access let them in. That emergency access stays on the family
    for the page to show (``family.break_glass``)."""
    detail = {"path": request.path, "access": action}
    family.break_glass = _read_by_break_glass(request.user, family, action)
    if family.break_glass is not None:
        detail |= {"break_glass": True, "break_glass_access": family.break_glass.pk}
    audit_record(
        action=AuditAction.CASE_VIEWED,
        actor=request.user,
        target=family,
        family=family,
        detail=detail,
    )


def _read_by_break_glass(user, family: Family, action: str) -> BreakGlassAccess | None:
    """The emergency access this read rests on, when the usual access would not allow it.
    An officer's own family and a supervisor's team are told apart without a query; any
    other read by an officer or supervisor costs one."""
    if action != VIEW or getattr(user, "role", None) not in BREAK_GLASS_ROLES:
        return None
    own_family = user.role == Role.OFFICER and family.liaison_officer_id == user.pk
    own_team = user.role == Role.SUPERVISOR and family.team_id == user.team_id
    if own_family or own_team:
        return None
    usual = _usual_family_filter(user, VIEW)
    return (
        BreakGlassAccess.objects.filter(user=user, family=family, expires_at__gt=Now())
        .exclude(family__in=Family.objects.filter(usual).values("pk"))
        .only("pk", "expires_at")
        .order_by("-expires_at")
        .first()
    )


def can_break_glass(user) -> bool:
    """Whether this person may ever take emergency access: officers and supervisors only."""
    return can(user, VIEW) and user.role in BREAK_GLASS_ROLES
