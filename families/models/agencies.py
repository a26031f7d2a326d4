"""Which agencies are involved with the family and the named worker at each, from when
to when. Every change of worker at an agency is one entry, so the case can say how many
workers the family has had to tell its story to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from liaison import dates


class Agency(models.TextChoices):
    POLICE_VICE = "police_vice", _("Police vice unit")
    YOUTH_CARE = "youth_care", _("Youth care")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    SCHOOL = "school", _("School")
    CHILD_PROTECTION = "child_protection", _("Child protection board")
    HEALTH_CARE = "health_care", _("Health care")
    VICTIM_SUPPORT = "victim_support", _("Victim support")
    OTHER = "other", _("Other")


class AgencyInvolvement(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="agency_involvements")
    agency = models.CharField(_("agency"), max_length=30, choices=Agency.choices)
    agency_detail = models.CharField(_("organisation or department"), max_length=150, blank=True)
    worker_name = models.CharField(_("named worker"), max_length=150)
    worker_contact = models.CharField(_("how to reach them"), max_length=200, blank=True)
    started_on = dates.DateField(_("from"))
    ended_on = dates.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["agency", "-started_on"]
        verbose_name = _("agency involvement")
        verbose_name_plural = _("agency involvements")
        constraints = [
            *dates.in_range("agencyinvolvement", "started_on", "ended_on"),
            models.CheckConstraint(
                name="agency_worker_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_display()}: {self.worker_name}"
