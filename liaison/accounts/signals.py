"""Sign-ins, failures, lockouts and role changes go into the audit trail."""

from allauth.account.signals import password_changed, password_reset
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.client_address import client_ip


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs) -> None:
    audit_record(action=AuditAction.SIGN_IN, actor=user, ip_address=_ip(request))


@receiver(user_logged_out)
def on_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(action=AuditAction.SIGN_OUT, actor=user, ip_address=_ip(request))


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    typed = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit_record(action=AuditAction.SIGN_IN_FAILED, actor_email=typed, ip_address=_ip(request))


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit_record(action=AuditAction.LOCKED_OUT, actor_email=str(username or "")[:254], ip_address=ip_address)


@receiver(password_changed)
def on_password_changed(sender, request, user, **kwargs) -> None:
    audit_record(action=AuditAction.PASSWORD_CHANGED, actor=user, ip_address=_ip(request))


@receiver(password_reset)
def on_password_reset(sender, request, user, **kwargs) -> None:
    audit_record(action=AuditAction.PASSWORD_RESET, actor=user, ip_address=_ip(request))


@receiver(pre_save, sender=User)
def remember_previous_role(sender, instance: User, update_fields=None, **kwargs) -> None:
    if update_fields is not None and "role" not in update_fields:
        instance._previous_role = instance.role
        return
    previous = User.objects.filter(pk=instance.pk).values_list("role", flat=True).first() if instance.pk else None
    instance._previous_role = previous


@receiver(post_save, sender=User)
def on_role_change(sender, instance: User, created: bool, **kwargs) -> None:
    previous = getattr(instance, "_previous_role", None)
    if created:
        audit_record(action=AuditAction.ACCOUNT_CREATED, target=instance, detail={"role": instance.role})
    elif previous and previous != instance.role:
        audit_record(
            action=AuditAction.ROLE_CHANGED,
            target=instance,
            detail={"from": previous, "to": instance.role},
        )
