"""Writing to the audit trail. An event is appended with the hash of its own content,
without a lock and without reading the trail: the sealer (``liaison.audit.seals``)
seals it into the chain of seals within seconds."""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Model
from django.utils import timezone

from liaison.audit.models import AuditAction, AuditEvent
from liaison.fragments import data_changed

# What the first link of a chain points back to.
GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditContext:
    """Who is acting and from where, for events raised outside a view (signals, admin).
    The address is asked for only when an event is written: most requests write none."""

    user: object = None
    address: Callable[[], str | None] = lambda: None


# Events that change nothing any page shows: reading, signing in and out. Every other
# event is a change, and throws away the kept page fragments that may show it.
NOTHING_CHANGED = frozenset(
    {
        AuditAction.CASE_VIEWED,
        AuditAction.CASE_LIST_VIEWED,
        AuditAction.SIGN_IN,
        AuditAction.SIGN_IN_FAILED,
        AuditAction.SIGN_OUT,
        AuditAction.SECOND_FACTOR_VERIFIED,
        AuditAction.SECOND_FACTOR_FAILED,
        AuditAction.SESSION_EXPIRED,
        AuditAction.LOCKED_OUT,
    }
)

_NO_CONTEXT = AuditContext()
current_context: ContextVar[AuditContext] = ContextVar("audit_context", default=_NO_CONTEXT)


def audit_record(
    *,
    action: AuditAction,
    actor=None,
    actor_email: str = "",
    target: Model | None = None,
    family: Model | None = None,
    family_id: int | None = None,
    ip_address: str | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event to the trail (one INSERT: it needs no transaction of its own, nor
    a savepoint in the caller's). Actor and address default to the current request.
    Give the ``family`` when it is at hand: a change then throws away only the kept pages
    of its team; known by ``family_id`` alone, it throws away every team's."""
    if family is not None:
        family_id = family.pk
    context = current_context.get()
    actor = actor if actor is not None else context.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor,
        actor_email=actor_email or (actor.email if actor else ""),
        action=action,
        object_type=target._meta.label if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        family_id=family_id,
        ip_address=ip_address or context.address(),
        detail=detail or {},
    )
    event.hash = event.compute_hash()
    event.save(force_insert=True)
    if action not in NOTHING_CHANGED:
        data_changed(team_id=getattr(family, "team_id", None))
    return event
