"""What of the multi-agency meetings waits for someone: overdue actions and notes for the
parents not yet sent. Read by the supervisor's dashboard and the meetings page, which
show the first few of each and link to the full list, a page at a time."""

from django.db.models import Count, QuerySet, Window
from django.utils import timezone

from families.models import AgendaItem, Meeting, MeetingAction
from families.selectors import meetings as selectors
from liaison.access import meeting_rows
from liaison.compiled import as_models, field_names, with_related
from liaison.staff.attention import add_working_days

# The outcome note reaches the parents within this many working days of the meeting.
NOTE_WORKING_DAYS = 2
# How many of each list the dashboard shows; the rest are on their own paginated page.
ATTENTION_ROWS = 10


def notes_due(items: list) -> list:
    """Give each family item its note's due date (two working days after the meeting)
    and whether that date has passed."""
    today = timezone.localdate()
    for item in items:
        item.note_due_on = add_working_days(item.meeting.held_on, NOTE_WORKING_DAYS)
        item.note_late = item.note_due_on < today
    return items


def meeting_attention(user) -> dict:
    """What of the meetings waits for this person: overdue actions, and notes for the
    parents not yet sent (due two working days after the meeting), the first few of each
    and how many in all. Shown on the supervisor's dashboard and on the meetings page of
    supervisors and police partners. Two statements, compiled once per process
    (``liaison.access.meeting_rows``)."""
    actions = meeting_rows(user, ("overdue actions",), _overdue_action_rows)
    notes = meeting_rows(user, ("notes not sent",), _note_rows)
    return {
        "overdue_actions": as_models(MeetingAction, actions),
        "overdue_action_count": _total(actions),
        "notes_not_sent": notes_due([with_related(AgendaItem, row, ("meeting", "family")) for row in notes]),
        "notes_not_sent_count": _total(notes),
    }


# The first rows of a list, each with how many the whole list has (counted before the limit).
_TOTAL = {"total": Window(Count("pk"))}


def _overdue_action_rows(meetings: QuerySet[Meeting]) -> QuerySet:
    return selectors.overdue_actions_of(meetings).values(*field_names(MeetingAction), **_TOTAL)[:ATTENTION_ROWS]


# What the list of notes not sent shows of an item's meeting and family.
_NOTE_RELATED = ("meeting__id", "meeting__held_on", "family__id", "family__reference")


def _note_rows(meetings: QuerySet[Meeting]) -> QuerySet:
    notes = selectors.outcome_notes_not_sent(meetings)
    return notes.values(*field_names(AgendaItem), *_NOTE_RELATED, **_TOTAL)[:ATTENTION_ROWS]


def _total(rows: list[dict]) -> int:
    return rows[0]["total"] if rows else 0
