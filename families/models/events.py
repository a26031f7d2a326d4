"""Incidents and threats against the family, and missing episodes of a child with the
return conversation that is due within 72 hours of the return."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from families.models.household import Child
from liaison import dates
from liaison.encryption import EncryptedCharField, EncryptedTextField

RETURN_CONVERSATION_DUE = timedelta(hours=72)


def return_conversation_due(ended_at):
    """When the return conversation is due after a child came back (None while missing)."""
    return ended_at + RETURN_CONVERSATION_DUE if ended_at else None


class IncidentKind(models.TextChoices):
    INTIMIDATION = "intimidation", _("Intimidation")
    HARASSMENT = "harassment", _("Harassment")
    STALKING = "stalking", _("Stalking")
    ONLINE_THREAT = "online_threat", _("Online threat")
    DAMAGE = "damage", _("Damage to property")
    OTHER = "other", _("Other")


class Incident(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="incidents")
    occurred_at = dates.DateTimeField(_("when"))
    kind = models.CharField(_("kind"), max_length=20, choices=IncidentKind.choices)
    description = EncryptedTextField(_("what happened"))
    person_of_concern = EncryptedCharField(
        _("who (person of concern)"), max_length=150, blank=True, help_text=_("Leave empty when not known.")
    )
    reported_to_police = models.BooleanField(_("reported to police"), default=False)
    police_reference = models.CharField(_("police reference"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [*dates.in_range("incident", "occurred_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class MissingEpisode(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="missing_episodes")
    child = models.ForeignKey(Child, verbose_name=_("child"), on_delete=models.PROTECT, related_name="missing_episodes")
    started_at = dates.DateTimeField(_("missing since"))
    ended_at = dates.DateTimeField(_("returned at"), null=True, blank=True)
    reported_to_police = models.BooleanField(_("reported to police"), default=False)
    police_reference = models.CharField(_("police reference"), max_length=60, blank=True)
    where_found = EncryptedCharField(_("where found"), max_length=200, blank=True)
    return_conversation_at = dates.DateTimeField(_("return conversation held at"), null=True, blank=True)
    return_conversation_note = EncryptedTextField(_("return conversation"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("missing episode")
        verbose_name_plural = _("missing episodes")
        constraints = [
            *dates.in_range("missingepisode", "started_at", "ended_at", "return_conversation_at"),
            models.CheckConstraint(
                name="missing_returns_after_it_starts",
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
            ),
            models.CheckConstraint(
                name="return_conversation_after_return",
                condition=Q(return_conversation_at__isnull=True)
                | (Q(ended_at__isnull=False) & Q(return_conversation_at__gte=models.F("ended_at"))),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.started_at:%Y-%m-%d}"

    @property
    def return_conversation_due_at(self):
        return return_conversation_due(self.ended_at)

    @property
    def return_conversation_overdue(self) -> bool:
        due = self.return_conversation_due_at
        return bool(due and self.return_conversation_at is None and due < timezone.now())
