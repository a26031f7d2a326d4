"""Recording a supervision: the supervisor and the officer looked at how a family is
doing and wrote down what they agreed. The note joins the family's chronology."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from families.models import Family, SupervisionNote
from families.services.audit import record_case_change
from liaison.accounts.models import Role, User
from liaison.validators import NOT_BEFORE_REFERRAL, NOT_IN_FUTURE, is_in_future

NOTE_MAX_LENGTH = 5000


def note_error(note: str) -> str | None:
    if not note:
        return _("Write down what was discussed and agreed.")
    if len(note) > NOTE_MAX_LENGTH:
        return _("The note is too long. Write %(limit)s characters or fewer; it now has %(count)s.") % {
            "limit": NOTE_MAX_LENGTH,
            "count": len(note),
        }
    return None


def held_on_error(family: Family, held_on: date | None) -> str | None:
    if held_on is None:
        return _("Enter the date of the supervision.")
    if is_in_future(held_on):
        return NOT_IN_FUTURE
    if held_on < family.referral_on:
        return NOT_BEFORE_REFERRAL
    return None


def _officer_error(family: Family, officer: User | None) -> str | None:
    of_the_team = officer is not None and officer.role == Role.OFFICER and officer.team_id == family.team_id
    if not (of_the_team and officer.is_active):
        return _("Choose an active liaison officer of the team.")
    return None


@transaction.atomic
def supervision_note_record(
    *, family: Family, supervisor: User, officer: User | None = None, held_on: date, note: str
) -> SupervisionNote:
    """Without a named officer the supervision was held with the family's current one.
    The audit trail records that a note was written, never what it says."""
    note = (note or "").strip()
    officer = officer or family.liaison_officer
    errors = {
        "note": note_error(note),
        "held_on": held_on_error(family, held_on),
        "officer": _officer_error(family, officer),
    }
    if any(errors.values()):
        raise ValidationError({field: message for field, message in errors.items() if message})
    supervision = SupervisionNote.objects.create(
        family=family, officer=officer, held_on=held_on, note=note, created_by=supervisor
    )
    record_case_change(
        actor=supervisor,
        family=family,
        target=supervision,
        what="supervision_note_recorded",
        detail={"officer": officer.pk, "held_on": held_on.isoformat()},
    )
    return supervision
