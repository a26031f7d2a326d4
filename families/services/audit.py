"""One way for family services to put a change in the audit trail."""

from django.db.models import Model

from families.models import Family
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record


def record_case_change(*, actor, family: Family, target: Model, what: str, detail: dict | None = None) -> None:
    """`what` names the change in the domain's words, e.g. 'contact_logged'."""
    audit_record(
        action=AuditAction.CASE_CHANGED,
        actor=actor,
        target=target,
        family=family,
        detail={"what": what, **(detail or {})},
    )
