"""Writes about teams, done by their supervisors, the reminders their people get, the
emergency access someone takes to a family outside their own work, and invitations."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from families.models import Family, HouseholdMember
from families.selectors.concerns import open_concern
from liaison.access import can_break_glass, check_parents_reachable, supervisors_of, trusted_members, untrusted_person
from liaison.accounts.models import (
    BREAK_GLASS_DURATION,
    BREAK_GLASS_REASON_MIN_LENGTH,
    POLICE_UNIT_LIMITS,
    BreakGlassAccess,
    Invitation,
    PoliceUnit,
    Reminder,
    Role,
    Team,
    User,
    site_language,
)
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.notifications import notify_break_glass, notify_reminders
from liaison.staff.reminders import READ_IN_THIS_REQUEST, REMINDER_PAGES, DueReminder, reminders_due, sent_reminders

CONFIRM_DESPITE_CONCERN = gettext_lazy(
    "There is an open concern that a caregiver in this family may be involved. Invite this caregiver only "
    "when you are sure it is safe, and tick the box to confirm. Otherwise, follow the other route: do not "
    "ask this caregiver's consent, and ask the other parent or the child protection board."
)

TEAM_SETTINGS = (
    "team_view",
    "contact_limit_days",
    "protective_mode_confirm_hours",
    "closed_readable_months",
)


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


@transaction.atomic
def police_unit_settings_update(*, unit: PoliceUnit, administrator: User, **limits) -> PoliceUnit:
    """How many working days the unit's partners have to confirm what parents shared,
    endorse an agreed plan and approve a text for the parents: the due dates of what
    waits for them, shown to them, the officers and the supervisors, and reminded of."""
    if set(limits) - set(POLICE_UNIT_LIMITS):
        raise ValueError(f"Unknown police unit settings: {sorted(set(limits) - set(POLICE_UNIT_LIMITS))}")
    unit = PoliceUnit.objects.select_for_update().get(pk=unit.pk)
    changed = {name: value for name, value in limits.items() if getattr(unit, name) != value}
    if changed:
        before = {name: getattr(unit, name) for name in changed}
        for name, value in changed.items():
            setattr(unit, name, value)
        unit.full_clean()
        unit.save(update_fields=list(changed))
        audit_record(
            action=AuditAction.POLICE_UNIT_CHANGED,
            actor=administrator,
            target=unit,
            detail={"before": before, "after": changed},
        )
    return unit


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
    marked = Reminder.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    setattr(user, READ_IN_THIS_REQUEST, True)
    return marked


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
        family=family,
        detail={"reason": access.reason, "expires_at": access.expires_at.isoformat(), "told": told},
    )
    return access


@transaction.atomic
def invitation_create(
    *,
    created_by: User,
    email: str,
    role: str,
    full_name: str = "",
    team=None,
    police_unit=None,
    member: HouseholdMember | None = None,
    build_url,
    confirm_despite_concern: bool = False,
    language: str = "",
) -> Invitation:
    """Create the invitation and e-mail its single-use link. The token is stored hashed.
    A parent is invited as a household member already recorded, never as a new one.
    While a concern that a caregiver may be involved is open in the family, the inviter
    confirms that inviting this caregiver is safe; the confirmation is in the audit trail.
    The e-mail is in the language the inviter chose for the person (the site's by default),
    whatever language the inviter reads."""
    email = email.strip().lower()
    language = language or site_language()
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose the language of the e-mails.")})
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("Someone with this e-mail address already has an account.")})
    despite_concern = None
    if role == Role.PARENT:
        member = _invitable_member(member, email)
        full_name = member.full_name
        despite_concern = open_concern(member.family)
        if despite_concern is not None and not confirm_despite_concern:
            raise ValidationError({"confirm_despite_concern": CONFIRM_DESPITE_CONCERN})
    elif member is not None:
        raise ValidationError(_("Only a parent or caregiver is invited as a household member."))
    earlier = Q(email=email) | Q(member=member) if member else Q(email=email)
    Invitation.objects.open().filter(earlier).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name.strip(),
        role=role,
        team=team,
        police_unit=police_unit,
        member=member,
        family=member.family if member else None,
        relation=member.relation if member else "",
        token_hash=Invitation.hash_token(token),
        created_by=created_by,
        expires_at=Invitation.default_expiry(),
        language=language,
    )
    link = build_url(reverse("invitation_accept", args=[token]))
    # The e-mail names no family and no case detail: only that an account awaits.
    with translation.override(language):
        send_mail(
            subject=_("Your invitation"),
            message=render_to_string(
                "accounts/email/invitation.txt",
                {"link": link, "hours": settings.INVITATION_VALID_HOURS},
            ),
            from_email=None,
            recipient_list=[email],
        )
    audit_record(
        action=AuditAction.INVITATION_SENT,
        actor=created_by,
        target=invitation,
        family_id=invitation.family_id,
        detail={
            "role": role,
            "member": member.pk if member else None,
            "despite_open_concern": despite_concern.pk if despite_concern else None,
        },
    )
    return invitation


def _invitable_member(member: HouseholdMember | None, email: str) -> HouseholdMember:
    """The household member a parent's invitation is for, locked while it is issued:
    chosen, without an account, not erased, and not a person untrusted anywhere."""
    if member is None:
        raise ValidationError({"member": _("Choose the parent or caregiver from the household.")})
    member = HouseholdMember.objects.select_for_update().select_related("family").get(pk=member.pk)
    if member.user_id is not None or member.erased_at is not None:
        raise ValidationError({"member": _("This person already has a portal account.")})
    if not trusted_members().filter(pk=member.pk).exists() or untrusted_person(
        email=email, full_name=member.full_name, family=member.family
    ):
        raise ValidationError(_("This person cannot be invited to this family's portal."))
    check_parents_reachable(member.family)
    return member


def invitation_for_token(token: str) -> Invitation | None:
    """The open invitation for this link, or None if unknown, used, revoked or expired."""
    return Invitation.objects.open().filter(token_hash=Invitation.hash_token(token)).first()


@transaction.atomic
def invitation_accept(*, request: HttpRequest, token: str, password: str) -> User:
    """Create the account and, for a parent, link it to the household member the
    invitation was for: the person who was recorded, not a second record of them."""
    invitation = Invitation.objects.select_for_update().open().filter(token_hash=Invitation.hash_token(token)).first()
    if invitation is None:
        raise ValidationError(_("This invitation link is no longer valid. Ask for a new invitation."))
    if User.objects.filter(email=invitation.email).exists():
        raise ValidationError(_("Someone with this e-mail address already has an account."))
    member = None
    if invitation.role == Role.PARENT:
        member = HouseholdMember.objects.select_for_update().filter(pk=invitation.member_id).first()
        if not _may_accept(invitation, member):
            # Worded like any stale link: a suspected caregiver learns nothing.
            raise ValidationError(_("This invitation link is no longer valid. Ask for a new invitation."))
    user = User.objects.create_user(
        email=invitation.email,
        password=password,
        full_name=invitation.full_name,
        role=invitation.role,
        team=invitation.team,
        police_unit=invitation.police_unit,
        language=invitation.language,
    )
    if member is not None:
        member.user = user
        member.save(update_fields=["user", "updated_at"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit_record(
        action=AuditAction.INVITATION_ACCEPTED,
        actor=user,
        target=invitation,
        family_id=invitation.family_id,
        detail={"member": member.pk if member else None},
    )
    login(request, user, backend="liaison.accounts.authentication.AuthenticationBackend")
    return user


def _may_accept(invitation: Invitation, member: HouseholdMember | None) -> bool:
    """The member is still there without an account, and nobody untrusted is reached."""
    if member is None or member.user_id is not None or member.erased_at is not None:
        return False
    if not trusted_members().filter(pk=member.pk).exists():
        return False
    return not untrusted_person(email=invitation.email, full_name=member.full_name, family=member.family)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: User) -> None:
    if invitation.status != "open":
        raise ValidationError(_("Only an open invitation can be withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(action=AuditAction.INVITATION_REVOKED, actor=revoked_by, target=invitation)
