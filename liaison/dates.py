"""Every date and time the product keeps lies in a sensible range, by construction.

A date is of one of two kinds: a day that has *happened* (a contact, an incident, a
birth, a referral) is not before 1900 and not in the future; a *planned* day (a next
contact, a due date, a hearing, a plan's review) is not before 1900 and at most five
years ahead. The model fields below carry their kind; their form fields check it
before anything else touches the value (a year 1 or 9999 cannot be turned into a moment
in another time zone), and ``in_range`` gives the database check constraints that keep
every stored value between 1900 and 2100 whatever writes it."""

from datetime import UTC, date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from liaison.validators import NOT_IN_FUTURE

HAPPENED = "happened"
PLANNED = "planned"
KINDS = (HAPPENED, PLANNED)

EARLIEST = date(1900, 1, 1)
# What the database holds at most, whatever the kind: far beyond any planned day.
LATEST = date(2100, 12, 31)
PLANNED_YEARS_AHEAD = 5

TOO_EARLY = _("The date cannot be before 1900.")
TOO_FAR_AHEAD = _("The date can be at most %(years)s years ahead.")

DAY_FORMAT = "%Y-%m-%d"
MOMENT_FORMAT = "%Y-%m-%dT%H:%M"


def latest_planned_day(today: date | None = None) -> date:
    """Five years from today (the 28th of February for the 29th, in a year without one)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + PLANNED_YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + PLANNED_YEARS_AHEAD, day=28)


def _day_of(value: date | datetime) -> date:
    """The calendar day as typed: a moment's own wall-clock date, never converted (a
    conversion of year 1 or 9999 to another time zone overflows)."""
    return value.date() if isinstance(value, datetime) else value


def _too_far_ahead(kind: str) -> ValidationError:
    if kind == HAPPENED:
        return ValidationError(NOT_IN_FUTURE, code="future")
    return ValidationError(TOO_FAR_AHEAD, code="too_far_ahead", params={"years": PLANNED_YEARS_AHEAD})


def check_storable(value: date | datetime | None, kind: str) -> None:
    """Between 1900 and 2100: what the database constraints allow."""
    if value is None:
        return
    day = _day_of(value)
    if day < EARLIEST:
        raise ValidationError(TOO_EARLY, code="too_early")
    if day >= LATEST:
        raise _too_far_ahead(kind)


def check_kind(value: date | datetime | None, kind: str) -> None:
    """The rule of the kind: a day that happened is not in the future, a planned day at
    most five years ahead. Call on a storable value only."""
    if value is None:
        return
    check_storable(value, kind)
    if kind == HAPPENED:
        in_future = value > timezone.now() if isinstance(value, datetime) else value > timezone.localdate()
        if in_future:
            raise _too_far_ahead(kind)
    elif _day_of(timezone.localtime(value) if isinstance(value, datetime) else value) > latest_planned_day():
        raise _too_far_ahead(kind)


def _check_kind_name(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"A date is {' or '.join(KINDS)}, not {kind!r}")
    return kind


# Form fields -----------------------------------------------------------------------


class DateFormField(forms.DateField):
    """A day typed in the browser's date picker, checked against its kind."""

    widget = forms.DateInput(attrs={"type": "date"}, format=DAY_FORMAT)
    default_error_messages = {
        "required": _("Give the date."),
        "invalid": _("Enter a real date, for example 14-03-2026."),
    }

    def __init__(self, *, when: str = HAPPENED, **kwargs) -> None:
        self.when = _check_kind_name(when)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("min", EARLIEST.isoformat())

    def to_python(self, value):
        day = super().to_python(value)
        check_storable(day, self.when)
        return day

    def validate(self, value) -> None:
        super().validate(value)
        check_kind(value, self.when)


class DateTimeFormField(forms.DateTimeField):
    """A date and time typed in the browser's date-time picker, checked against its kind
    before it becomes a moment in the user's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT_FORMAT)
    default_error_messages = {
        "required": _("Give the date and time."),
        "invalid": _("Enter a real date and time, for example 14-03-2026 21:30."),
    }

    def __init__(self, *, when: str = HAPPENED, **kwargs) -> None:
        self.when = _check_kind_name(when)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("min", f"{EARLIEST.isoformat()}T00:00")

    def prepare_value(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value) and EARLIEST <= value.date() < LATEST:
            return timezone.localtime(value)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        typed = value if isinstance(value, date) else self._as_typed(value)
        check_storable(typed, self.when)
        return super().to_python(typed)

    def _as_typed(self, value: str) -> datetime:
        """The date and time as typed, not yet placed in a time zone (forms.DateTimeField
        parses and places in one step; the range is checked between the two)."""
        try:
            typed = parse_datetime(str(value).strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return typed or BaseTemporalField.to_python(self, value)

    def validate(self, value) -> None:
        super().validate(value)
        check_kind(value, self.when)


# Model fields ----------------------------------------------------------------------


class _KindOfDate:
    def __init__(self, *args, when: str = HAPPENED, **kwargs) -> None:
        self.when = _check_kind_name(when)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.when != HAPPENED:
            kwargs["when"] = self.when
        return name, path, args, kwargs

    def validate(self, value, model_instance) -> None:
        super().validate(value, model_instance)
        check_kind(value, self.when)


class DateField(_KindOfDate, models.DateField):
    """A day of a case: ``when`` says whether it happened or is planned."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DateFormField, "when": self.when, **kwargs})


class DateTimeField(_KindOfDate, models.DateTimeField):
    """A moment of a case: ``when`` says whether it happened or is planned."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DateTimeFormField, "when": self.when, **kwargs})


# Database constraints ----------------------------------------------------------------

# A moment is checked on its own wall-clock day, which is up to a day from UTC: the
# database keeps a day's margin on each side.
EARLIEST_MOMENT = datetime(EARLIEST.year - 1, 12, 31, tzinfo=UTC)
LATEST_MOMENT = datetime(LATEST.year + 1, 1, 2, tzinfo=UTC)


def in_range(table: str, *names: str) -> list[models.CheckConstraint]:
    """Check constraints keeping each named date (``…_on``) or moment (``…_at``) between
    1900 and 2100; ``table`` makes the constraint names unique in the database."""
    constraints = []
    for name in names:
        if name.endswith("_on"):
            bounds = (EARLIEST, LATEST)
        elif name.endswith("_at"):
            bounds = (EARLIEST_MOMENT, LATEST_MOMENT)
        else:
            raise ValueError(f"{name!r}: a date is named …_on and a moment …_at")
        condition = models.Q(**{f"{name}__gte": bounds[0], f"{name}__lt": bounds[1]})
        constraints.append(models.CheckConstraint(condition=condition, name=f"{table}_{name}_in_range"))
    return constraints
