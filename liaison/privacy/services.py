"""The writes of privacy work: retention periods (with before and after) and the record
of every subject access export and search in the audit trail."""

from django.db import transaction

from liaison.accounts.models import User
from liaison.audit.models import AuditAction, AuditEvent
from liaison.audit.services import audit_record
from liaison.privacy.models import RetentionPeriod
from liaison.privacy.retention import retention_periods
from liaison.privacy.subject_access.export import SubjectAccessExport


@transaction.atomic
def retention_periods_update(*, changed_by: User, years: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Save the periods that changed; returns them as kind: (before, after)."""
    before = retention_periods()
    changed = {kind: (before[kind], value) for kind, value in years.items() if before[kind] != value}
    for kind, (_old, value) in changed.items():
        RetentionPeriod.objects.update_or_create(record_kind=kind, defaults={"years": value, "changed_by": changed_by})
    if changed:
        audit_record(
            action=AuditAction.RETENTION_CHANGED,
            actor=changed_by,
            detail={"changed": {kind: {"before": old, "after": new} for kind, (old, new) in changed.items()}},
        )
    return changed


def subject_access_export_record(*, actor: User, export: SubjectAccessExport, file_format: str) -> AuditEvent:
    """Every export lands in the audit trail: who took which person's data, in which form."""
    return audit_record(
        action=AuditAction.CASE_VIEWED,
        actor=actor,
        target=export.subject.record,
        family_id=export.subject.family.pk,
        detail={"what": "subject_access_export", "subject": export.subject.token, "format": file_format},
    )


def subject_search_record(*, actor: User, found: int) -> AuditEvent:
    """A search shows names and family references to an administrator: it is logged,
    with how many people it found but not the words searched for (they are names)."""
    return audit_record(
        action=AuditAction.CASE_LIST_VIEWED,
        actor=actor,
        detail={"what": "subject_access_search", "found": found},
    )
