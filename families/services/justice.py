"""Recording the justice journey: the criminal cases of a family, their milestones done
or planned, and the police's approval of what the parents may read.

A parents' text reaches the portal only once a police partner approved it; any later
change to that text (or to a date the parents may see) takes the approval back, so the
parents never read words the police did not allow."""

import hashlib
from datetime import date, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from families.models import CaseMilestone, Child, CriminalCase, Family, HouseholdMember, MilestoneKind
from families.services.audit import record_case_change
from families.services.household import person_shut_out, suspicion_mark
from liaison.access import check_parents_reachable
from liaison.accounts.models import User
from liaison.notifications import notify_parents
from liaison.validators import NOT_IN_FUTURE, TOO_LONG, is_in_future

CASE_FIELDS = (
    "child",
    "police_reference",
    "opened_on",
    "people_of_concern",
    "suspected_caregiver",
    "staff_detail",
    "impact_statement_wanted",
    "impact_statement_prepared",
    "compensation_claimed",
    "victim_support_involved",
)
MILESTONE_FIELDS = (
    "kind",
    "occurs_on",
    "is_planned",
    "court",
    "hearing_kind",
    "staff_detail",
    "parents_text",
    "parent_attends",
    "officer_attends",
    "separate_waiting_room",
    "transport_arranged",
)
HEARING_ONLY_FIELDS = ("court", "hearing_kind", "parent_attends", "officer_attends")
TEXT_FIELDS = ("police_reference", "people_of_concern", "staff_detail", "parents_text", "court", "police_note")
MAX_TEXT_LENGTH = 5000
PLANNED_AHEAD_AT_MOST = timedelta(days=3653)
APPROVAL_FIELDS = ["approved_at", "approved_by", "parents_see_date", "shown_despite_suspect", "updated_at"]


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _clean_texts(values: dict) -> dict:
    return {
        name: value.strip() if name in TEXT_FIELDS and isinstance(value, str) else value
        for name, value in values.items()
    }


def check_case(*, family: Family, values: dict, case: CriminalCase | None = None) -> dict:
    """What is wrong with a criminal case's fields, by field; empty when all is well."""
    errors: dict[str, list] = {}
    child: Child | None = values.get("child")
    if child is not None and child.family_id != family.pk:
        _add(errors, "child", _("Choose a child of this family."))
    caregiver: HouseholdMember | None = values.get("suspected_caregiver")
    if caregiver is not None and caregiver.family_id != family.pk:
        _add(errors, "suspected_caregiver", _("Choose a caregiver of this family."))
    opened_on = values.get("opened_on")
    if is_in_future(opened_on):
        _add(errors, "opened_on", NOT_IN_FUTURE)
    if case is not None and opened_on is not None:
        if case.ended_on is not None and opened_on > case.ended_on:
            _add(
                errors,
                "opened_on",
                _("The case cannot start after it ended (%(date)s).") % {"date": _short(case.ended_on)},
            )
        first = case.milestones.order_by("occurs_on").values_list("occurs_on", flat=True).first()
        if first is not None and opened_on > first:
            _add(
                errors,
                "opened_on",
                _("The case cannot start after its first step (%(date)s).") % {"date": _short(first)},
            )
    for name in TEXT_FIELDS:
        if len(values.get(name) or "") > MAX_TEXT_LENGTH:
            _add(errors, name, TOO_LONG % {"limit": MAX_TEXT_LENGTH})
    return errors


def _earliest(others, kinds: set[str]) -> date | None:
    days = [other.occurs_on for other in others if other.kind in kinds]
    return min(days) if days else None


