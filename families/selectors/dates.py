"""The dates of a case still to check, with what a person needs to recognise each."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import formats, timezone

from families.models import DateToCheck, Family


def open_dates_to_check(family: Family) -> QuerySet[DateToCheck]:
    return DateToCheck.objects.filter(family=family, corrected_at__isnull=True).order_by("found_at", "pk")


@dataclass(frozen=True)
class DateToCheckRow:
    item: DateToCheck
    record: str
    field: str
    found: str
    now: str


def date_to_check_rows(family: Family) -> list[DateToCheckRow]:
    """One row per open date: the kind of record, the field, what was found and what the
    record holds now (a stand-in when the date found could not be kept)."""
    return [date_to_check_row(item) for item in open_dates_to_check(family)]


def date_to_check_row(item: DateToCheck) -> DateToCheckRow:
    """One open date with what its record holds now: one query (a case has few)."""
    current = item.model.objects.filter(pk=item.record_pk).values_list(item.field_name, flat=True).first()
    return DateToCheckRow(
        item=item,
        record=str(item.model._meta.verbose_name),
        field=str(item.field.verbose_name),
        found=item.found,
        now=_shown(current),
    )


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return formats.date_format(value, "SHORT_DATE_FORMAT")
