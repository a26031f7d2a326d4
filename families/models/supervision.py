"""Supervision: the supervisor reviews a family's progress with its officer and writes
down what they agreed. The note takes its place in the family's chronology."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from liaison import dates
from liaison.encryption import EncryptedTextField


class SupervisionNote(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="supervision_notes")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("with officer"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = dates.DateField(_("date of the supervision"), default=timezone.localdate)
    note = EncryptedTextField(_("what was discussed and agreed"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-created_at"]
        verbose_name = _("supervision note")
        verbose_name_plural = _("supervision notes")
        constraints = [*dates.in_range("supervisionnote", "held_on")]

    def __str__(self) -> str:
        return f"{self.family} {self.held_on}"
