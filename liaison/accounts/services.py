"""Account writes: invitations, second-factor enrolment and verification, sessions."""

import secrets

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from families.models import HouseholdMember
from liaison.access import trusted_members, untrusted_person
from liaison.accounts.models import BackupCodeDevice, Invitation, Role, User
from liaison.accounts.second_factor import backup_device_for, pending_totp_device
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record


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
) -> Invitation:
    """Create the invitation and e-mail its single-use link. The token is stored hashed.
    A parent is invited as a household member already recorded, never as a new one."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("Someone with this e-mail address already has an account.")})
    if role == Role.PARENT:
        member = _invitable_member(member, email)
        full_name = member.full_name
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
    )
    link = build_url(reverse("invitation_accept", args=[token]))
    # The e-mail names no family and no case detail: only that an account awaits.
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
        detail={"role": role, "member": member.pk if member else None},
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
    login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
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


@transaction.atomic
def second_factor_confirm(*, request: HttpRequest, token: str) -> list[str]:
    """Confirm the pending authenticator with a first code; return fresh backup codes."""
    device = pending_totp_device(request.user)
    if not device.verify_token(token.strip().replace(" ", "")):
        audit_record(action=AuditAction.SECOND_FACTOR_FAILED, actor=request.user, detail={"stage": "enrol"})
        raise ValidationError(
            {"token": _("That code is not right. Check the time on your phone and try the newest code.")}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    audit_record(action=AuditAction.SECOND_FACTOR_ENROLLED, actor=request.user, target=device)
    return backup_codes_issue(user=request.user)


def backup_codes_issue(*, user: User) -> list[str]:
    codes = backup_device_for(user).issue_codes(settings.BACKUP_CODE_COUNT)
    audit_record(action=AuditAction.BACKUP_CODES_ISSUED, actor=user)
    return codes


def _device_for_token(user: User, token: str):
    """Six digits are an authenticator code; anything else can only be a backup code.
    Choosing one device keeps a backup code from counting as a failed authenticator try."""
    if token.isdigit() and len(token) == 6:
        return TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return BackupCodeDevice.objects.filter(user=user, confirmed=True).first()


def second_factor_verify(*, request: HttpRequest, token: str) -> None:
    """Pass the second factor for this session with an authenticator or backup code."""
    token = token.strip().replace(" ", "")
    device = _device_for_token(request.user, token)
    if device is None or not device.verify_token(token):
        audit_record(action=AuditAction.SECOND_FACTOR_FAILED, actor=request.user, detail={"stage": "verify"})
        raise ValidationError({"token": _("That code is not right, or it was already used. Try the newest code.")})
    otp_login(request, device)
    audit_record(
        action=AuditAction.SECOND_FACTOR_VERIFIED,
        actor=request.user,
        detail={"device": device.__class__.__name__},
    )


def sign_out_everywhere(*, user: User) -> None:
    """Every session of this user ends, on every device, this one included."""
    user.end_all_sessions()
    audit_record(action=AuditAction.SIGN_OUT_EVERYWHERE, actor=user)


@transaction.atomic
def contact_details_update(*, user: User, phone: str, reachable_when: str) -> User:
    """How and when parents can reach their officer; shown on the parents' home page."""
    user.phone, user.reachable_when = phone.strip(), reachable_when.strip()
    user.full_clean(exclude=["password", "session_token"])
    user.save(update_fields=["phone", "reachable_when", "updated_at"])
    audit_record(action=AuditAction.ACCOUNT_CHANGED, actor=user, target=user, detail={"what": "contact_details"})
    return user


@transaction.atomic
def user_notify_by_set(*, user: User, notify_by: str) -> User:
    """How a person hears that there is something new: by an e-mail that says nothing
    more, or not at all. Someone who reads a parent's mailbox must learn nothing."""
    if user.notify_by == notify_by:
        return user
    user.notify_by = notify_by
    user.full_clean(exclude=["password", "session_token"])
    user.save(update_fields=["notify_by", "updated_at"])
    audit_record(
        action=AuditAction.ACCOUNT_CHANGED,
        actor=user,
        target=user,
        detail={"what": "notify_by", "notify_by": notify_by},
    )
    return user
