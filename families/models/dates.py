"""Dates to check: a date of a case found outside its sensible range (``liaison.dates``)
when the ranges came in. Staff with the case see each one and give the right date."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from liaison import dates


class DateToCheck(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="dates_to_check")
    # The record as "app_label.ModelName" and its primary key, and the date field in it.
    record = models.CharField(_("record"), max_length=100)
    record_pk = models.PositiveBigIntegerField(_("record number"))
    field_name = models.CharField(_("field"), max_length=50)
    found = models.CharField(_("date found"), max_length=40)
    # Whether the date was beyond what the database keeps, and so was replaced by a
    # stand-in (left empty, or the day the record was made) until someone corrects it.
    replaced = models.BooleanField(_("replaced by a stand-in"), default=False)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    corrected_at = dates.DateTimeField(_("corrected at"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["family", "found_at", "pk"]
        verbose_name = _("date to check")
        verbose_name_plural = _("dates to check")
        constraints = [
            *dates.in_range("datetocheck", "corrected_at"),
            models.UniqueConstraint(fields=["record", "record_pk", "field_name"], name="one_date_to_check_per_field"),
        ]

    def __str__(self) -> str:
        return f"{self.record} {self.record_pk} {self.field_name}"

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.record)

    @property
    def field(self) -> models.Field:
        return self.model._meta.get_field(self.field_name)
