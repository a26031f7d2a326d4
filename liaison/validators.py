"""The rules every date and text obeys, with one wording each. Forms and services ask
here, so a rule and the way it is said exist once."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NOT_IN_FUTURE = _("The date cannot be in the future.")
NOT_BEFORE_REFERRAL = _("The date cannot be before the referral of the case.")
TOO_LONG = _("Use at most %(limit)s characters.")


def is_in_future(value: date | datetime | None) -> bool:
    """A moment after now, or a day after today; nothing is never in the future."""
    if value is None:
        return False
    if isinstance(value, datetime):
        return value > timezone.now()
    return value > timezone.localdate()


def _refuse(message, *, code: str, field: str | None, params: dict | None = None) -> None:
    error = ValidationError(message, code=code, params=params)
    raise ValidationError({field: error}) if field else error


def validate_not_in_future(value: date | datetime | None, *, field: str | None = None) -> None:
    """What has happened has a date that has come. ``field`` names the field the error
    belongs to when a service raises it."""
    if is_in_future(value):
        _refuse(NOT_IN_FUTURE, code="future", field=field)


def validate_not_before_referral(day: date | None, referral_on: date, *, field: str | None = None) -> None:
    """Work on a case starts with its referral."""
    if day is not None and day < referral_on:
        _refuse(NOT_BEFORE_REFERRAL, code="before_referral", field=field)


def validate_length(value: str | None, limit: int, *, field: str | None = None) -> None:
    if len(value or "") > limit:
        _refuse(TOO_LONG, code="too_long", field=field, params={"limit": limit})
