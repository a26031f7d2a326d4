"""Account writes: invitations, second-factor enrolment and verification, sessions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.models import BackupCodeDevice, User
from liaison.accounts.second_factor import backup_device_for, pending_totp_device
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record


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
    """How and when parents can reach their officer; shown on the parents' home page.
    The account's audit event is recorded on saving (``liaison.accounts.signals``)."""
    user.phone, user.reachable_when = phone.strip(), reachable_when.strip()
    user.full_clean(exclude=["password", "session_token"])
    user.save(update_fields=["phone", "reachable_when", "updated_at"])
    return user


@transaction.atomic
def user_notify_by_set(*, user: User, notify_by: str) -> User:
    """How a person hears that there is something new: by an e-mail that says nothing
    more, or not at all. Someone who reads a parent's mailbox must learn nothing."""
    if user.notify_by == notify_by:
        return user
    user.notify_by = notify_by
    user.full_clean(exclude=["password", "session_token"])
    # The audit event, with the choice before and after, is recorded on saving.
    user.save(update_fields=["notify_by", "updated_at"])
    return user


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """The language a person picked in the switcher while signed in: every e-mail to
    them is written in it from now on. A code the site does not offer is ignored."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return user
    user.language = language
    # The audit event, with the choice before and after, is recorded on saving.
    user.save(update_fields=["language", "updated_at"])
    return user
