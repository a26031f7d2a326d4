"""Used by the migrations that bring in the date ranges (``liaison.dates``): every date
of a case outside its range is listed as a date to check; one beyond what the database
will keep (before 1900 or after 2100) is first replaced by a stand-in, left empty where
the field may be empty, else the day the record was made. Written against the models
of the migration, so it keeps working as the models change; the bounds are written out
here for the same reason."""

from datetime import UTC, date, datetime, timedelta

from django.db import models
from django.utils import timezone

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
EARLIEST_MOMENT = datetime(1899, 12, 31, tzinfo=UTC)
LATEST_MOMENT = datetime(2101, 1, 2, tzinfo=UTC)
PLANNED_DAYS_AHEAD = 5 * 366


def _bounds(field: models.Field, planned: bool) -> tuple:
    """(lowest kept, beyond kept, latest sensible) for the field."""
    if isinstance(field, models.DateTimeField):
        latest = timezone.now() + timedelta(days=PLANNED_DAYS_AHEAD if planned else 0)
        return EARLIEST_MOMENT, LATEST_MOMENT, latest
    latest = timezone.localdate() + timedelta(days=PLANNED_DAYS_AHEAD if planned else 0)
    return EARLIEST, LATEST, latest


def _stand_in(model, field: models.Field, pk: int):
    if field.null:
        return None
    made = model.objects.filter(pk=pk).values_list("created_at", flat=True).first()
    if isinstance(field, models.DateTimeField):
        return made
    return timezone.localdate(made)


def record_dates_out_of_range(apps, specs) -> None:
    """``specs``: (app label, model name, field name, planned, path to the family's id)."""
    date_to_check = apps.get_model("families", "DateToCheck")
    for app_label, model_name, name, planned, family_path in specs:
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(name)
        lowest, beyond, latest = _bounds(field, planned)
        outside = models.Q(**{f"{name}__lt": lowest}) | models.Q(**{f"{name}__gte": beyond})
        rows = model.objects.filter(outside | models.Q(**{f"{name}__gt": latest}))
        for pk, value, family_id in rows.values_list("pk", name, family_path):
            kept = lowest <= value < beyond
            if not kept:
                model.objects.filter(pk=pk).update(**{name: _stand_in(model, field, pk)})
            date_to_check.objects.get_or_create(
                record=f"{app_label}.{model_name}",
                record_pk=pk,
                field_name=name,
                defaults={"family_id": family_id, "found": value.isoformat(), "replaced": not kept},
            )
