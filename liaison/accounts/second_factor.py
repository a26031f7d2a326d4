"""Who needs a second factor, and the devices that provide it (django-otp)."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.authentication import HAS_CONFIRMED_DEVICE
from liaison.accounts.models import BackupCodeDevice

TOTP_DEVICE_NAME = "authenticator"


def second_factor_not_required(view_func):
    """Marks a view a signed-in person may reach before passing the second factor: the
    pages that enrol or verify one. Public views (``login_not_required``) need no mark."""
    view_func.second_factor_required = False
    return view_func


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def requires_second_factor(user) -> bool:
    """Staff always; parents once they enrolled one themselves (as read with the user
    when the request began, where it was: ``liaison.accounts.authentication``)."""
    if user.is_staff_role:
        return True
    confirmed = getattr(user, HAS_CONFIRMED_DEVICE, None)
    return has_confirmed_device(user) if confirmed is None else confirmed


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled, created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def secret_as_text(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG (no script, no external request)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def backup_device_for(user) -> BackupCodeDevice:
    device, _ = BackupCodeDevice.objects.get_or_create(user=user, defaults={"name": "backup codes", "confirmed": True})
    return device


def confirmed_devices(user) -> list:
    return list(devices_for_user(user, confirmed=True))


def backup_code_count() -> int:
    return settings.BACKUP_CODE_COUNT
