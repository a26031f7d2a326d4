"""Multi-agency meetings in the access policy: who schedules and sees a meeting, which
families and contexts may go on its agenda, who asks the parents for their words, who writes, sends
and approves a note to them, and, in ONE place, which parts of a pack each attending agency receives.

A meeting belongs to a team, a police unit or both. The supervisors of that team and the
police partners of that unit see it and change it; nobody else (officers, parents, other
teams) learns it exists: absent and forbidden both answer 404."""

from collections.abc import Callable

from django.db.models import Q, QuerySet, TextChoices
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from families.models import Agency, AgendaItem, AgendaItemKind, ContextLink, Family, Meeting
from liaison.access.contexts import context_hits_unit
from liaison.access.families import families_for, log_case_read, refuse_case_read, rows_for_user
from liaison.access.roles import APPROVE_FOR_PARENTS, CHANGE, VIEW, can
from liaison.accounts.models import Role
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record


class PackPart(TextChoices):
    """The allow-list of what a pack may carry, one builder each (``liaison.staff.meeting_pack``).
    A part not named here can never reach a pack."""

    SUMMARY = "summary", _("Summary of the family")
    TREND = "trend", _("The three dimensions over time")
    RISK_AND_EVENTS = "risk_and_events", _("Risk, recent incidents and missing episodes")
    PLAN_STATUS = "plan_status", _("Status of the safety plan")
    OPEN_ACTIONS = "open_actions", _("Open actions of the meetings")
    PARENTS_WORDS = "parents_words", _("What the parents want the meeting to know")
    POLICE_ONLY = "police_only", _("Police-only notes of the safety plan")
    PEOPLE_OF_CONCERN = "people_of_concern", _("People of concern")
    CONTEXT = "context", _("A context on the agenda")


# Every agency receives these parts: nothing police-only, nobody of concern.
COMMON_PACK_PARTS = (
    PackPart.SUMMARY,
    PackPart.TREND,
    PackPart.RISK_AND_EVENTS,
    PackPart.PLAN_STATUS,
    PackPart.OPEN_ACTIONS,
    PackPart.PARENTS_WORDS,
)
# Agencies with a statutory task of protecting the child receive who the family must be
# protected from, and the contexts on the agenda (a context is often a person); only the
# police receive what the plan keeps for the police.
AGENCIES_WITH_PEOPLE_OF_CONCERN = frozenset({Agency.POLICE_VICE, Agency.VEILIG_THUIS, Agency.CHILD_PROTECTION})
AGENCIES_WITH_POLICE_ONLY = frozenset({Agency.POLICE_VICE})


def pack_parts_for(agency: str) -> tuple[str, ...]:
    """The parts of a meeting pack this agency may receive, in the order they are printed."""
    if agency not in Agency.values:
        raise ValueError(f"Unknown agency {agency!r}")
    parts = list(COMMON_PACK_PARTS)
    if agency in AGENCIES_WITH_PEOPLE_OF_CONCERN:
        parts.append(PackPart.PEOPLE_OF_CONCERN)
        parts.append(PackPart.CONTEXT)
    if agency in AGENCIES_WITH_POLICE_ONLY:
        parts.append(PackPart.POLICE_ONLY)
    return tuple(parts)


def may_schedule_meetings(user) -> bool:
    """A supervisor of a team or a police partner of a unit."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.role == Role.SUPERVISOR:
        return user.team_id is not None
    if user.role == Role.POLICE:
        return user.police_unit_id is not None
    return False


def meetings_for(user) -> QuerySet[Meeting]:
    """The meetings this person sees and keeps: their team's, or their unit's."""
    if not may_schedule_meetings(user):
        return Meeting.objects.none()
    if user.role == Role.SUPERVISOR:
        return Meeting.objects.filter(team_id=user.team_id)
    return Meeting.objects.filter(police_unit_id=user.police_unit_id)


def meeting_rows(user, name: tuple, build: Callable[[QuerySet[Meeting]], QuerySet]) -> list[dict]:
    """The rows of ``build(meetings_for(user))``, a ``.values()`` queryset, with a
    statement compiled once per process for each shape of the person
    (``liaison.access.families.rows_for_user``); nothing for who keeps no meetings."""
    if not may_schedule_meetings(user):
        return []
    return rows_for_user(user, ("meetings", *name), lambda stand_in: build(meetings_for(stand_in)))


def get_meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    """The meeting, if this person keeps it, else 404 (counted like a refused case read)."""

    meeting = meetings_for(request.user).select_related("team", "police_unit").filter(pk=pk).first()
    if meeting is None:
        refuse_case_read(request, None)
    log_meeting_read(request, meeting)
    return meeting


def log_meeting_read(request: HttpRequest, meeting: Meeting) -> None:
    """A meeting's pages show the families on its agenda, and a family's context put on it
    in its own words: the read lands in the audit trail with the families it names. (A hit
    across families shows only its kind and how many families: it names none.)"""
    named = meeting.items.values_list("family_id", "context_link__family_id")
    families = sorted({pk for pair in named for pk in pair if pk is not None})
    audit_record(
        action=AuditAction.CASE_LIST_VIEWED,
        actor=request.user,
        target=meeting,
        detail={"path": request.path, "meeting": meeting.pk, "families": families},
    )


def meeting_owner_for(user) -> dict:
    """The team or unit a meeting scheduled by this person belongs to."""
    if user.role == Role.SUPERVISOR:
        return {"team_id": user.team_id, "police_unit_id": None}
    return {"team_id": None, "police_unit_id": user.police_unit_id}


def agenda_families_for(user, meeting: Meeting) -> QuerySet[Family]:
    """The families this person may put on the agenda: families they may see, of the
    meeting's team or unit, so that everyone who keeps the meeting may see them too."""

    families = families_for(user, VIEW)
    if meeting.team_id is not None:
        families = families.filter(team_id=meeting.team_id)
    if meeting.police_unit_id is not None:
        families = families.filter(police_unit_id=meeting.police_unit_id)
    return families


