"""Multi-agency meetings: scheduling, the agenda, the parents' words asked beforehand,
the minutes (decisions and actions) and the outcome note for the parents. Every write
checks who may do it in the access policy, validates, writes and records an audit event
that names what happened, never the text. A change of a meeting names the revision it
started from and is refused with ``MeetingConflict`` when someone else saved between."""

from datetime import date, time, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import (
    Agency,
    AgendaItem,
    AgendaItemKind,
    ContextHit,
    ContextLink,
    Family,
    HouseholdMember,
    ItemDecision,
    Meeting,
    MeetingAction,
    MeetingAttendance,
    MeetingKind,
    OutcomeNote,
    OutcomeNoteEarlierText,
    ParentsVoiceAnswer,
    ParentsVoiceRequest,
)
from families.models.meetings import MINUTES_ALLOTTED_MAX, MINUTES_ALLOTTED_WRONG
from families.selectors.contexts import hits_for_unit
from liaison.access import (
    agenda_contexts_for,
    agenda_families_for,
    agenda_hits_unit,
    check_parents_reachable,
    may_approve_outcome_note,
    may_ask_parents,
    may_schedule_meetings,
    may_write_outcome_note,
    meeting_owner_for,
    meetings_for,
    parents_to_tell,
    trusted_members,
)
from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.notifications import notify_parents

ALREADY_HELD = _("The meeting has already taken place: its agenda can no longer change.")
NOT_YET_HELD = _("The meeting has not taken place yet.")
CANCELLED = _("The meeting was cancelled.")
NO_PARENTS = _("No parent of this family can be reached in the portal.")
# The parents' words and the note to them: long enough for what matters, short enough to read.
WORDS_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 4000
NOTE_ALREADY_WRITTEN = "note_already_written"
NOTE_CHANGED_MEANWHILE = "note_changed_meanwhile"
NOTE_ALREADY_SENT = _("The note was already sent to the parents.")


def _too_long(field: str, text: str, limit: int) -> None:
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("This is too long. Write %(limit)s characters or fewer; it now has %(count)s.")
                % {"limit": limit, "count": len(text)}
            }
        )


WITHDRAWN = _("This item was taken off the agenda: nothing is minuted on it.")
# An action is due on the day of the meeting at the earliest and a year after it at the latest.
ACTION_DUE_WITHIN = timedelta(days=365)


class MeetingConflict(Exception):
    """Someone else saved the meeting after the revision the change started from."""


def _record(*, actor: User, target, what: str, family: Family | None = None, detail: dict | None = None) -> None:
    audit_record(
        action=AuditAction.MEETING_CHANGED,
        actor=actor,
        target=target,
        family=family,
        detail={"what": what, **(detail or {})},
    )


def _keeps(user: User, meeting: Meeting) -> None:
    """Only the supervisors of the meeting's team and the partners of its unit change it."""
    if not meetings_for(user).filter(pk=meeting.pk).exists():
        raise PermissionDenied


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


def _checked_meeting(
    *, kind: str, held_on: date | None, venue: str, is_online: bool, chair: str, attendances: list[tuple[str, str]]
) -> dict:
    errors: dict = {}
    if kind not in MeetingKind.values:
        errors["kind"] = [_("Choose the kind of meeting.")]
    if held_on is None:
        errors["held_on"] = [_("Give the date of the meeting.")]
    elif held_on < timezone.localdate():
        errors["held_on"] = [_("The date of a meeting being scheduled cannot be in the past.")]
    venue, chair = _clean_text(venue), _clean_text(chair)
    if not venue and not is_online:
        errors["venue"] = [_("Give the place of the meeting, or say that it is online.")]
    if not chair:
        errors["chair"] = [_("Give the name of the chair.")]
    agencies = [agency for agency, _people in attendances]
    if not agencies:
        errors["agencies"] = [_("Choose at least one attending agency.")]
    elif any(agency not in Agency.values for agency in agencies) or len(set(agencies)) != len(agencies):
        errors["agencies"] = [_("Choose each agency from the list, once.")]
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "held_on": held_on, "venue": venue, "is_online": bool(is_online), "chair": chair}


