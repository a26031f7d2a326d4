"""Supervised closure (``families.models.ClosureRequest``): the officer asks, a supervisor
of the team approves or refuses with a reason; a closed case stays readable for the team
for the team's months, a supervisor may reopen it, and then it moves to the archive.
Each write is one transaction with its audit event."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import ClosureDecision, ClosureRequest, Family, FamilyStatus
from families.services.audit import record_case_change
from families.services.case import family_archive, family_close
from liaison.accounts.models import Role, User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.validators import validate_length

REASON_MAX_LENGTH = 2000
ALREADY_ASKED = _("A supervisor has already been asked to close this case.")
NOT_PENDING = _("This request has already been decided.")
NOT_CLOSED = _("Only a closed case that is not in the archive can be reopened.")


def _reason(text: str, field: str, message) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    validate_length(text, REASON_MAX_LENGTH, field=field)
    return text


@transaction.atomic
def closure_request(*, family: Family, requested_by: User, closing_reason: str) -> ClosureRequest:
    """The officer asks a supervisor to close the case. A supervisor who closes it
    decides at once: their own request is approved with their reason."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    closing_reason = _reason(closing_reason, "closing_reason", _("Give the reason for closing the case."))
    if family.status == FamilyStatus.CLOSED:
        raise ValidationError(_("This case is closed."))
    if ClosureRequest.objects.filter(family=family, decided_at__isnull=True).exists():
        raise ValidationError(ALREADY_ASKED)
    request = ClosureRequest.objects.create(
        family=family, closing_reason=closing_reason, requested_at=timezone.now(), requested_by=requested_by
    )
    record_case_change(actor=requested_by, family=family, target=request, what="closure_requested")
    if requested_by.role == Role.SUPERVISOR:
        return closure_decide(closure=request, supervisor=requested_by, approve=True, reason=closing_reason)
    return request


@transaction.atomic
def closure_decide(*, closure: ClosureRequest, supervisor: User, approve: bool, reason: str) -> ClosureRequest:
    """Approve (the case closes now) or refuse (it stays open); the reason is the officer's to read."""
    closure = ClosureRequest.objects.select_for_update().select_related("family").get(pk=closure.pk)
    if not closure.pending:
        raise ValidationError(NOT_PENDING)
    reason = _reason(reason, "reason", _("Give the reason for your decision."))
    closure.decision = ClosureDecision.APPROVED if approve else ClosureDecision.REFUSED
    closure.decision_reason, closure.decided_at, closure.decided_by = reason, timezone.now(), supervisor
    closure.save(update_fields=["decision", "decision_reason", "decided_at", "decided_by"])
    record_case_change(
        actor=supervisor,
        family=closure.family,
        target=closure,
        what="closure_decided",
        detail={"decision": closure.decision},
    )
    if approve:
        family_close(family=closure.family, closed_by=supervisor, closing_reason=closure.closing_reason)
    return closure


@transaction.atomic
def closed_family_reopen(*, family: Family, supervisor: User, reason: str) -> Family:
    """The family needs support again (relapse is common): the case is open again with
    its own officer; the reason is audited."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    reason = _reason(reason, "reason", _("Give the reason for reopening the case."))
    if family.status != FamilyStatus.CLOSED or family.archived_at is not None:
        raise ValidationError(NOT_CLOSED)
    family.status, family.closed_on, family.closing_reason = FamilyStatus.ACTIVE, None, ""
    family.save(update_fields=["status", "closed_on", "closing_reason", "updated_at"])
    audit_record(
        action=AuditAction.CASE_REOPENED, actor=supervisor, target=family, family=family, detail={"reason": reason}
    )
    return family


def archive_on(family: Family) -> date | None:
    """The day a closed case moves to the archive: its closing day plus the team's months."""
    if family.closed_on is None:
        return None
    return _months_after(family.closed_on, family.team.closed_readable_months)


def _months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def closed_families_archive(*, today: date | None = None) -> int:
    """Move every closed case whose readable months have passed to the archive (run daily
    by ``archive_closed_cases``). Returns how many moved."""
    today = today or timezone.localdate()
    due = Family.objects.filter(status=FamilyStatus.CLOSED, archived_at__isnull=True).select_related("team")
    moved = 0
    for family in due:
        if archive_on(family) <= today:
            family_archive(family=family)
            moved += 1
    return moved