def agenda_contexts_for(user, meeting: Meeting) -> QuerySet[ContextLink]:
    """The contexts a supervisor may put on the agenda of their team's meeting: the current
    contexts of the families they may put on it. Police partners choose hits instead
    (``agenda_hits_unit``); nobody else chooses a family's context."""
    if user.role != Role.SUPERVISOR or meeting.team_id is None or meeting.team_id != user.team_id:
        return ContextLink.objects.none()
    return ContextLink.objects.current().filter(family__in=agenda_families_for(user, meeting).values("pk"))


def agenda_hits_unit(user, meeting: Meeting) -> int | None:
    """The police unit whose hits a police partner may put on the agenda of their unit's
    meeting (the hits they read, see ``liaison.access.contexts``), or None for anyone else."""
    unit = context_hits_unit(user)
    if user.role != Role.POLICE or unit is None or meeting.police_unit_id != unit:
        return None
    return unit


def may_ask_parents(user, family: Family) -> bool:
    """The family's officers and supervisors (who may change it) ask the parents for
    their words; whether the parents can be reached is ``check_parents_reachable``."""

    return user.role in (Role.OFFICER, Role.SUPERVISOR) and families_for(user, CHANGE).filter(pk=family.pk).exists()


def may_approve_outcome_note(user, family: Family) -> bool:
    """A police partner of the family's unit approves a note that touches police work."""

    return can(user, APPROVE_FOR_PARENTS) and families_for(user, APPROVE_FOR_PARENTS).filter(pk=family.pk).exists()


def may_write_outcome_note(user, item: AgendaItem) -> bool:
    """The family's officer (who asked the parents) or a keeper of the meeting writes the
    note for the parents and sends it."""
    return may_ask_parents(user, item.family) or meetings_for(user).filter(pk=item.meeting_id).exists()


# What a person does for the parents on a family's item (``get_parents_item_or_404``).
ASK_PARENTS = "ask_parents"
WRITE_NOTE = "write_note"
APPROVE_NOTE = "approve_note"
PARENTS_ITEM_PURPOSES = (ASK_PARENTS, WRITE_NOTE, APPROVE_NOTE)


def parents_items_for(user) -> QuerySet[AgendaItem]:
    """The family items on an agenda that this person works on for the parents: those of
    the families they may change (officer, supervisor), those of the meetings they keep,
    and those of the families whose notes they approve (police partners of the unit)."""

    families = Q(family__in=families_for(user, CHANGE).values("pk")) | Q(
        family__in=families_for(user, APPROVE_FOR_PARENTS).values("pk")
    )
    kept = Q(meeting__in=meetings_for(user).values("pk"))
    return AgendaItem.objects.filter(families | kept, kind=AgendaItemKind.FAMILY, family__archived_at__isnull=True)


def may_work_for_parents(user, item: AgendaItem, purpose: str) -> bool:
    """Whether this person may ask the parents, write (and send) the note, or approve it."""
    if purpose == ASK_PARENTS:
        return may_ask_parents(user, item.family)
    if purpose == WRITE_NOTE:
        return may_write_outcome_note(user, item)
    if purpose == APPROVE_NOTE:
        return may_approve_outcome_note(user, item.family)
    raise ValueError(f"Unknown purpose {purpose!r}")


def get_parents_item_or_404(request: HttpRequest, pk: int, purpose: str) -> AgendaItem:
    """The family item, if this person may do this for its parents, else 404 (counted
    like a refused case read). The read of the family is logged."""

    item = (
        parents_items_for(request.user)
        .select_related("meeting", "family__team", "family__liaison_officer", "voice_request", "outcome_note")
        .filter(pk=pk)
        .first()
    )
    if item is None or not may_work_for_parents(request.user, item, purpose):
        refuse_case_read(request, item.family_id if item else None)
    log_case_read(request, item.family, VIEW)
    return item