def _save_attendances(meeting: Meeting, attendances: list[tuple[str, str]]) -> dict:
    """Make the list of attending agencies the one given. A row that no longer holds (an
    agency taken off, or other people written down for it) is ended, never deleted, so
    the earlier lists stay on record. Returns what changed, by agency, for the audit."""
    wanted = {agency: _clean_text(people)[:300] for agency, people in attendances}
    current = {row.agency: row for row in MeetingAttendance.objects.filter(meeting=meeting).current()}
    removed = sorted(set(current) - set(wanted))
    added = sorted(set(wanted) - set(current))
    people_changed = sorted(agency for agency in set(wanted) & set(current) if current[agency].people != wanted[agency])
    ending = [current[agency].pk for agency in (*removed, *people_changed)]
    if ending:
        MeetingAttendance.objects.filter(pk__in=ending).update(ended_at=timezone.now())
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=meeting, agency=agency, people=wanted[agency]) for agency in (*added, *people_changed)
    )
    return {"agencies_added": added, "agencies_removed": removed, "people_changed": people_changed}


@transaction.atomic
def meeting_schedule(
    *,
    scheduled_by: User,
    kind: str,
    held_on: date | None,
    chair: str,
    attendances: list[tuple[str, str]],
    venue: str = "",
    is_online: bool = False,
    starts_at_time: time | None = None,
) -> Meeting:
    """A supervisor schedules a meeting of their team, a police partner one of their unit."""
    if not may_schedule_meetings(scheduled_by):
        raise PermissionDenied
    values = _checked_meeting(
        kind=kind, held_on=held_on, venue=venue, is_online=is_online, chair=chair, attendances=attendances
    )
    meeting = Meeting(
        created_by=scheduled_by, starts_at_time=starts_at_time, **values, **meeting_owner_for(scheduled_by)
    )
    meeting.full_clean()
    meeting.save()
    _save_attendances(meeting, attendances)
    _record(
        actor=scheduled_by,
        target=meeting,
        what="meeting_scheduled",
        detail={"kind": kind, "agencies": sorted(a for a, _p in attendances)},
    )
    return meeting


