"""The contact log: every contact with or about the family, the follow-up actions agreed
(each with an owner and a due date) and the next planned contact."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from liaison import dates


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE = "phone", _("Phone call")
    MESSAGE = "message", _("Message")
    MEETING = "meeting", _("Meeting")
    WITH_POLICE = "with_police", _("With police")
    MULTI_AGENCY = "multi_agency", _("Multi-agency meeting")


# Contacts whose notes, and whose next planned date, are about what the police and other
# agencies do in the case: never shown to the parents, in the portal or their export.
CONFIDENTIAL_CONTACT_KINDS = (ContactKind.WITH_POLICE, ContactKind.MULTI_AGENCY)


class ContactEntry(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="contacts")
    occurred_at = dates.DateTimeField(_("date and time"))
    kind = models.CharField(_("kind of contact"), max_length=20, choices=ContactKind.choices)
    with_whom = models.CharField(_("with whom"), max_length=200)
    summary = models.TextField(_("summary"))
    next_contact_on = dates.DateField(_("next planned contact"), null=True, blank=True, when=dates.PLANNED)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["family", "-occurred_at"])]
        constraints = [*dates.in_range("contactentry", "occurred_at", "next_contact_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class FollowUpAction(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="follow_ups")
    contact = models.ForeignKey(ContactEntry, on_delete=models.PROTECT, related_name="follow_ups")
    description = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("who does it"), max_length=150)
    due_on = dates.DateField(_("due date"), when=dates.PLANNED)
    completed_at = dates.DateTimeField(_("done at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            *dates.in_range("followupaction", "due_on", "completed_at"),
            models.CheckConstraint(name="follow_up_has_an_owner", condition=~Q(owner="")),
        ]

    def __str__(self) -> str:
        return self.description