def check_milestone(*, case: CriminalCase, values: dict, milestone: CaseMilestone | None = None) -> dict:
    """What is wrong with a milestone in its case, by field: a step before the case
    started (an end before the start), a hearing before the report, a report after a
    hearing, a verdict without a hearing; a step in the future must be planned."""
    errors: dict[str, list] = {}
    kind, occurs_on = values.get("kind"), values.get("occurs_on")
    if kind == MilestoneKind.HEARING and not values.get("hearing_kind"):
        _add(errors, "hearing_kind", _("Choose the kind of hearing."))
    if kind == MilestoneKind.HEARING and not (values.get("court") or "").strip():
        _add(errors, "court", _("Give the court where the hearing is held."))
    if not kind or occurs_on is None:
        return errors
    if occurs_on > timezone.localdate() and not values.get("is_planned"):
        _add(
            errors, "is_planned", _("This date is in the future: tick 'planned' for a step that has not happened yet.")
        )
    if occurs_on < case.opened_on:
        message = (
            _("The case cannot end before it started (%(date)s).")
            if kind == MilestoneKind.CASE_ENDED
            else _("A step cannot be before the case started (%(date)s).")
        )
        _add(errors, "occurs_on", message % {"date": _short(case.opened_on)})
    others = [other for other in case.milestones.all() if milestone is None or other.pk != milestone.pk]
    report_on = _earliest(others, {MilestoneKind.REPORT_MADE})
    if kind == MilestoneKind.HEARING and report_on is not None and occurs_on < report_on:
        _add(
            errors,
            "occurs_on",
            _("A hearing cannot be before the report to the police (%(date)s).") % {"date": _short(report_on)},
        )
    first_hearing = _earliest(others, {MilestoneKind.HEARING})
    if kind == MilestoneKind.REPORT_MADE and first_hearing is not None and occurs_on > first_hearing:
        _add(
            errors,
            "occurs_on",
            _("The report cannot be after a hearing of this case (%(date)s).") % {"date": _short(first_hearing)},
        )
    if kind == MilestoneKind.VERDICT:
        # A verdict that happened needs a hearing that happened before it.
        held = [other for other in others if values.get("is_planned") or not other.is_planned]
        hearing_before = _earliest(held, {MilestoneKind.HEARING})
        if hearing_before is None or hearing_before > occurs_on:
            _add(errors, "kind", _("A verdict follows a court hearing: record the hearing first."))
    first_verdict = _earliest(others, {MilestoneKind.VERDICT})
    is_hearing = kind == MilestoneKind.HEARING
    hearings_left = [other.occurs_on for other in others if other.kind == MilestoneKind.HEARING]
    if is_hearing:
        hearings_left.append(occurs_on)
    if milestone is not None and first_verdict is not None and not any(d <= first_verdict for d in hearings_left):
        _add(
            errors,
            "occurs_on" if is_hearing else "kind",
            _("The verdict of %(date)s would be left without a hearing before it.") % {"date": _short(first_verdict)},
        )
    if occurs_on > timezone.localdate() + PLANNED_AHEAD_AT_MOST:
        _add(errors, "occurs_on", _("Plan at most ten years ahead."))
    return errors


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def criminal_case_record(*, family: Family, created_by: User, police_note: str | None = None, **values) -> CriminalCase:
    """A criminal case about a child of the family, as far as it is known."""
    values = _clean_texts(values)
    _raise(check_case(family=family, values=values))
    case = CriminalCase(family=family, created_by=created_by, police_note=(police_note or "").strip(), **values)
    case.full_clean()
    case.save()
    record_case_change(
        actor=created_by,
        family=family,
        target=case,
        what="criminal_case_recorded",
        detail={"child": case.child_id, "caregiver_suspect": case.suspected_caregiver_id is not None},
    )
    if case.suspected_caregiver is not None:
        _mark_named_suspect(case.suspected_caregiver, created_by)
    return case


@transaction.atomic
def criminal_case_update(
    *, case: CriminalCase, changed_by: User, police_note: str | None = None, **values
) -> CriminalCase:
    """Change what is known of the case and the victims' and parents' rights and support.
    ``police_note`` None leaves the police-only note as it is (officers never send it)."""
    case = CriminalCase.objects.select_for_update().select_related("family").get(pk=case.pk)
    values = _clean_texts(values)
    if police_note is not None:
        values["police_note"] = police_note.strip()
    _raise(check_case(family=case.family, values=values, case=case))
    changed = sorted(name for name, value in values.items() if getattr(case, name) != value)
    for name in changed:
        setattr(case, name, values[name])
    if changed:
        case.full_clean()
        case.save()
        record_case_change(
            actor=changed_by, family=case.family, target=case, what="criminal_case_changed", detail={"fields": changed}
        )
    if "suspected_caregiver" in changed:
        _withdraw_every_approval(case, changed_by)
        if case.suspected_caregiver is not None:
            _mark_named_suspect(case.suspected_caregiver, changed_by)
    return case


