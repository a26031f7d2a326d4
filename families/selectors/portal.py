"""What the parents' home page shows: their officer (and a plain note when the officer
changed recently), the next planned meeting, and who to call in an emergency."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from families.models import CONFIDENTIAL_CONTACT_KINDS, ContactEntry, Family, LiaisonAssignment
from liaison.access import parents_see_until

OFFICER_CHANGE_NOTED_FOR = timedelta(days=90)


@dataclass(frozen=True)
class PortalOverview:
    officer_since: datetime | None
    officer_changed_on: datetime | None
    next_meeting_on: date | None


def portal_overview(family: Family) -> PortalOverview:
    contacts = _contacts_newest_first(family.pk)
    until = parents_see_until(family)
    if until is not None:  # protective mode: the portal stands still
        contacts = contacts.filter(created_at__lte=until)
    return overview_from(list(assignment_rows(family.pk)), list(contacts.values("next_contact_on")[:1]))


def assignment_rows(family_id: int) -> QuerySet:
    """The newest two assignments of the family, as ``.values()`` rows (for ``read_together``)."""
    return (
        LiaisonAssignment.objects.filter(family=family_id).order_by("-started_at").values("started_at", "ended_at")[:2]
    )


def next_meeting_rows(family_id: int) -> QuerySet:
    """The next contact planned at the latest contact, as ``.values()`` rows (for
    ``read_together``). Only for a family outside protective mode: there
    ``portal_overview`` asks with its moment."""
    return _contacts_newest_first(family_id).values("next_contact_on")[:1]


def _contacts_newest_first(family_id: int) -> QuerySet[ContactEntry]:
    """The family's contacts the parents may know of, newest first: a date planned with
    the police or at a multi-agency meeting is never their next meeting."""
    contacts = ContactEntry.objects.filter(family=family_id).exclude(kind__in=CONFIDENTIAL_CONTACT_KINDS)
    return contacts.order_by("-occurred_at")


def overview_from(latest: list[dict], next_meeting: list[dict]) -> PortalOverview:
    """The overview from ``assignment_rows`` and ``next_meeting_rows`` (or as they stood)."""
    current = latest[0] if latest else None
    previous = latest[1] if len(latest) > 1 else None
    since = current["started_at"] if current is not None and current["ended_at"] is None else None
    changed = since if since and previous is not None and timezone.now() - since < OFFICER_CHANGE_NOTED_FOR else None
    next_on = next_meeting[0]["next_contact_on"] if next_meeting else None
    if next_on is not None and next_on < timezone.localdate():
        next_on = None
    return PortalOverview(officer_since=since, officer_changed_on=changed, next_meeting_on=next_on)
