"""Protective mode in the access policy (``families.models.ProtectiveMode``): from the
moment it starts, nothing new reaches any parent of the family. No e-mail goes to them,
no new message, plan or police text can be sent to them, and every page, PDF and count
of the portal shows the family as it stood when the mode started, so that nothing in
it reveals the mode. It ends when a caregiver is marked suspected or the concern is
closed; then the trusted parent's channels reopen (the suspect's stay shut)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from families.models import Family, ProtectiveMode
from liaison.access.people import portal_users_of

PROTECTIVE_MODE_HOLDS = _(
    "Protective mode holds for this family: nothing new goes to the parents until a caregiver "
    "is marked suspected or the concern is closed."
)

_UNKNOWN = object()


def _holding(family: Family | int) -> QuerySet[ProtectiveMode]:
    return ProtectiveMode.objects.filter(family=family, ended_at__isnull=True)


def open_protective_mode(family: Family) -> ProtectiveMode | None:
    return _holding(family).first()


def parents_see_until_rows(family_id: int) -> QuerySet:
    """``parents_see_until`` as a ``.values()`` queryset of at most one row (for
    ``read_together``); ``remember_parents_see_until`` keeps its answer on the family."""
    return _holding(family_id).values("started_at")[:1]


def remember_parents_see_until(family: Family, rows: list[dict]) -> datetime | None:
    """Keep what ``parents_see_until_rows`` read for this family, as ``parents_see_until`` would."""
    family._parents_see_until = rows[0]["started_at"] if rows else None
    return family._parents_see_until


def parents_see_until(family: Family) -> datetime | None:
    """The moment the portal stands still at: the start of protective mode, or None when
    the parents see everything as it comes. Asked once per family object per request."""
    known = getattr(family, "_parents_see_until", _UNKNOWN)
    if known is _UNKNOWN:
        known = _holding(family).values_list("started_at", flat=True).first()
        family._parents_see_until = known
    return known


def parents_to_tell(family: Family) -> QuerySet:
    """Who may be told that something is new in the portal: its users, except while
    protective mode holds, when no parent is told anything."""
    if _holding(family).exists():
        return portal_users_of(family).none()
    return portal_users_of(family)


def check_parents_reachable(family: Family) -> None:
    """Refuse, with the reason, anything that would send something new to the parents.
    Asks the database afresh, inside the caller's transaction."""
    if _holding(family).exists():
        raise ValidationError(PROTECTIVE_MODE_HOLDS, code="protective_mode")
