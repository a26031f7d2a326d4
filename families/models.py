"""The family case. For now it holds what the access policy needs: the team that owns
the case, the one named liaison officer, the linked police unit, and the household
members whose portal accounts reach it (a caregiver may be a suspect)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import PoliceUnit, Team


class FamilyStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACTIVE = "active", _("Active")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")


class Family(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    display_name = models.CharField(
        _("family name"), max_length=120, help_text=_("How staff refer to the family, e.g. 'Family Jansen'.")
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="families")
    liaison_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison officer"),
        on_delete=models.PROTECT,
        related_name="caseload",
    )
    police_unit = models.ForeignKey(
        PoliceUnit,
        verbose_name=_("police unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="families",
    )
    status = models.CharField(_("status"), max_length=20, choices=FamilyStatus.choices, default=FamilyStatus.REFERRED)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["reference"]
        verbose_name = _("family")
        verbose_name_plural = _("families")

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        if not self.reference:
            self.reference = next_reference()
        super().save(*args, **kwargs)


def next_reference() -> str:
    """References read like 'PL-2026-00042': the year and a running number."""
    year = timezone.localdate().year
    prefix = f"PL-{year}-"
    last = Family.objects.filter(reference__startswith=prefix).order_by("-reference").first()
    number = int(last.reference.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:05d}"


class HouseholdMember(models.Model):
    """A parent or other caregiver. Only a member with a portal account who is not
    suspected of exploitation or abuse reaches the family in the portal."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="household_members")
    full_name = models.CharField(_("full name"), max_length=150)
    relation = models.CharField(_("relation to the child"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="household_memberships",
    )
    is_suspected = models.BooleanField(_("suspected of exploitation or abuse"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(fields=["family", "user"], name="household_member_account_once_per_family"),
        ]

    def __str__(self) -> str:
        return self.full_name
