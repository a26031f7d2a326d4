"""What of the multi-agency meetings waits for someone: overdue actions and notes for the
parents not yet sent. Read by the supervisor's dashboard and the meetings page."""

from django.utils import timezone

from families.selectors import meetings as selectors
from liaison.access import meetings_for
from liaison.staff.attention import add_working_days

# The outcome note reaches the parents within this many working days of the meeting.
NOTE_WORKING_DAYS = 2
ATTENTION_ROWS = 50


def meeting_attention(user) -> dict:
    """What of the meetings waits for this person: overdue actions, and notes for the
    parents not yet sent (due two working days after the meeting). Shown on the
    supervisor's dashboard and on the meetings page of supervisors and police partners."""
    today = timezone.localdate()
    notes = list(selectors.outcome_notes_not_sent(meetings_for(user))[:ATTENTION_ROWS])
    for item in notes:
        item.note_due_on = add_working_days(item.meeting.held_on, NOTE_WORKING_DAYS)
        item.note_late = item.note_due_on < today
    return {"overdue_actions": list(selectors.overdue_actions_for(user)[:ATTENTION_ROWS]), "notes_not_sent": notes}
