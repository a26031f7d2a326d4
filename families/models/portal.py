"""What parents bring in through the portal: information they share with their officer
and the police (with its status, so nothing disappears), and their messages with the
officer. Parents choose how they hear that there is something new."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from liaison import dates
from liaison.encryption import EncryptedCharField, EncryptedTextField
from liaison.uploads import private_storage


class SharedStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received by the police")
    ACTED_ON = "acted_on", _("Acted on")
    NO_ACTION = "no_action", _("No action possible")


def shared_attachment_path(instance, filename: str) -> str:
    """A random name: the file name must say nothing about the family."""
    return f"shared-information/{uuid.uuid4().hex}"


class SharedInformation(models.Model):
    """Something a parent saw or found and passed on. It goes to the family's officer
    and the police partners of the linked unit; the parent sees what became of it."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="shared_information")
    text = EncryptedTextField(_("what you saw or found"))
    happened_on = dates.DateField(_("when it happened"), null=True, blank=True)
    happened_where = EncryptedCharField(_("where it happened"), max_length=200, blank=True)
    attachment = models.FileField(
        _("photo or screenshot"), storage=private_storage, upload_to=shared_attachment_path, blank=True
    )
    attachment_type = models.CharField(max_length=40, blank=True, editable=False)
    child_must_not_know = models.BooleanField(_("my child must not learn that this came from me"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=SharedStatus.choices, default=SharedStatus.SENT)
    police_feedback = EncryptedTextField(_("feedback from the police"), blank=True)
    acknowledged_at = dates.DateTimeField(_("received by the police at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_changed_at = dates.DateTimeField(_("status changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shared information")
        verbose_name_plural = _("shared information")
        indexes = [models.Index(fields=["family", "status"])]
        constraints = [
            *dates.in_range("sharedinformation", "happened_on", "acknowledged_at", "status_changed_at"),
            models.CheckConstraint(
                name="acknowledged_information_names_who",
                condition=Q(status="sent") | (Q(acknowledged_at__isnull=False) & Q(acknowledged_by__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.created_at:%Y-%m-%d}"


class PoliceAnswer(models.Model):
    """Each answer of the police to something a parent shared (what became of it, and
    their feedback), kept as given: while protective mode holds, the parents read the
    answer as it stood when it began (``families.selectors.shared.as_parents_saw_it``)."""

    item = models.ForeignKey(SharedInformation, on_delete=models.PROTECT, related_name="answers")
    status = models.CharField(_("status"), max_length=20, choices=SharedStatus.choices)
    feedback = EncryptedTextField(_("feedback from the police"), blank=True)
    answered_at = dates.DateTimeField(_("answered at"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["answered_at", "pk"]
        verbose_name = _("answer of the police")
        verbose_name_plural = _("answers of the police")
        indexes = [models.Index(fields=["item", "answered_at"])]
        constraints = [
            *dates.in_range("policeanswer", "answered_at"),
            models.CheckConstraint(name="police_answer_is_an_answer", condition=~Q(status="sent")),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.answered_at:%Y-%m-%d %H:%M}"


class PortalMessage(models.Model):
    """One message in the thread between the parents and their liaison officer."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="portal_messages")
    text = EncryptedTextField(_("message"))
    from_parent = models.BooleanField(_("from the parents"))
    read_at = dates.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["family", "created_at"])]
        constraints = [*dates.in_range("portalmessage", "read_at")]

    def __str__(self) -> str:
        return f"{self.family} {self.created_at:%Y-%m-%d %H:%M}"
