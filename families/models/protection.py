"""Protective mode: when a parent may be the exploiter and it is not yet known which,
nothing new reaches any parent of the family. An officer starts it and it holds at
once; a supervisor confirms it within the team's time. It ends when a caregiver is
named as suspected (the other parent's channels reopen, the suspect's stay shut) or
when the concern is closed, each with a reason."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from liaison import dates
from liaison.encryption import EncryptedTextField


class ProtectiveModeEnd(models.TextChoices):
    SUSPECT_NAMED = "suspect_named", _("A caregiver was marked as suspected")
    CONCERN_CLOSED = "concern_closed", _("The concern was closed")


class ProtectiveMode(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="protective_modes")
    reason = EncryptedTextField(_("why"))
    started_at = dates.DateTimeField(_("started at"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmation_due_at = dates.DateTimeField(_("to be confirmed by"), when=dates.PLANNED)
    confirmed_at = dates.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = dates.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end = models.CharField(_("ended because"), max_length=20, choices=ProtectiveModeEnd.choices, blank=True)
    end_note = EncryptedTextField(_("about the end"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("protective mode")
        verbose_name_plural = _("protective modes")
        constraints = [
            *dates.in_range("protectivemode", "started_at", "confirmation_due_at", "confirmed_at", "ended_at"),
            models.UniqueConstraint(
                fields=["family"], condition=Q(ended_at__isnull=True), name="one_protective_mode_at_a_time"
            ),
            models.CheckConstraint(
                name="protective_mode_ends_with_a_reason",
                condition=Q(ended_at__isnull=True, end="") | (Q(ended_at__isnull=False) & ~Q(end="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def holds(self) -> bool:
        return self.ended_at is None
