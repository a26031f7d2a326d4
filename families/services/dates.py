"""Correcting a date to check (``families.models.DateToCheck``): the right date goes
into the record it was found in, by the rules of that date's own field."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import DateToCheck
from families.services.audit import record_case_change
from liaison.accounts.models import User

ALREADY_CORRECTED = _("This date has already been corrected.")


def date_correct(*, item: DateToCheck, value, corrected_by: User) -> DateToCheck:
    """Put ``value`` (checked by the field's own form field) into the record and mark the
    date as checked, in one transaction with its audit event."""
    with transaction.atomic():
        item = DateToCheck.objects.select_for_update().select_related("family").get(pk=item.pk)
        if item.corrected_at is not None:
            raise ValidationError(ALREADY_CORRECTED, code="already_corrected")
        record = item.model.objects.select_for_update().get(pk=item.record_pk)
        before = getattr(record, item.field_name)
        item.field.clean(value, record)
        setattr(record, item.field_name, value)
        record.save(update_fields=[item.field_name])
        item.corrected_at, item.corrected_by = timezone.now(), corrected_by
        item.save(update_fields=["corrected_at", "corrected_by"])
        record_case_change(
            actor=corrected_by,
            family=item.family,
            target=record,
            what="date_corrected",
            detail={
                "field": item.field_name,
                "found": item.found,
                "before": _iso(before),
                "after": _iso(value),
            },
        )
    return item


def _iso(value) -> str:
    return value.isoformat() if value is not None else ""
