"""When a parent may be the exploiter: raising and closing the concern, the screen for
exploitation within the family, the child seen alone and the Meldcode steps. Each write
is one transaction with its audit event; the audit names what happened, never the text."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import (
    Child,
    Family,
    FamilyConcern,
    IntrafamilialScreen,
    Judgement,
    MeldcodeStep,
    MeldcodeStepKind,
    ProgressReview,
    ScreenOccasion,
    SeenAlone,
)
from families.models.concerns import SIGNAL_FIELDS, WEIGHING_FIELDS, WITH_REFERENCE
from families.services.audit import record_case_change
from liaison.accounts.models import User
from liaison.validators import NOT_IN_FUTURE, is_in_future

CONCERN_ALREADY_OPEN = _(
    "There is already an open concern for this family. Add to it, or close it first with a reason."
)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _required_text(errors: dict, field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(message)
    return value


def _happened(errors: dict, field: str, day: date | None, message: str) -> None:
    if day is None:
        errors.setdefault(field, []).append(message)
    elif is_in_future(day):
        errors.setdefault(field, []).append(NOT_IN_FUTURE)


def _lock(family: Family) -> Family:
    """One writer at a time per family for the open concern (the database allows one)."""
    return Family.objects.select_for_update().get(pk=family.pk)


def open_concern_of(family: Family) -> FamilyConcern | None:
    return FamilyConcern.objects.open().filter(family=family).first()


def _open_concern(*, family: Family, raised_by: User, reason: str) -> FamilyConcern:
    concern = FamilyConcern(family=family, raised_by=raised_by, reason=reason)
    try:
        with transaction.atomic():
            concern.save()
    except IntegrityError:
        raise ValidationError(CONCERN_ALREADY_OPEN, code="concern_open") from None
    record_case_change(actor=raised_by, family=family, target=concern, what="concern_raised")
    return concern


@transaction.atomic
def concern_raise(*, family: Family, raised_by: User, reason: str) -> FamilyConcern:
    """Raise the concern that a caregiver may be involved, at any moment, with a reason."""
    errors: dict = {}
    reason = _required_text(errors, "reason", reason, _("Say why you are concerned."))
    _raise(errors)
    family = _lock(family)
    if open_concern_of(family) is not None:
        raise ValidationError(CONCERN_ALREADY_OPEN, code="concern_open")
    return _open_concern(family=family, raised_by=raised_by, reason=reason)


@transaction.atomic
def concern_close(*, concern: FamilyConcern, closed_by: User, close_reason: str) -> FamilyConcern:
    """Close the concern with a reason: it is kept, with its steps, as history."""
    concern = FamilyConcern.objects.select_for_update().select_related("family").get(pk=concern.pk)
    if not concern.is_open:
        raise ValidationError(_("This concern is already closed."), code="closed")
    errors: dict = {}
    close_reason = _required_text(errors, "close_reason", close_reason, _("Say why the concern is closed."))
    _raise(errors)
    concern.closed_at = timezone.now()
    concern.closed_by = closed_by
    concern.close_reason = close_reason
    concern.save(update_fields=["closed_at", "closed_by", "close_reason", "updated_at"])
    record_case_change(actor=closed_by, family=concern.family, target=concern, what="concern_closed")
    return concern


@transaction.atomic
def screen_record(
    *,
    family: Family,
    created_by: User,
    screened_on: date,
    judgement: str,
    occasion: str = ScreenOccasion.OTHER,
    review: ProgressReview | None = None,
    note: str = "",
    **answers: str,
) -> IntrafamilialScreen:
    """The officer's answers to the screen and their judgement. A screen judged a concern
    (or a serious one) raises a concern with the note as its reason, or adds to the open one."""
    errors: dict = {}
    _happened(errors, "screened_on", screened_on, _("Give the date of the screen."))
    if screened_on is not None and screened_on < family.referral_on:
        errors.setdefault("screened_on", []).append(_("The screen cannot be before the referral of the case."))
    missing = [name for name in SIGNAL_FIELDS if not answers.get(name)]
    for name in missing:
        errors.setdefault(name, []).append(_("Answer yes, no or not known."))
    unknown = set(answers) - set(SIGNAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown signals {sorted(unknown)}")
    if judgement not in Judgement.values:
        errors.setdefault("judgement", []).append(_("Give your own judgement."))
    worried = judgement in (Judgement.CONCERN, Judgement.SERIOUS)
    note = (note or "").strip()
    if worried and not note:
        errors.setdefault("note", []).append(_("Say what worries you: it is the reason for the concern."))
    if review is not None and review.family_id != family.pk:
        errors.setdefault("review", []).append(_("Choose a review of this family."))
    _raise(errors)
    if review is not None:
        occasion = ScreenOccasion.REVIEW
    elif occasion == ScreenOccasion.REVIEW:
        occasion = ScreenOccasion.OTHER
    family = _lock(family)
    concern = None
    raised = False
    if worried:
        concern = open_concern_of(family)
        if concern is None:
            concern = _open_concern(family=family, raised_by=created_by, reason=note)
            raised = True
    screen = IntrafamilialScreen(
        family=family,
        created_by=created_by,
        occasion=occasion,
        review=review,
        screened_on=screened_on,
        note=note,
        judgement=judgement,
        concern=concern,
        **{name: answers[name] for name in SIGNAL_FIELDS},
    )
    screen.full_clean()
    screen.save()
    screen.raised_concern = raised
    record_case_change(
        actor=created_by,
        family=family,
        target=screen,
        what="screen_recorded",
        detail={"judgement": judgement, "occasion": occasion, "concern": concern.pk if concern else None},
    )
    return screen


@transaction.atomic
def seen_alone_record(
    *,
    family: Family,
    created_by: User,
    child: Child,
    seen_on: date,
    seen_by: str,
    agency: str,
    place: str,
    discussed: str,
) -> SeenAlone:
    """A professional saw the child without a parent present."""
    errors: dict = {}
    if child is None or child.family_id != family.pk:
        errors["child"] = [_("Choose a child of this family.")]
    _happened(errors, "seen_on", seen_on, _("Give the date the child was seen alone."))
    seen_by = _required_text(errors, "seen_by", seen_by, _("Give the name of the person who saw the child."))
    agency = _required_text(errors, "agency", agency, _("Give the agency of the person who saw the child."))
    place = _required_text(errors, "place", place, _("Say where the child was seen."))
    discussed = _required_text(
        errors, "discussed", discussed, _("Say what it was possible to discuss, or that nothing could be discussed.")
    )
    _raise(errors)
    seen = SeenAlone(
        family=family,
        child=child,
        created_by=created_by,
        seen_on=seen_on,
        seen_by=seen_by,
        agency=agency,
        place=place,
        discussed=discussed,
    )
    seen.full_clean()
    seen.save()
    record_case_change(
        actor=created_by, family=family, target=seen, what="seen_alone_recorded", detail={"child": child.pk}
    )
    return seen


@transaction.atomic
def meldcode_step_record(
    *,
    concern: FamilyConcern,
    created_by: User,
    kind: str,
    taken_on: date,
    taken_by: str,
    reference: str = "",
    note: str = "",
    next_on: date | None = None,
    decision: str = "",
    **weighing: str,
) -> MeldcodeStep:
    """A step of the Meldcode on an open concern: who, when, and the next date. Step 4
    answers the five weighing questions; step 5 records the decision."""
    concern = FamilyConcern.objects.select_for_update().select_related("family").get(pk=concern.pk)
    if not concern.is_open:
        raise ValidationError(_("This concern is closed. Raise a new concern to record new steps."), code="closed")
    unknown = set(weighing) - set(WEIGHING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown weighing questions {sorted(unknown)}")
    errors: dict = {}
    if kind not in MeldcodeStepKind.values:
        errors["kind"] = [_("Choose the step.")]
    _happened(errors, "taken_on", taken_on, _("Give the date of the step."))
    if taken_on is not None and taken_on < timezone.localtime(concern.raised_at).date():
        errors.setdefault("taken_on", []).append(_("The step cannot be before the concern was raised."))
    taken_by = _required_text(errors, "taken_by", taken_by, _("Give the name of the person who took the step."))
    if next_on is not None and taken_on is not None and next_on < taken_on:
        errors.setdefault("next_on", []).append(_("The next step cannot be before this one."))
    reference = (reference or "").strip()
    if kind in (MeldcodeStepKind.VEILIG_THUIS_REPORTED, MeldcodeStepKind.POLICE_REPORT) and not reference:
        errors.setdefault("reference", []).append(_("Give the reference of the report."))
    if kind not in WITH_REFERENCE:
        reference = ""
    if kind == MeldcodeStepKind.WEIGH:
        for name in WEIGHING_FIELDS:
            if not weighing.get(name):
                errors.setdefault(name, []).append(_("Answer yes, no or not known."))
    else:
        weighing = {}
    if kind == MeldcodeStepKind.DECIDE:
        if not decision:
            errors.setdefault("decision", []).append(_("Choose the decision."))
    else:
        decision = ""
    _raise(errors)
    step = MeldcodeStep(
        concern=concern,
        created_by=created_by,
        kind=kind,
        taken_on=taken_on,
        taken_by=taken_by,
        reference=reference,
        note=(note or "").strip(),
        next_on=next_on,
        decision=decision,
        **{name: weighing.get(name, "") for name in WEIGHING_FIELDS},
    )
    step.full_clean()
    step.save()
    record_case_change(
        actor=created_by,
        family=concern.family,
        target=step,
        what="meldcode_step_recorded",
        detail={"kind": kind, "concern": concern.pk, "decision": decision},
    )
    return step