@transaction.atomic
def meeting_change(
    *,
    meeting: Meeting,
    changed_by: User,
    base_revision: int,
    kind: str,
    held_on: date | None,
    chair: str,
    attendances: list[tuple[str, str]],
    venue: str = "",
    is_online: bool = False,
    starts_at_time: time | None = None,
) -> Meeting:
    """Change when, where and with whom. Refused with ``MeetingConflict`` when someone
    else saved since ``base_revision``."""
    _keeps(changed_by, meeting)
    if meeting.cancelled_at is not None:
        raise ValidationError(CANCELLED)
    values = _checked_meeting(
        kind=kind, held_on=held_on, venue=venue, is_online=is_online, chair=chair, attendances=attendances
    )
    before = Meeting.objects.select_for_update().get(pk=meeting.pk)
    claimed = Meeting.objects.filter(pk=meeting.pk, revision=base_revision).update(
        revision=F("revision") + 1, updated_at=timezone.now(), starts_at_time=starts_at_time, **values
    )
    if not claimed:
        raise MeetingConflict
    attendance_changes = _save_attendances(meeting, attendances)
    meeting = Meeting.objects.get(pk=meeting.pk)
    fields = sorted(name for name in (*values, "starts_at_time") if getattr(before, name) != getattr(meeting, name))
    _record(
        actor=changed_by,
        target=meeting,
        what="meeting_changed",
        detail={"revision": meeting.revision, "fields": fields, **attendance_changes},
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, cancelled_by: User) -> Meeting:
    """A meeting that will not take place is cancelled, never deleted."""
    _keeps(cancelled_by, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.cancelled_at is None:
        meeting.cancelled_at = timezone.now()
        meeting.revision += 1
        meeting.save(update_fields=["cancelled_at", "revision", "updated_at"])
        _record(actor=cancelled_by, target=meeting, what="meeting_cancelled")
    return meeting


# A meeting's agenda is read on one page: a panel that needs more items meets again.
AGENDA_ITEMS_MAX = 40


def _check_open_agenda(meeting: Meeting) -> None:
    if meeting.cancelled_at is not None:
        raise ValidationError(CANCELLED)
    if meeting.held_on < timezone.localdate():
        raise ValidationError(ALREADY_HELD)


def _check_room_on_agenda(meeting: Meeting) -> None:
    if meeting.items.filter(withdrawn_at__isnull=True).count() >= AGENDA_ITEMS_MAX:
        raise ValidationError(
            _("The agenda is full: a meeting takes at most %(max)s items. Schedule another meeting for the rest.")
            % {"max": AGENDA_ITEMS_MAX}
        )


CHOOSE_CONTEXT = _("Choose a context from the list.")


def _chosen_context(
    user: User, meeting: Meeting, link: ContextLink | None, hit: ContextHit | None
) -> tuple[ContextLink | None, ContextHit | None, str]:
    """The context this person chose, if the access policy lets them choose it, and the
    field to name when it does not: a police partner chooses a hit of their unit, a
    supervisor a context of their team's families."""
    unit = agenda_hits_unit(user, meeting)
    if unit is not None:
        if hit is not None and hits_for_unit(unit).filter(pk=hit.pk).exists():
            return None, hit, ""
        return None, None, "context_hit"
    if link is not None and agenda_contexts_for(user, meeting).filter(pk=link.pk).exists():
        return link, None, ""
    return None, None, "context_link"


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    added_by: User,
    kind: str,
    presenter: str,
    minutes_allotted: int | None,
    family: Family | None = None,
    context_link: ContextLink | None = None,
    context_hit: ContextHit | None = None,
    concern_name: str = "",
    concern_detail: str = "",
) -> AgendaItem:
    """Put a family, a context or a person of concern on the agenda, with a presenter and
    the minutes it may take. A family only when everyone who keeps the meeting may see it;
    a context only as the access policy lets this person choose it: a supervisor one of
    their team's families' contexts, a police partner a hit of their unit."""
    _keeps(added_by, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_open_agenda(meeting)
    _check_room_on_agenda(meeting)
    errors: dict = {}
    presenter, concern_name, concern_detail = map(_clean_text, (presenter, concern_name, concern_detail))
    if kind not in AgendaItemKind.values:
        errors["kind"] = [_("Choose what the item is about.")]
    elif kind == AgendaItemKind.FAMILY:
        if family is None or not agenda_families_for(added_by, meeting).filter(pk=family.pk).exists():
            errors["family"] = [_("Choose a family of this meeting's team or unit.")]
        concern_name = concern_detail = ""
        context_link = context_hit = None
    elif kind == AgendaItemKind.CONTEXT:
        family, concern_name, concern_detail = None, "", ""
        context_link, context_hit, field = _chosen_context(added_by, meeting, context_link, context_hit)
        if field:
            errors[field] = [CHOOSE_CONTEXT]
    else:
        context_link = context_hit = None
        if not concern_name:
            errors["concern_name"] = [_("Give the name or nickname of the person of concern.")]
        family = None
    if not presenter:
        errors["presenter"] = [_("Give the name of the presenter.")]
    if minutes_allotted is None or not 1 <= minutes_allotted <= MINUTES_ALLOTTED_MAX:
        errors["minutes_allotted"] = [MINUTES_ALLOTTED_WRONG]
    if errors:
        raise ValidationError(errors)
    position = (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        kind=kind,
        family=family,
        context_link=context_link,
        context_hit=context_hit,
        concern_name=concern_name,
        concern_detail=concern_detail,
        presenter=presenter,
        minutes_allotted=minutes_allotted,
        position=position,
        created_by=added_by,
    )
    item.full_clean()
    item.save()
    _record(actor=added_by, target=item, family=family, what="agenda_item_added", detail={"kind": kind})
    return item


@transaction.atomic
def agenda_item_withdraw(*, item: AgendaItem, withdrawn_by: User) -> AgendaItem:
    """Take an item off the agenda before the meeting; it stays on record as withdrawn."""
    _keeps(withdrawn_by, item.meeting)
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    _check_open_agenda(item.meeting)
    if item.withdrawn_at is None:
        item.withdrawn_at = timezone.now()
        item.save(update_fields=["withdrawn_at"])
        _record(actor=withdrawn_by, target=item, family=item.family, what="agenda_item_withdrawn")
    return item


@transaction.atomic
def parents_voice_ask(*, item: AgendaItem, asked_by: User, notify: bool = True) -> ParentsVoiceRequest:
    """The officer asks the parents, in the portal, what they want the meeting to know.
    Never while protective mode holds, and only trusted parents are ever told (a
    suspected caregiver is never asked). The e-mail says only that there is something new."""
    item = AgendaItem.objects.select_related("meeting", "family").get(pk=item.pk)
    if item.kind != AgendaItemKind.FAMILY or item.withdrawn_at is not None:
        raise ValidationError(_("Only the parents of a family on the agenda can be asked."))
    if not may_ask_parents(asked_by, item.family):
        raise PermissionDenied
    _check_open_agenda(item.meeting)
    check_parents_reachable(item.family)
    if not parents_to_tell(item.family).exists():
        raise ValidationError(NO_PARENTS, code="no_parents")
    request, created = ParentsVoiceRequest.objects.get_or_create(item=item, defaults={"asked_by": asked_by})
    if created:
        _record(actor=asked_by, target=request, family=item.family, what="parents_voice_asked")
        if notify:
            transaction.on_commit(partial(notify_parents, item.family))
    return request


@transaction.atomic
def parents_voice_answer(*, request: ParentsVoiceRequest, member: HouseholdMember, words: str) -> ParentsVoiceAnswer:
    """A trusted parent of the family writes what the meeting should know, as they wish.
    While protective mode holds the answer is taken like a message from the parents: a
    refusal would tell the parent that the mode holds (nothing new goes to them, but what
    they write still reaches the staff, who know about the mode)."""
    request = ParentsVoiceRequest.objects.select_related("item__meeting", "item__family").get(pk=request.pk)
    family = request.item.family
    if not trusted_members().filter(pk=member.pk, family=family, user__isnull=False).exists():
        raise PermissionDenied
    if request.item.withdrawn_at is not None or request.item.meeting.cancelled_at is not None:
        raise ValidationError(CANCELLED)
    if request.item.meeting.held_on < timezone.localdate():
        raise ValidationError(ALREADY_HELD)
    if not (words or "").strip():
        raise ValidationError({"words": [_("Write what you want the meeting to know.")]})
    _too_long("words", words, WORDS_MAX_LENGTH)
    answer = ParentsVoiceAnswer(request=request, member=member, words=words, created_by=member.user)
    answer.full_clean()
    answer.save()
    _record(actor=member.user, target=answer, family=family, what="parents_voice_answered")
    return answer


def _check_held(meeting: Meeting) -> None:
    if meeting.cancelled_at is not None:
        raise ValidationError(CANCELLED)
    if meeting.held_on > timezone.localdate():
        raise ValidationError(NOT_YET_HELD)


@transaction.atomic
def decision_record(*, item: AgendaItem, recorded_by: User, text: str) -> ItemDecision:
    """Minute a decision taken on an item."""
    _keeps(recorded_by, item.meeting)
    _check_held(item.meeting)
    if item.withdrawn_at is not None:
        raise ValidationError(WITHDRAWN)
    if not (text or "").strip():
        raise ValidationError({"text": [_("Write the decision.")]})
    decision = ItemDecision(item=item, text=text.strip(), created_by=recorded_by)
    decision.full_clean()
    decision.save()
    _record(actor=recorded_by, target=decision, family=item.family, what="decision_recorded")
    return decision


@transaction.atomic
def action_agree(
    *,
    meeting: Meeting,
    agreed_by: User,
    description: str,
    owner_agency: str,
    owner_person: str,
    due_on: date | None,
    item: AgendaItem | None = None,
) -> MeetingAction:
    """Minute an action agreed at the meeting: what, which agency, who, by when."""
    _keeps(agreed_by, meeting)
    _check_held(meeting)
    errors: dict = {}
    description, owner_person = _clean_text(description), _clean_text(owner_person)
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = [_("Choose an item of this meeting.")]
    elif item is not None and item.withdrawn_at is not None:
        raise ValidationError(WITHDRAWN)
    if not description:
        errors["description"] = [_("Say what is to be done.")]
    if owner_agency not in Agency.values:
        errors["owner_agency"] = [_("Choose the agency that owns the action.")]
    if not owner_person:
        errors["owner_person"] = [_("Give the name of the person who does it.")]
    if due_on is None:
        errors["due_on"] = [_("Give the date by which it is done.")]
    elif due_on < meeting.held_on:
        errors["due_on"] = [_("The due date cannot be before the meeting.")]
    elif due_on > meeting.held_on + ACTION_DUE_WITHIN:
        errors["due_on"] = [_("The due date can be at most a year after the meeting.")]
    if errors:
        raise ValidationError(errors)
    action = MeetingAction(
        meeting=meeting,
        item=item,
        description=description,
        owner_agency=owner_agency,
        owner_person=owner_person,
        due_on=due_on,
        created_by=agreed_by,
    )
    action.full_clean()
    action.save()
    _record(
        actor=agreed_by,
        target=action,
        family=item.family if item else None,
        what="action_agreed",
        detail={"owner_agency": owner_agency},
    )
    return action


@transaction.atomic
def action_complete(*, action: MeetingAction, done_by: User, done_on: date | None) -> MeetingAction:
    """Mark an action done: it no longer carries over to the next meeting."""
    action = (
        MeetingAction.objects.select_for_update(of=("self",))
        .select_related("meeting", "item__family")
        .get(pk=action.pk)
    )
    _keeps(done_by, action.meeting)
    if action.done_on is not None:
        raise ValidationError(_("This action was already marked done."))
    if done_on is None:
        raise ValidationError({"done_on": [_("Give the date it was done.")]})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": [_("The date cannot be in the future.")]})
    if done_on < action.meeting.held_on:
        raise ValidationError({"done_on": [_("The date cannot be before the meeting that agreed the action.")]})
    action.done_on, action.done_by = done_on, done_by
    action.save(update_fields=["done_on", "done_by"])
    _record(actor=done_by, target=action, family=action.item.family if action.item else None, what="action_done")
    return action


@transaction.atomic
def outcome_note_write(*, item: AgendaItem, written_by: User, text: str, touches_police_work: bool) -> OutcomeNote:
    """Write what the meeting decided for the parents, in plain language: the family's
    officer or a keeper of the meeting. Written once and kept as written; the police
    approve it where it touches their work."""
    item = AgendaItem.objects.select_related("meeting", "family").get(pk=item.pk)
    if item.kind != AgendaItemKind.FAMILY:
        raise ValidationError(_("An outcome note is for the parents of a family on the agenda."))
    if not may_write_outcome_note(written_by, item):
        raise PermissionDenied
    _check_held(item.meeting)
    text = _checked_note_text(text)
    if OutcomeNote.objects.filter(item=item).exists():
        raise ValidationError(_("A note for the parents was already written for this item."), code=NOTE_ALREADY_WRITTEN)
    note = OutcomeNote(item=item, created_by=written_by, text=text, touches_police_work=bool(touches_police_work))
    note.full_clean()
    note.save()
    _record(
        actor=written_by,
        target=note,
        family=item.family,
        what="outcome_note_written",
        detail={"touches_police_work": note.touches_police_work},
    )
    return note


def _checked_note_text(text: str) -> str:
    if not (text or "").strip():
        raise ValidationError({"text": [_("Write the note for the parents.")]})
    _too_long("text", text.strip(), NOTE_MAX_LENGTH)
    return text.strip()


def _unsent_note(note: OutcomeNote, *, writer: User) -> OutcomeNote:
    """The note, locked, for its officer or a keeper of the meeting, while not yet sent."""
    note = (
        OutcomeNote.objects.select_for_update(of=("self",))
        .select_related("item__family", "item__meeting")
        .get(pk=note.pk)
    )
    if not may_write_outcome_note(writer, note.item):
        raise PermissionDenied
    if note.sent_at is not None:
        raise ValidationError(NOTE_ALREADY_SENT)
    return note


@transaction.atomic
def outcome_note_change(
    *, note: OutcomeNote, changed_by: User, base_revision: int, text: str, touches_police_work: bool
) -> OutcomeNote:
    """Change the note before it is sent: the wording it had is kept as an earlier text,
    and an approval by the police is withdrawn, since they approved other words. Refused
    when someone else changed it since ``base_revision``, and once it was sent."""
    note = _unsent_note(note, writer=changed_by)
    text = _checked_note_text(text)
    if note.revision != base_revision:
        raise ValidationError(
            _(
                "Someone else changed this note while you were writing. Your words are still below: "
                "read the note as it is now, then save again if yours should replace it."
            ),
            code=NOTE_CHANGED_MEANWHILE,
        )
    touches_police_work = bool(touches_police_work)
    if text == note.text and touches_police_work == note.touches_police_work:
        raise ValidationError(_("The note is the same as before: change the words or the choice about police work."))
    OutcomeNoteEarlierText.objects.create(
        note=note,
        revision=note.revision,
        text=note.text,
        touches_police_work=note.touches_police_work,
        written_at=note.changed_at or note.created_at,
        written_by_id=note.changed_by_id or note.created_by_id,
        approved_at=note.approved_at,
        approved_by_id=note.approved_by_id,
        created_by=changed_by,
    )
    approval_withdrawn = note.approved_at is not None
    note.text, note.touches_police_work = text, touches_police_work
    note.approved_at = note.approved_by = None
    note.revision += 1
    note.changed_at, note.changed_by = timezone.now(), changed_by
    note.full_clean()
    note.save()
    _record(
        actor=changed_by,
        target=note,
        family=note.item.family,
        what="outcome_note_changed",
        detail={
            "revision": note.revision,
            "touches_police_work": touches_police_work,
            "approval_withdrawn": approval_withdrawn,
        },
    )
    return note


@transaction.atomic
def outcome_note_approve(*, note: OutcomeNote, approved_by: User) -> OutcomeNote:
    """A police partner of the family's unit approves a note that touches their work."""
    note = OutcomeNote.objects.select_for_update(of=("self",)).select_related("item__family").get(pk=note.pk)
    if not may_approve_outcome_note(approved_by, note.item.family):
        raise PermissionDenied
    if note.sent_at is not None:
        raise ValidationError(NOTE_ALREADY_SENT)
    note.approved_at, note.approved_by = timezone.now(), approved_by
    note.save(update_fields=["approved_at", "approved_by"])
    _record(actor=approved_by, target=note, family=note.item.family, what="outcome_note_approved")
    return note


@transaction.atomic
def outcome_note_send(*, note: OutcomeNote, sent_by: User, notify: bool = True) -> OutcomeNote:
    """Show the note in the portal and tell the parents there is something new. Not while
    protective mode holds; not before the police approved a note touching their work."""
    note = _unsent_note(note, writer=sent_by)
    if note.touches_police_work and note.approved_at is None:
        raise ValidationError(_("The police must approve this note before it is sent."), code="not_approved")
    check_parents_reachable(note.item.family)
    note.sent_at = timezone.now()
    note.save(update_fields=["sent_at"])
    _record(actor=sent_by, target=note, family=note.item.family, what="outcome_note_sent")
    if notify:
        transaction.on_commit(partial(notify_parents, note.item.family))
    return note
