"""Writes about teams, done by their supervisors, the reminders their people get, and
the emergency access someone takes to a family outside their own work."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Family
from liaison.access import can_break_glass, supervisors_of
from liaison.accounts.models import (
    BREAK_GLASS_DURATION,
    BREAK_GLASS_REASON_MIN_LENGTH,
    BreakGlassAccess,
    Reminder,
    Team,
    User,
)
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.notifications import notify_break_glass, notify_reminders
from liaison.reminders import REMINDER_PAGES, DueReminder, reminders_due, sent_reminders

TEAM_SETTINGS = ("team_view", "contact_limit_days", "acknowledgement_limit_working_days")


@transaction.atomic
def team_settings_update(*, team: Team, supervisor: User, **settings) -> Team:
    """Team view lets the officers read (never change) each other's families, e.g. for
    cover; the limits decide when a family shows up as needing attention."""
    changed = {name: value for name, value in settings.items() if getattr(team, name) != value}
    if set(settings) - set(TEAM_SETTINGS):
        raise ValueError(f"Unknown team settings: {sorted(set(settings) - set(TEAM_SETTINGS))}")
    if changed:
        for name, value in changed.items():
            setattr(team, name, value)
        team.full_clean()
        team.save(update_fields=list(changed))
        audit_record(action=AuditAction.TEAM_CHANGED, actor=supervisor, target=team, detail=changed)
    return team


@dataclass
class ReminderRun:
    """What one run of the reminders found and did, in counts only."""

    day: date
    people: int
    items: int
    new: int
    already_reminded: int
    emailed: int = 0


@transaction.atomic
def _reminders_create(due: list[DueReminder]) -> list[Reminder]:
    return Reminder.objects.bulk_create(Reminder(user=d.user, key=d.key, count=d.count) for d in due)


def reminders_send(*, today: date | None = None, dry_run: bool = False) -> ReminderRun:
    """Save today's reminders, then mail them to the people who chose e-mail. They are
    saved before any mail goes out, so a mail server that is down does not undo them;
    an unread reminder that could not be mailed is mailed by the next run of the day."""
    today = today or timezone.localdate()
    due = reminders_due(today)
    existing = sent_reminders(due)
    new = [d for d in due if (d.user.pk, d.key) not in existing]
    run = ReminderRun(
        day=today,
        people=len(due),
        items=sum(d.count for d in due),
        new=len(new),
        already_reminded=len(due) - len(new),
    )
    if dry_run:
        return run
    created = _reminders_create(new)
    people = {d.user.pk: d.user for d in due}
    unmailed = [reminder for reminder in existing.values() if reminder.emailed_at is None and reminder.read_at is None]
    for reminder in unmailed:
        reminder.user = people[reminder.user_id]
    mailed = notify_reminders([*created, *unmailed])
    if mailed:
        Reminder.objects.filter(pk__in=mailed).update(emailed_at=timezone.now())
    run.emailed = len(mailed)
    return run


def reminders_mark_read(*, user: User, page: str) -> int:
    """Opening the page a person's reminders point to reads them: one UPDATE there, and
    nothing anywhere else (a supervisor's caseload is not their reminder page)."""
    if REMINDER_PAGES.get(user.role) != page:
        return 0
    return Reminder.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def break_glass_reason_error(reason: str) -> str | None:
    """What is wrong with the reason for emergency access, in words for the person."""
    if not reason.strip():
        return _("Enter why you need emergency access to this family")
    if len(reason.strip()) < BREAK_GLASS_REASON_MIN_LENGTH:
        return _("The reason must be at least %(count)s characters") % {"count": BREAK_GLASS_REASON_MIN_LENGTH}
    return None


@transaction.atomic
def break_glass_grant(*, user: User, family: Family, reason: str, now: datetime | None = None) -> BreakGlassAccess:
    """Emergency access: read one family outside one's own work, for an hour, on a stated
    reason. The family's supervisors get a mail that says only that it happened; the
    reason and who was told go in the audit trail."""
    if not can_break_glass(user):
        raise PermissionDenied
    error = break_glass_reason_error(reason)
    if error:
        raise ValidationError({"reason": error})
    now = now or timezone.now()
    access = BreakGlassAccess.objects.create(
        user=user, family=family, reason=reason.strip(), granted_at=now, expires_at=now + BREAK_GLASS_DURATION
    )
    told = notify_break_glass(list(supervisors_of(family)))
    audit_record(
        action=AuditAction.BREAK_GLASS,
        actor=user,
        target=access,
        family_id=family.pk,
        detail={"reason": access.reason, "expires_at": access.expires_at.isoformat(), "told": told},
    )
    return access
