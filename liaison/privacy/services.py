"""Changing the retention periods, in the audit trail with before and after."""

from django.db import transaction

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.privacy.models import RetentionPeriod
from liaison.privacy.retention import retention_periods


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
