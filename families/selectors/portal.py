"""What the parents' home page shows: their officer (and a plain note when the officer
changed recently), the next planned meeting, and who to call in an emergency."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from families.models import Family
from liaison.access import parents_see_until

OFFICER_CHANGE_NOTED_FOR = timedelta(days=90)


@dataclass(frozen=True)
class PortalOverview:
    officer_since: datetime | None
    officer_changed_on: datetime | None
    next_meeting_on: date | None


def portal_overview(family: Family) -> PortalOverview:
    latest = list(family.assignments.order_by("-started_at")[:2])
    current = latest[0] if latest else None
    previous = latest[1] if len(latest) > 1 else None
    since = current.started_at if current is not None and current.ended_at is None else None
    changed = since if since and previous is not None and timezone.now() - since < OFFICER_CHANGE_NOTED_FOR else None
    contacts = family.contacts.all()
    until = parents_see_until(family)
    if until is not None:  # protective mode: the portal stands still
        contacts = contacts.filter(created_at__lte=until)
    next_meeting = contacts.order_by("-occurred_at").values_list("next_contact_on", flat=True).first()
    if next_meeting is not None and next_meeting < timezone.localdate():
        next_meeting = None
    return PortalOverview(officer_since=since, officer_changed_on=changed, next_meeting_on=next_meeting)
