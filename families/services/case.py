"""Opening, editing and closing a family case; the one liaison officer at every moment;
formal handovers between officers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Family, FamilyStatus, Handover, LiaisonAssignment
from families.services.audit import record_case_change
from liaison.accounts.models import Role, User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.privacy.models import RetentionApplied


def _check_officer(officer: User, team) -> None:
    if not (officer.is_active and officer.role == Role.OFFICER and officer.team_id == team.pk):
        raise ValidationError({"liaison_officer": _("Choose an active liaison officer of the team.")})


@transaction.atomic
def family_open(*, created_by: User, officer: User, **fields) -> Family:
    """Open a case from a referral; the officer becomes its one named contact point."""
    team = officer.team
    _check_officer(officer, team)
    family = Family(team=team, liaison_officer=officer, created_by=created_by, **fields)
    family.full_clean(exclude=["reference"])
    family.save()
    LiaisonAssignment.objects.create(family=family, officer=officer, started_at=timezone.now(), created_by=created_by)
    audit_record(action=AuditAction.CASE_CREATED, actor=created_by, target=family, family=family)
    return family


@transaction.atomic
def family_update(*, family: Family, changed_by: User, **fields) -> Family:
    changed = {name: value for name, value in fields.items() if getattr(family, name) != value}
    for name, value in changed.items():
        setattr(family, name, value)
    if family.status == FamilyStatus.CLOSED and family.closed_on is None:
        family.closed_on = timezone.localdate()
    if family.status != FamilyStatus.CLOSED:
        family.closed_on = None
    family.full_clean(exclude=["reference"])
    if family.status in (FamilyStatus.CLOSING, FamilyStatus.CLOSED) and not family.closing_reason.strip():
        raise ValidationError({"closing_reason": _("Give the reason for closing the case.")})
    family.save()
    record_case_change(
        actor=changed_by, family=family, target=family, what="family_updated", detail={"fields": sorted(changed)}
    )
    return family


@transaction.atomic
def family_close(*, family: Family, closed_by: User, closing_reason: str) -> Family:
    """Close the case, as a supervisor decided (``families.services.closure``): it stays
    readable, never changeable, for the team until ``family_archive`` moves it on."""
    return family_update(family=family, changed_by=closed_by, status=FamilyStatus.CLOSED, closing_reason=closing_reason)


@transaction.atomic
def family_archive(*, family: Family, actor: User | None = None) -> Family:
    """Move a closed case to the archive: from then on only administrators open it."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if family.status != FamilyStatus.CLOSED or family.archived_at is not None:
        raise ValidationError(_("Only a closed case that is not yet in the archive can move to the archive."))
    family.archived_at = timezone.now()
    family.save(update_fields=["archived_at", "updated_at"])
    audit_record(action=AuditAction.CASE_ARCHIVED, actor=actor, target=family, family=family)
    return family


REOPEN_REASON_MIN_LENGTH = 20


@transaction.atomic
def family_reopen(*, family: Family, administrator: User, reason: str) -> Family:
    """Take a case out of the archive (the family is referred again, or it was closed by
    mistake). It is active again with its own officer and team; the reason is audited."""
    reason = reason.strip()
    if len(reason) < REOPEN_REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": _("Say in at least %(count)d characters why the case comes out of the archive.")
                % {"count": REOPEN_REASON_MIN_LENGTH}
            }
        )
    family = Family.objects.select_for_update().get(pk=family.pk)
    if family.archived_at is None:
        raise ValidationError(_("This case is not in the archive."))
    if family.anonymised_at is not None or RetentionApplied.objects.filter(family=family).exists():
        raise ValidationError(
            _("Retention has already removed records of this case: it cannot be reopened. Open a new case.")
        )
    family.status = FamilyStatus.ACTIVE
    family.closed_on = None
    family.closing_reason = ""
    family.archived_at = None
    family.save(update_fields=["status", "closed_on", "closing_reason", "archived_at", "updated_at"])
    audit_record(
        action=AuditAction.CASE_REOPENED,
        actor=administrator,
        target=family,
        family=family,
        detail={"reason": reason},
    )
    return family


@transaction.atomic
def handover_create(*, family: Family, supervisor: User, to_officer: User, reason: str, note: str) -> Handover:
    """Hand the case to another officer of the team. The assignment changes at once and
    without a gap; the new officer acknowledges the handover afterwards."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    _check_officer(to_officer, family.team)
    if to_officer.pk == family.liaison_officer_id:
        raise ValidationError({"to_officer": _("This officer already has the case.")})
    if Handover.objects.filter(family=family, acknowledged_at__isnull=True).exists():
        raise ValidationError(_("The previous handover has not been acknowledged yet."))
    if not reason.strip() or not note.strip():
        raise ValidationError(_("A handover needs a reason and a note for the new officer."))
    now = timezone.now()
    previous = family.liaison_officer
    LiaisonAssignment.objects.filter(family=family, ended_at__isnull=True).update(ended_at=now)
    LiaisonAssignment.objects.create(family=family, officer=to_officer, started_at=now, created_by=supervisor)
    family.liaison_officer = to_officer
    family.save(update_fields=["liaison_officer", "updated_at"])
    handover = Handover.objects.create(
        family=family,
        from_officer=previous,
        to_officer=to_officer,
        reason=reason.strip(),
        note=note.strip(),
        created_by=supervisor,
    )
    record_case_change(
        actor=supervisor,
        family=family,
        target=handover,
        what="handed_over",
        detail={"from": previous.pk, "to": to_officer.pk},
    )
    return handover


@transaction.atomic
def handover_acknowledge(*, handover: Handover, officer: User) -> Handover:
    if handover.to_officer_id != officer.pk:
        raise ValidationError(_("Only the officer who receives the case can acknowledge the handover."))
    if handover.acknowledged_at is not None:
        raise ValidationError(_("This handover was already acknowledged."))
    handover.acknowledged_at = timezone.now()
    handover.save(update_fields=["acknowledged_at"])
    record_case_change(actor=officer, family=handover.family, target=handover, what="handover_acknowledged")
    return handover
