"""Reminders: once a working day each liaison officer hears how many things in their own
open families need attention, each supervisor the same for the team, and each police
partner how many things of their unit's families wait for the police and are due or
overdue (``police_waiting``). A reminder says how many, never which family or what: the
details wait behind the sign-in.

A reminder is keyed by the day and the set of items, so running the reminders twice
reminds no one twice, while a new item later that day makes a new reminder. The people
and their families are read once for the whole run (the attention rules add a fixed
number of queries), then grouped in Python, as the access policy would: officers the
families they may change, supervisors every open family of their team, police partners
what waits in the open families linked to their unit. The overdue actions of a
meeting count for the supervisors of its team and the police partners of its unit."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from families.models import Family, FamilyStatus, MeetingAction
from families.selectors.case import with_attention
from liaison.access import reminder_audience
from liaison.accounts.authentication import UNREAD_REMINDER_COUNT
from liaison.accounts.models import Reminder, Role, User
from liaison.staff.attention import Waiting, attach_attention, needs_attention, read_among

# Who gets reminders, and the page each reminder points to; opening it reads them.
REMINDER_PAGES = {
    Role.OFFICER: "families:caseload",
    Role.SUPERVISOR: "dashboard",
    Role.POLICE: "families:shared_waiting",
}
# Set on the person once their reminder page has read every reminder in this request:
# the header of that same page then knows there is none unread, without asking.
READ_IN_THIS_REQUEST = "reminders_read_in_this_request"

# One thing that needs attention: (kind of attention, family id), or for the police
# ("police_<task>", id of the item that waits).
Item = tuple[str, int]


@dataclass(frozen=True)
class DueReminder:
    user: User
    key: str
    count: int


def reminder_key(today: date, items: set[Item]) -> str:
    """The day, plus a digest of the items: the same items on the same day give the same key."""
    listed = ";".join(f"{kind}:{family_id}" for kind, family_id in sorted(items))
    return f"attention:{today.isoformat()}:{hashlib.sha256(listed.encode()).hexdigest()[:16]}"


def items_by_person(
    people: list[User], families: list[Family], waiting: list[Waiting] = (), actions: list[MeetingAction] = ()
) -> dict[int, set[Item]]:
    """What needs attention for each person (families after ``attach_attention``), for
    the police what waits for them and is due (of ``police_waiting``), and for the
    people who keep a meeting its overdue actions (the supervisors of its team, the
    partners of its unit, as ``meetings_for`` has it)."""
    by_officer: dict[int, set[Item]] = defaultdict(set)
    by_team: dict[int, set[Item]] = defaultdict(set)
    by_unit: dict[int, set[Item]] = defaultdict(set)
    unit_of = {}
    for family in families:
        unit_of[family.pk] = family.police_unit_id
        for kind in needs_attention(family):
            item = (str(kind), family.pk)
            by_officer[family.liaison_officer_id].add(item)
            by_team[family.team_id].add(item)
    for waiting_item in waiting:
        if waiting_item.due and unit_of.get(waiting_item.family_id) is not None:
            by_unit[unit_of[waiting_item.family_id]].add((f"police_{waiting_item.task}", waiting_item.pk))
    for action in actions:
        item = ("meeting_action_overdue", action.pk)
        if action.meeting.team_id is not None:
            by_team[action.meeting.team_id].add(item)
        if action.meeting.police_unit_id is not None:
            by_unit[action.meeting.police_unit_id].add(item)
    items = {}
    by_audience = {"officer": by_officer, "team": by_team, "unit": by_unit}
    for person in people:
        audience = reminder_audience(person)
        if audience is not None:
            kind, key = audience
            items[person.pk] = by_audience[kind].get(key, set())
    return items


def reminders_due(today: date) -> list[DueReminder]:
    """Every active officer, supervisor and police partner with at least one item, with
    today's key."""
    open_families = Family.objects.exclude(status=FamilyStatus.CLOSED)
    families = list(with_attention(open_families))
    waiting = attach_attention(families, today=today, read=read_among(open_families))
    people = list(User.objects.filter(role__in=list(REMINDER_PAGES), is_active=True).order_by("pk"))
    actions = list(
        MeetingAction.objects.overdue(today).filter(meeting__cancelled_at__isnull=True).select_related("meeting")
    )
    items = items_by_person(people, families, waiting, actions)
    return [
        DueReminder(user=person, key=reminder_key(today, items[person.pk]), count=len(items[person.pk]))
        for person in people
        if items.get(person.pk)
    ]


def sent_reminders(due: list[DueReminder]) -> dict[tuple[int, str], Reminder]:
    """The reminders among these that already exist, by (user id, key), in one query."""
    if not due:
        return {}
    existing = Reminder.objects.filter(user__in=[d.user for d in due], key__in={d.key for d in due})
    return {(reminder.user_id, reminder.key): reminder for reminder in existing}


def unread_reminder(user) -> dict | None:
    """The count of the person's newest unread reminder and where it points: read with
    the signed-in person and their device (``liaison.accounts.authentication``), else in
    one query; nothing (and no query) for people who never get reminders, nor for police
    partners, whose header counts what waits for them now (``police_waiting_count``)."""
    role = getattr(user, "role", None)
    page = REMINDER_PAGES.get(role)
    if page is None or role == Role.POLICE or getattr(user, READ_IN_THIS_REQUEST, False):
        return None
    if hasattr(user, UNREAD_REMINDER_COUNT):  # read with the user and their device
        count = getattr(user, UNREAD_REMINDER_COUNT)
    else:
        unread = Reminder.objects.filter(user=user, read_at__isnull=True).order_by("-created_at", "-pk")
        count = unread.values_list("count", flat=True).first()
    return {"count": count, "url": reverse(page)} if count else None
