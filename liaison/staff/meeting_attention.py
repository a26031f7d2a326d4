"""What of the multi-agency meetings waits for someone: overdue actions and notes for the
parents not yet sent. Read by the supervisor's dashboard and the meetings page, which
show the first few of each and link to the full list, a page at a time."""

from django.utils import timezone

from families.selectors import meetings as selectors
from liaison.access import meetings_for
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


def _first_rows(queryset) -> tuple[list, int]:
    """The first rows and the number of all: one query, two when the list is longer."""
    rows = list(queryset[: ATTENTION_ROWS + 1])
    if len(rows) <= ATTENTION_ROWS:
        return rows, len(rows)
    return rows[:ATTENTION_ROWS], queryset.count()


def meeting_attention(user) -> dict:
    """What of the meetings waits for this person: overdue actions, and notes for the
    parents not yet sent (due two working days after the meeting). Shown on the
    supervisor's dashboard and on the meetings page of supervisors and police partners."""
    actions, action_count = _first_rows(selectors.overdue_actions_for(user))
    notes, note_count = _first_rows(selectors.outcome_notes_not_sent(meetings_for(user)))
    return {
        "overdue_actions": actions,
        "overdue_action_count": action_count,
        "notes_not_sent": notes_due(notes),
        "notes_not_sent_count": note_count,
    }
