"""Starting, confirming and ending protective mode (``families.models.ProtectiveMode``).
Each write is one transaction with its audit event; what the mode shuts is decided by
the access policy (``liaison.access.protection``)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import Family, FamilyStatus, HouseholdMember, ProtectiveMode, ProtectiveModeEnd
from families.services.audit import record_case_change
from liaison.accounts.models import Role, User
from liaison.validators import validate_length

REASON_MAX_LENGTH = 2000
ALREADY_HOLDS = _("Protective mode already holds for this family.")
NO_LONGER_HOLDS = _("Protective mode no longer holds for this family.")
ALREADY_CONFIRMED = _("Protective mode is already confirmed.")
GIVE_A_REASON = _("Say why.")


def _reason(text: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: GIVE_A_REASON})
    validate_length(text, REASON_MAX_LENGTH, field=field)
    return text


def _locked_open_mode(family: Family) -> ProtectiveMode | None:
    return ProtectiveMode.objects.select_for_update().filter(family=family, ended_at__isnull=True).first()


@transaction.atomic
def protective_mode_start(*, family: Family, started_by: User, reason: str) -> ProtectiveMode:
    """It holds from this moment. Started by a supervisor, it is confirmed at once;
    started by an officer, a supervisor confirms it within the team's time."""
    family = Family.objects.select_for_update().select_related("team").get(pk=family.pk)
    reason = _reason(reason, "reason")
    if family.status == FamilyStatus.CLOSED:
        raise ValidationError(_("This case is closed."))
    if _locked_open_mode(family) is not None:
        raise ValidationError(ALREADY_HOLDS)
    now = timezone.now()
    by_supervisor = started_by.role == Role.SUPERVISOR
    mode = ProtectiveMode.objects.create(
        family=family,
        reason=reason,
        started_at=now,
        started_by=started_by,
        confirmation_due_at=now + timedelta(hours=family.team.protective_mode_confirm_hours),
        confirmed_at=now if by_supervisor else None,
        confirmed_by=started_by if by_supervisor else None,
    )
    record_case_change(actor=started_by, family=family, target=mode, what="protective_mode_started")
    return mode


@transaction.atomic
def protective_mode_confirm(*, family: Family, supervisor: User) -> ProtectiveMode:
    mode = _locked_open_mode(family)
    if mode is None:
        raise ValidationError(NO_LONGER_HOLDS)
    if mode.confirmed_at is not None:
        raise ValidationError(ALREADY_CONFIRMED)
    mode.confirmed_at, mode.confirmed_by = timezone.now(), supervisor
    mode.save(update_fields=["confirmed_at", "confirmed_by"])
    record_case_change(actor=supervisor, family=family, target=mode, what="protective_mode_confirmed")
    return mode


def _end(mode: ProtectiveMode, *, ended_by: User, end: str, note: str) -> ProtectiveMode:
    mode.ended_at, mode.ended_by, mode.end, mode.end_note = timezone.now(), ended_by, end, note
    mode.save(update_fields=["ended_at", "ended_by", "end", "end_note"])
    record_case_change(
        actor=ended_by, family=mode.family, target=mode, what="protective_mode_ended", detail={"end": end}
    )
    return mode


@transaction.atomic
def protective_mode_close(*, family: Family, ended_by: User, note: str) -> ProtectiveMode:
    """The concern is closed, with the reason: the parents' channels reopen."""
    note = _reason(note, "note")
    mode = _locked_open_mode(family)
    if mode is None:
        raise ValidationError(NO_LONGER_HOLDS)
    return _end(mode, ended_by=ended_by, end=ProtectiveModeEnd.CONCERN_CLOSED, note=note)


def protective_mode_end_for_suspect(*, member: HouseholdMember, actor: User) -> ProtectiveMode | None:
    """A caregiver of the family was named as suspected: the mode has done its work. The
    other parent's channels reopen; the suspect's stay shut by the access policy."""
    mode = _locked_open_mode(member.family)
    if mode is None:
        return None
    return _end(mode, ended_by=actor, end=ProtectiveModeEnd.SUSPECT_NAMED, note="")
