"""Reading multi-agency meetings: a person's meetings, one meeting with its agenda and
minutes, the open actions carried over from earlier meetings, overdue actions, and what
the parents see of meetings in the portal (the question to them, the notes sent)."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from families.models import (
    AgendaItem,
    AgendaItemKind,
    Family,
    HouseholdMember,
    ItemDecision,
    Meeting,
    MeetingAction,
    OutcomeNote,
    OutcomeNoteEarlierText,
    ParentsVoiceAnswer,
    ParentsVoiceRequest,
)
from liaison.access import meetings_for, parents_see_until
from liaison.expressions import database_today


def meetings_list(user) -> QuerySet[Meeting]:
    """The person's meetings, newest first, with the number of items on each agenda."""
    return (
        meetings_for(user)
        .select_related("team", "police_unit")
        .annotate(item_count=Count("items", filter=Q(items__withdrawn_at__isnull=True)))
        .order_by("-held_on", "-pk")
    )


def meeting_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The agenda in order, with the family or context, the question to the parents and their words,
    the decisions, actions and note of each item: a fixed number of queries."""
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("family", "context_link", "context_hit", "voice_request", "outcome_note")
        .prefetch_related(
            Prefetch("decisions", queryset=ItemDecision.objects.order_by("created_at", "pk")),
            Prefetch("actions", queryset=MeetingAction.objects.order_by("due_on", "pk")),
            Prefetch(
                "voice_request__answers",
                queryset=ParentsVoiceAnswer.objects.select_related("member").order_by("created_at", "pk"),
            ),
        )
        .order_by("position", "pk")
    )


def _same_owner(meeting: Meeting) -> Q:
    if meeting.team_id is not None:
        return Q(meeting__team_id=meeting.team_id)
    return Q(meeting__police_unit_id=meeting.police_unit_id)


def carried_actions(meeting: Meeting) -> QuerySet[MeetingAction]:
    """The open actions of earlier meetings of the same team or unit: on this meeting's
    agenda until they are done."""
    return (
        MeetingAction.objects.open()
        .filter(_same_owner(meeting), meeting__cancelled_at__isnull=True)
        .filter(
            Q(meeting__held_on__lt=meeting.held_on) | Q(meeting__held_on=meeting.held_on, meeting__pk__lt=meeting.pk)
        )
        .select_related("meeting", "item__family")
        .order_by("due_on", "pk")
    )


def agenda_item_of(meeting: Meeting, pk: int) -> AgendaItem | None:
    """An item on this meeting's agenda (not withdrawn), with its family, or None."""
    return (
        AgendaItem.objects.filter(meeting=meeting, pk=pk, withdrawn_at__isnull=True)
        .select_related("meeting", "family", "context_link", "context_hit")
        .first()
    )


def action_on_agenda(meeting: Meeting, pk: int) -> MeetingAction | None:
    """An action agreed at this meeting, or an open one carried over to it, or None."""
    carried = carried_actions(meeting).values("pk")
    return (
        MeetingAction.objects.filter(Q(meeting=meeting) | Q(pk__in=carried), pk=pk)
        .select_related("meeting", "item__family")
        .first()
    )


def overdue_actions_for(user, today: date | None = None) -> QuerySet[MeetingAction]:
    """Open actions past their due date of the meetings this person keeps."""
    return overdue_actions_of(meetings_for(user), today).select_related("meeting", "item__family")


def overdue_actions_of(meetings: QuerySet[Meeting], today: date | None = None) -> QuerySet[MeetingAction]:
    """Open actions past their due date (by default the database's today) of these meetings."""
    return (
        MeetingAction.objects.overdue(today)
        .filter(meeting__in=meetings.values("pk"), meeting__cancelled_at__isnull=True)
        .order_by("due_on", "pk")
    )


def open_actions_of_family(family: Family) -> QuerySet[MeetingAction]:
    """The open actions agreed on items about this family, for its pack."""
    return (
        MeetingAction.objects.open()
        .filter(item__family=family, meeting__cancelled_at__isnull=True)
        .order_by("due_on", "pk")
    )


def voice_questions_of_family(family: Family) -> QuerySet[ParentsVoiceRequest]:
    """Every question to the parents they may see, open or of a meeting that took place
    (then their answer is read only), the latest meeting first. The item is still on the
    agenda; while protective mode holds the portal stands still: nothing new."""
    requests = ParentsVoiceRequest.objects.filter(
        item__family=family,
        item__kind=AgendaItemKind.FAMILY,
        item__withdrawn_at__isnull=True,
        item__meeting__cancelled_at__isnull=True,
    )
    until = parents_see_until(family)
    if until is not None:
        requests = requests.filter(asked_at__lt=until)
    return requests.select_related("item__meeting").order_by("-item__meeting__held_on", "-pk")


def voice_questions_for_parents(family: Family) -> QuerySet[ParentsVoiceRequest]:
    """The questions to the parents still open: the meeting is still to come."""
    return (
        voice_questions_of_family(family)
        .filter(item__meeting__held_on__gte=database_today())
        .order_by("item__meeting__held_on", "pk")
    )


def answers_of_member(request: ParentsVoiceRequest, member: HouseholdMember) -> QuerySet[ParentsVoiceAnswer]:
    return ParentsVoiceAnswer.objects.filter(request=request, member=member).order_by("created_at", "pk")


def outcome_notes_for_parents(family: Family) -> QuerySet[OutcomeNote]:
    """The notes sent to the parents, newest first; as it stood when protective mode began."""
    notes = OutcomeNote.objects.filter(item__family=family, sent_at__isnull=False)
    until = parents_see_until(family)
    if until is not None:
        notes = notes.filter(sent_at__lt=until)
    return notes.select_related("item__meeting").order_by("-sent_at", "-pk")


def outcome_notes_not_sent(meetings: QuerySet[Meeting]) -> QuerySet[AgendaItem]:
    """Family items of meetings that took place whose note has not been sent yet."""
    return (
        AgendaItem.objects.filter(
            meeting__in=meetings.values("pk"),
            kind=AgendaItemKind.FAMILY,
            withdrawn_at__isnull=True,
            meeting__cancelled_at__isnull=True,
            meeting__held_on__lte=database_today(),
        )
        .filter(Q(outcome_note__isnull=True) | Q(outcome_note__sent_at__isnull=True))
        .select_related("meeting", "family", "outcome_note")
        .order_by("meeting__held_on", "position")
    )


def family_agenda_items(family: Family) -> QuerySet[AgendaItem]:
    """The items about this family on the agendas of meetings, the latest meeting first,
    with the question to the parents, their words and the note with its earlier wordings:
    a fixed number of queries."""
    return (
        AgendaItem.objects.filter(family=family, kind=AgendaItemKind.FAMILY)
        .select_related("meeting", "voice_request", "outcome_note__approved_by")
        .prefetch_related(
            Prefetch(
                "voice_request__answers",
                queryset=ParentsVoiceAnswer.objects.select_related("member").order_by("created_at", "pk"),
            ),
            Prefetch(
                "outcome_note__earlier_texts",
                queryset=OutcomeNoteEarlierText.objects.select_related("written_by", "approved_by"),
            ),
        )
        .order_by("-meeting__held_on", "-meeting__pk", "position")
    )
