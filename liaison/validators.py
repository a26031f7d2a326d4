"""The rules every date and text obeys, with one wording each. Forms and services ask
here, so a rule and the way it is said exist once."""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NOT_IN_FUTURE = _("The date cannot be in the future.")
NOT_BEFORE_REFERRAL = _("The date cannot be before the referral of the case.")
TOO_LONG = _("Use at most %(limit)s characters.")
CONTROL_CHARACTER = _("The text holds an invisible control character. Remove it, or type the text again.")

# Characters nobody types and PostgreSQL or a page cannot hold: C0 and C1 controls and
# DEL. Tab, line feed and carriage return belong to ordinary text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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


def validate_no_control_characters(value: str | None, *, field: str | None = None) -> None:
    """Text as a person types it: a control character is pasted by accident, or sent by
    someone probing the site; either way it is refused, with one clear message."""
    if value and CONTROL_CHARACTERS.search(str(value)):
        _refuse(CONTROL_CHARACTER, code="control_character", field=field)


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))
