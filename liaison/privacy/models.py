"""Retention periods per kind of record, what retention did to each archived case, and
erasure requests that a second administrator decides."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liaison.encryption import EncryptedTextField

DEFAULT_RETENTION_YEARS = 20
MIN_RETENTION_YEARS = 1
MAX_RETENTION_YEARS = 100


class RecordKind(models.TextChoices):
    """The kinds of record a closed case holds, each with its own retention period."""

    CONTACTS = "contacts", _("Contact log and follow-up actions")
    EVENTS = "events", _("Incidents and missing episodes")
    CONTEXTS = "contexts", _("Contexts the case named: people, vehicles, phone numbers, handles and places")
    AGENCIES = "agencies", _("Agencies involved")
    PORTAL = "portal", _("Messages and information shared by the parents")
    SUPERVISION = "supervision", _("Supervision notes")
    JUSTICE = "justice", _("Criminal cases and their steps")
    CONCERNS = (
        "concerns",
        _("Concerns about a caregiver: the screen, children seen alone, Meldcode steps, protective mode"),
    )
    NEEDS = "needs", _("The parents' needs and every version of them")
    SAFETY_PLANS = "safety_plans", _("Safety plans, every version")
    PROGRESS = "progress", _("Progress reviews and the parents' ratings")
    HOUSEHOLD = "household", _("Children, parents and caregivers")
    CASE_RECORD = "case_record", _("The case itself: family name, referral note, reasons")


class RetentionPeriod(models.Model):
    """A period an administrator set; kinds without a row keep the default."""

    record_kind = models.CharField(_("kind of record"), max_length=20, choices=RecordKind.choices, unique=True)
    years = models.PositiveSmallIntegerField(
        _("years after closing"),
        validators=[MinValueValidator(MIN_RETENTION_YEARS), MaxValueValidator(MAX_RETENTION_YEARS)],
    )
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["record_kind"]
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        constraints = [
            models.CheckConstraint(
                name="retention_years_in_range",
                condition=Q(years__gte=MIN_RETENTION_YEARS, years__lte=MAX_RETENTION_YEARS),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_kind_display()}: {self.years}"


class RetentionApplied(models.Model):
    """That retention was carried out on one kind of record of one case, so it is never
    counted or done twice."""

    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    record_kind = models.CharField(_("kind of record"), max_length=20, choices=RecordKind.choices)
    records = models.PositiveIntegerField(_("records"))
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        ordering = ["family_id", "record_kind"]
        verbose_name = _("retention applied")
        verbose_name_plural = _("retention applied")
        constraints = [
            models.UniqueConstraint(fields=["family", "record_kind"], name="retention_applied_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.family_id} {self.record_kind}: {self.records}"


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second administrator")
    CARRIED_OUT = "carried_out", _("Approved and carried out")
    REFUSED = "refused", _("Refused")


class ErasureRequest(models.Model):
    """A person's request to erase their data (GDPR art. 17). One administrator records
    it; a different one approves it, which erases at once, or refuses it with a reason."""

    member = models.ForeignKey(
        "families.HouseholdMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    child = models.ForeignKey("families.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    asked_by = models.CharField(_("who asked"), max_length=200)
    grounds = EncryptedTextField(_("the request and its grounds"))
    status = models.CharField(_("status"), max_length=20, choices=ErasureStatus.choices, default=ErasureStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = EncryptedTextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.CheckConstraint(
                name="erasure_request_one_subject",
                condition=Q(member__isnull=False, child__isnull=True) | Q(member__isnull=True, child__isnull=False),
            ),
            models.CheckConstraint(
                name="erasure_decided_by_a_second_person",
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="pending"), name="erasure_one_pending_per_member"
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(status="pending"), name="erasure_one_pending_per_child"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.status}"

    @property
    def subject(self):
        return self.member or self.child

    @property
    def is_pending(self) -> bool:
        return self.status == ErasureStatus.PENDING
