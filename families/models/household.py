"""The household: the children (the exploited child and siblings) and the parents and
other caregivers, with their safe-contact preferences. A caregiver may be suspected of
exploitation or abuse; the mark and its lifting are kept as history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from liaison import dates
from liaison.encryption import EncryptedTextField


class ChildRole(models.TextChoices):
    EXPLOITED = "exploited", _("Exploited child")
    SIBLING = "sibling", _("Sibling")


class ExploitationKind(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    CRIMINAL = "criminal", _("Criminal exploitation")
    BOTH = "both", _("Sexual and criminal exploitation")
    UNKNOWN = "unknown", _("Not yet known")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


RISK_ORDER = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3, RiskLevel.VERY_HIGH: 4}


def dated_risk(*, level: str, set_on, previous_level: str = "", previous_set_on=None):
    """The date a risk level counts from: the given date, else the previous date while
    the level is unchanged, else today. A date left over from the old level does not count."""
    if not level:
        return None
    if level != previous_level and set_on == previous_set_on:
        set_on = None
    if set_on:
        return set_on
    if level == previous_level and previous_set_on:
        return previous_set_on
    return timezone.localdate()


class Child(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="children")
    full_name = models.CharField(_("name"), max_length=150)
    born_on = dates.DateField(_("date of birth"), null=True, blank=True)
    school = models.CharField(_("school"), max_length=150, blank=True)
    role = models.CharField(_("in this case"), max_length=20, choices=ChildRole.choices, default=ChildRole.EXPLOITED)
    exploitation_kind = models.CharField(
        _("kind of exploitation"), max_length=20, choices=ExploitationKind.choices, blank=True
    )
    risk_level = models.CharField(_("current risk level"), max_length=20, choices=RiskLevel.choices, blank=True)
    risk_set_on = dates.DateField(_("risk level set on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    erased_at = dates.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        ordering = ["role", "born_on", "full_name"]
        verbose_name = _("child")
        verbose_name_plural = _("children")
        constraints = [
            *dates.in_range("child", "born_on", "risk_set_on", "erased_at"),
            models.CheckConstraint(
                name="exploited_child_has_kind_and_risk",
                condition=Q(role="sibling")
                | (~Q(exploitation_kind="") & ~Q(risk_level="") & Q(risk_set_on__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class SafeChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")
    VIA_OFFICER = "via_officer", _("Only through the liaison officer")


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
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    safe_times = models.CharField(_("safe times to contact"), max_length=200, blank=True)
    safe_channel = models.CharField(_("safe way to contact"), max_length=20, choices=SafeChannel.choices, blank=True)
    never_call_number = models.CharField(
        _("never call on this number"),
        max_length=40,
        blank=True,
        help_text=_("A number that others (for example the exploiter) may see or answer."),
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    language = models.CharField(_("language"), max_length=60, blank=True)
    # Denormalised from CaregiverSuspicion for the access policy: kept in step by services.
    is_suspected = models.BooleanField(_("suspected of exploitation or abuse"), default=False)
    erased_at = dates.DateTimeField(_("erased at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            *dates.in_range("householdmember", "erased_at"),
            models.UniqueConstraint(fields=["family", "user"], name="household_member_account_once_per_family"),
            # One person, one record: the same address twice in a household is one person twice.
            models.UniqueConstraint(
                "family",
                Lower("email"),
                condition=~Q(email=""),
                name="household_member_address_once_per_family",
                violation_error_message=_("This e-mail address is already recorded for someone in this household."),
            ),
        ]
        indexes = [
            # The access policy asks on every portal request who is suspected anywhere.
            models.Index(fields=["user"], condition=Q(is_suspected=True), name="household_member_suspected"),
            # A person is found by an address in any family (``liaison.access.people``).
            models.Index(Lower("email"), name="household_member_address"),
        ]

    def __str__(self) -> str:
        return self.full_name


class CaregiverSuspicion(models.Model):
    """The mark 'suspected of exploitation or abuse'. Set by staff; only a supervisor
    lifts it, with a reason. Kept as history, never deleted."""

    member = models.ForeignKey(HouseholdMember, on_delete=models.PROTECT, related_name="suspicions")
    reason = EncryptedTextField(_("why"))
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = dates.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    lift_reason = EncryptedTextField(_("reason for lifting"), blank=True)

    class Meta:
        ordering = ["-marked_at"]
        verbose_name = _("suspicion mark")
        verbose_name_plural = _("suspicion marks")
        constraints = [
            *dates.in_range("caregiversuspicion", "lifted_at"),
            models.UniqueConstraint(
                fields=["member"], condition=Q(lifted_at__isnull=True), name="one_open_suspicion_per_member"
            ),
            models.CheckConstraint(
                name="lifting_needs_a_reason_and_a_person",
                condition=Q(lifted_at__isnull=True) | (~Q(lift_reason="") & Q(lifted_by__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.marked_at:%Y-%m-%d})"
