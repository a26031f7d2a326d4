"""Who reads the hits of contexts across families: the police partners and analysts of a
police unit, for the families of that unit. Liaison officers and supervisors never do:
on their own family they only learn that the police were told of a link. Parents never
learn that contexts or matching exist."""

from django.http import Http404, HttpRequest

from liaison.accounts.models import UNIT_ROLES, Role


def context_hits_unit(user) -> int | None:
    """The police unit whose hits this person reads, or None."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if user.role in UNIT_ROLES and user.police_unit_id:
        return user.police_unit_id
    return None


def context_hits_units(user) -> tuple[int, ...]:
    """Every police unit whose hits this person reads: the patterns page filters over these.
    A person serves one unit for now (``User.police_unit``); when someone may serve more,
    this rule is the one place to say which."""
    unit = context_hits_unit(user)
    return () if unit is None else (unit,)


def context_hits_unit_or_404(request: HttpRequest) -> int:
    """The gate of the hits and patterns pages: 404 for everyone but police partners and
    analysts of a unit."""
    unit = context_hits_unit(request.user)
    if unit is None:
        raise Http404
    return unit


def may_download_patterns(user) -> bool:
    """The patterns as a CSV file: police partners only (an analyst reads them on screen)."""
    return context_hits_unit(user) is not None and user.role == Role.POLICE


def may_decide_context_access(user, access) -> bool:
    """A police partner of the unit that was asked decides on a request for access."""
    return context_hits_unit(user) == access.unit_id and user.role == Role.POLICE


def shows_family_details(user) -> bool:
    """Police partners see which families of their unit share a context (their references
    and notes); analysts see the contexts and the counts."""
    return context_hits_unit(user) is not None and user.role == Role.POLICE
