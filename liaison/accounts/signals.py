"""Sign-ins, failures, lockouts and every change to an account go into the audit trail.

A change to an account is recorded wherever it is made (the admin, a service, a shell),
with the value before and after: its role, team, police unit, whether it is active, and
its second factor. A team change alone opens a whole team's families to the person, so
nothing of this may change unseen. Personal details (e-mail address, name, phone,
when to reach them) are recorded as changed without their values: the trail is never
erased, and a person's erased details must not live on in it. Passwords, sign-ins and
"sign out everywhere" have events of their own."""

from allauth.account.signals import password_changed, password_reset
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.models import BackupCodeDevice, User
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


# Recorded with their values before and after: what decides access and how a person is told.
ACCESS_FIELDS = ("role", "team", "police_unit", "is_active", "is_superuser", "notify_by", "language")
# Recorded as changed, without the values.
PERSONAL_FIELDS = ("email", "full_name", "phone", "reachable_when")
RELATIONS = ("team", "police_unit")
# The second factor, by kind of device, as it appears in an account's changes.
DEVICE_KINDS = {TOTPDevice: "authenticator", BackupCodeDevice: "backup_codes"}
DEVICE_ABSENT, DEVICE_PENDING, DEVICE_CONFIRMED = "none", "not_confirmed", "confirmed"


def _columns() -> list[str]:
    columns = [field for field in ACCESS_FIELDS + PERSONAL_FIELDS if field not in RELATIONS]
    for relation in RELATIONS:
        columns += [f"{relation}_id", f"{relation}__name"]
    return columns


def _access_values(row: dict) -> dict:
    """The recorded form of each access field: a relation as its number and name."""
    values = {field: row[field] for field in ACCESS_FIELDS if field not in RELATIONS}
    for relation in RELATIONS:
        number = row[f"{relation}_id"]
        values[relation] = {"id": number, "name": row[f"{relation}__name"]} if number is not None else None
    return values


def _current_row(user: User) -> dict:
    row = {field: getattr(user, field) for field in ACCESS_FIELDS + PERSONAL_FIELDS if field not in RELATIONS}
    for relation in RELATIONS:
        related = getattr(user, relation) if getattr(user, f"{relation}_id") is not None else None
        row[f"{relation}_id"] = related.pk if related is not None else None
        row[f"{relation}__name"] = related.name if related is not None else None
    return row


def _tracked(update_fields) -> bool:
    if update_fields is None:
        return True
    return bool(set(update_fields) & set(ACCESS_FIELDS + PERSONAL_FIELDS))


@receiver(pre_save, sender=User)
def remember_the_account_before(sender, instance: User, update_fields=None, **kwargs) -> None:
    """The account as stored, read just before a save that may change it."""
    instance._account_before = None
    if instance.pk is not None and _tracked(update_fields):
        instance._account_before = User.objects.filter(pk=instance.pk).values(*_columns()).first()


@receiver(post_save, sender=User)
def record_account_change(sender, instance: User, created: bool, **kwargs) -> None:
    before = getattr(instance, "_account_before", None)
    instance._account_before = None
    if created:
        after = _access_values(_current_row(instance))
        changes = {
            field: {"before": None, "after": value} for field, value in after.items() if value not in (None, False, "")
        }
        audit_record(
            action=AuditAction.ACCOUNT_CREATED, target=instance, detail={"role": instance.role, "changes": changes}
        )
        return
    if before is None:
        return
    after = _current_row(instance)
    old, new = _access_values(before), _access_values(after)
    changes = {
        field: {"before": old[field], "after": new[field]}
        for field in ACCESS_FIELDS
        if _key(old[field]) != _key(new[field])
    }
    changes |= {field: {"changed": True} for field in PERSONAL_FIELDS if before[field] != after[field]}
    if not changes:
        return
    audit_record(
        action=AuditAction.ROLE_CHANGED if "role" in changes else AuditAction.ACCOUNT_CHANGED,
        target=instance,
        detail={"what": "account", "changes": changes},
    )


def _key(value):
    """A relation is the same when its number is, whatever its name is now."""
    return value["id"] if isinstance(value, dict) else value


def _device_state(confirmed: bool | None) -> str:
    if confirmed is None:
        return DEVICE_ABSENT
    return DEVICE_CONFIRMED if confirmed else DEVICE_PENDING


def _record_device_change(device, user_id: int, before: str, after: str) -> None:
    """Only what touches a working second factor: a device being set up is not one yet."""
    if before == after or DEVICE_CONFIRMED not in (before, after):
        return
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    kind = DEVICE_KINDS[type(device)]
    audit_record(
        action=AuditAction.SECOND_FACTOR_CHANGED,
        target=user,
        detail={"what": "second_factor", "device": device.pk, "changes": {kind: {"before": before, "after": after}}},
    )


@receiver(pre_save, sender=TOTPDevice)
@receiver(pre_save, sender=BackupCodeDevice)
def remember_the_device_before(sender, instance, update_fields=None, **kwargs) -> None:
    instance._device_before = None
    if instance.pk is not None and (update_fields is None or {"user", "confirmed"} & set(update_fields)):
        instance._device_before = sender.objects.filter(pk=instance.pk).values("user_id", "confirmed").first()


@receiver(post_save, sender=TOTPDevice)
@receiver(post_save, sender=BackupCodeDevice)
def record_device_change(sender, instance, created: bool, **kwargs) -> None:
    before = None if created else getattr(instance, "_device_before", None)
    if not created and before is None:
        return
    after = _device_state(instance.confirmed)
    if before is not None and before["user_id"] != instance.user_id:
        # Moved to another account (in the admin): gone from one, come to the other.
        _record_device_change(instance, before["user_id"], _device_state(before["confirmed"]), DEVICE_ABSENT)
        before = None
    was = _device_state(before["confirmed"]) if before is not None else DEVICE_ABSENT
    _record_device_change(instance, instance.user_id, was, after)


@receiver(post_delete, sender=TOTPDevice)
@receiver(post_delete, sender=BackupCodeDevice)
def record_device_removal(sender, instance, **kwargs) -> None:
    _record_device_change(instance, instance.user_id, _device_state(instance.confirmed), DEVICE_ABSENT)