def _mark_named_suspect(member: HouseholdMember, actor: User) -> None:
    """A caregiver named as the suspect is marked suspected as a person, so that naming
    nobody later leaves them shut out: only a supervisor lifts the mark, with a reason
    (``suspicion_lift``)."""
    if member.is_suspected:
        person_shut_out(member=member, actor=actor)
    else:
        suspicion_mark(
            member=member, marked_by=actor, reason=_("Named as the suspect of a criminal case of the family.")
        )


def _withdraw_every_approval(case: CriminalCase, actor: User) -> None:
    """Who the suspect is decides what the parents may read: when it changes, the police
    decide every text anew (nothing held back is released by the change)."""
    approved = case.milestones.select_for_update().filter(approved_at__isnull=False)
    withdrawn = list(approved.values_list("pk", flat=True))
    if not withdrawn:
        return
    approved.update(approved_at=None, approved_by=None, parents_see_date=False, shown_despite_suspect=False)
    record_case_change(
        actor=actor,
        family=case.family,
        target=case,
        what="milestone_approvals_withdrawn",
        detail={"milestones": withdrawn, "because": "suspect_changed"},
    )


def _tidy(values: dict) -> dict:
    """Court, kind of hearing and attendance belong to hearings only."""
    values = _clean_texts(values)
    if values.get("kind") != MilestoneKind.HEARING:
        for name in HEARING_ONLY_FIELDS:
            values[name] = "" if name in ("court", "hearing_kind") else False
    return values


def _set_case_end(case: CriminalCase) -> None:
    """The case ends on its latest 'end of the case' step that happened; correcting that
    step (to planned, or to another kind) opens the case again, reminders included."""
    ends = case.milestones.filter(kind=MilestoneKind.CASE_ENDED, is_planned=False).order_by("-occurs_on")
    ended_on = ends.values_list("occurs_on", flat=True).first()
    if case.ended_on != ended_on:
        case.ended_on = ended_on
        case.save(update_fields=["ended_on", "updated_at"])


@transaction.atomic
def milestone_record(
    *, case: CriminalCase, created_by: User, police_note: str | None = None, **values
) -> CaseMilestone:
    """A step of the case that happened, or one planned ahead with its date. It waits for
    the police's approval before the parents read anything of it."""
    case = CriminalCase.objects.select_for_update().select_related("family").get(pk=case.pk)
    values = _tidy(values)
    _raise(check_milestone(case=case, values=values))
    milestone = CaseMilestone(case=case, created_by=created_by, police_note=(police_note or "").strip(), **values)
    milestone.full_clean()
    milestone.save()
    _set_case_end(case)
    record_case_change(
        actor=created_by,
        family=case.family,
        target=milestone,
        what="milestone_recorded",
        detail={"case": case.pk, "kind": milestone.kind, "planned": milestone.is_planned},
    )
    return milestone


def _needs_new_approval(milestone: CaseMilestone, values: dict) -> bool:
    """What the parents read changes: the text, the kind of step (a hearing is headed as
    one), or a date they may see."""
    text_changed = values.get("parents_text", milestone.parents_text) != milestone.parents_text
    kind_changed = values.get("kind", milestone.kind) != milestone.kind
    date_changed = values.get("occurs_on", milestone.occurs_on) != milestone.occurs_on
    return milestone.is_approved and (text_changed or kind_changed or (date_changed and milestone.parents_see_date))


@transaction.atomic
def milestone_update(
    *, milestone: CaseMilestone, changed_by: User, police_note: str | None = None, **values
) -> CaseMilestone:
    """Correct a step, mark a planned step as happened, or record who attends a hearing.
    A changed parents' text (or a changed date the parents may see) needs approving again."""
    case = CriminalCase.objects.select_for_update().select_related("family").get(pk=milestone.case_id)
    # Locked like an approval or its withdrawal, so neither is lost to this save.
    milestone = CaseMilestone.objects.select_for_update().get(pk=milestone.pk)
    values = _tidy(values)
    if police_note is not None:
        values["police_note"] = police_note.strip()
    _raise(check_milestone(case=case, values=values, milestone=milestone))
    approval_withdrawn = _needs_new_approval(milestone, values)
    changed = sorted(name for name, value in values.items() if getattr(milestone, name) != value)
    for name in changed:
        setattr(milestone, name, values[name])
    if approval_withdrawn:
        milestone.approved_at = milestone.approved_by = None
    if changed:
        milestone.full_clean()
        milestone.save()
        _set_case_end(case)
        record_case_change(
            actor=changed_by,
            family=case.family,
            target=milestone,
            what="milestone_changed",
            detail={"fields": changed, "approval_withdrawn": approval_withdrawn},
        )
    return milestone


def approval_version(milestone: CaseMilestone) -> str:
    """A fingerprint of what the police approve: the kind of step, the parents' text and
    the date."""
    read = f"{milestone.kind}\n{milestone.parents_text}\n{milestone.occurs_on.isoformat()}"
    return hashlib.sha256(read.encode()).hexdigest()


def visible_to_parents(milestone: CaseMilestone) -> bool:
    """Whether the parents' portal shows this milestone: approved, with a text, and where
    a caregiver of the family is the suspect, approved for the other parent explicitly."""
    if not (milestone.is_approved and milestone.parents_text):
        return False
    return milestone.case.suspected_caregiver_id is None or milestone.shown_despite_suspect


@transaction.atomic
def milestone_approve(
    *,
    milestone: CaseMilestone,
    officer: User,
    parents_see_date: bool = False,
    shown_despite_suspect: bool = False,
    read_version: str | None = None,
    notify: bool = True,
) -> CaseMilestone:
    """A police partner of the family's unit allows the parents to read the parents' text
    (and, if they say so, the date). The parents hear only that there is something new
    (``notify=False`` only for demo data, which must not send mail)."""
    milestone = CaseMilestone.objects.select_for_update().select_related("case__family").get(pk=milestone.pk)
    check_parents_reachable(milestone.case.family)
    was_visible = visible_to_parents(milestone)
    if read_version is not None and read_version != approval_version(milestone):
        raise ValidationError(
            _("The text or the date changed while you were reading it. Read it again before you approve it.")
        )
    if not milestone.parents_text:
        raise ValidationError({"__all__": [_("Write a text for the parents before approving it.")]})
    if milestone.case.suspected_caregiver_id is None:
        shown_despite_suspect = False
    milestone.approved_at, milestone.approved_by = timezone.now(), officer
    milestone.parents_see_date, milestone.shown_despite_suspect = parents_see_date, shown_despite_suspect
    milestone.save(update_fields=APPROVAL_FIELDS)
    family = milestone.case.family
    record_case_change(
        actor=officer,
        family=family,
        target=milestone,
        what="milestone_approved_for_parents",
        detail={"date_shown": parents_see_date, "shown_despite_suspect": shown_despite_suspect},
    )
    if notify and visible_to_parents(milestone) and not was_visible:
        transaction.on_commit(partial(notify_parents, family))
    return milestone


@transaction.atomic
def milestone_approval_withdraw(*, milestone: CaseMilestone, officer: User) -> CaseMilestone:
    """The police take back what the parents may read; the portal no longer shows it."""
    milestone = CaseMilestone.objects.select_for_update().select_related("case__family").get(pk=milestone.pk)
    milestone.approved_at = milestone.approved_by = None
    milestone.parents_see_date = milestone.shown_despite_suspect = False
    milestone.save(update_fields=APPROVAL_FIELDS)
    record_case_change(
        actor=officer, family=milestone.case.family, target=milestone, what="milestone_approval_withdrawn"
    )
    return milestone
