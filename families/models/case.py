"""The family case: its referral and status, the one named liaison officer at every
moment (with the assignment history behind it) and formal handovers between officers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison import dates
from liaison.accounts.models import PoliceUnit, Team


class FamilyStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACTIVE = "active", _("Active")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")


class ReferralSource(models.TextChoices):
    POLICE = "police", _("Police")
    YOUTH_CARE = "youth_care", _("Youth care")
    SCHOOL = "school", _("School")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    SELF_REFERRAL = "self_referral", _("Self-referral")
    OTHER = "other", _("Other")


class Family(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    display_name = models.CharField(
        _("family name"), max_length=120, help_text=_("How staff refer to the family, e.g. 'Family Jansen'.")
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="families")
    # The current officer; LiaisonAssignment holds the history without gaps.
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
    referral_on = dates.DateField(_("referral date"), default=timezone.localdate)
    referral_source = models.CharField(
        _("referred by"), max_length=20, choices=ReferralSource.choices, default=ReferralSource.OTHER
    )
    referral_note = models.TextField(_("referral note"), blank=True)
    review_every_weeks = models.PositiveSmallIntegerField(
        _("progress review every (weeks)"), default=6, help_text=_("How often the progress review is due.")
    )
    progress_shared_with_police = models.BooleanField(
        _("progress shared with the police"),
        default=False,
        help_text=_("Only when the parents agree: the police partner may then see the progress reviews."),
    )
    closing_reason = models.TextField(_("reason for closing"), blank=True)
    closed_on = dates.DateField(_("closed on"), null=True, blank=True)
    archived_at = dates.DateTimeField(
        _("moved to the archive at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Closed cases are archived: from then on only administrators can open them."),
    )
    anonymised_at = dates.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["reference"]
        verbose_name = _("family")
        verbose_name_plural = _("families")
        constraints = [
            *dates.in_range("family", "referral_on", "closed_on", "archived_at", "anonymised_at"),
            models.CheckConstraint(
                name="family_review_cadence_in_range",
                condition=Q(review_every_weeks__gte=1, review_every_weeks__lte=52),
            ),
            models.CheckConstraint(
                name="family_closing_needs_a_reason",
                condition=~Q(status__in=["closing", "closed"]) | ~Q(closing_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        if not self.reference:
            self.reference = next_reference()
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status != FamilyStatus.CLOSED


def next_reference() -> str:
    """References read like 'PL-2026-00042': the year and a running number."""
    year = timezone.localdate().year
    prefix = f"PL-{year}-"
    last = Family.objects.filter(reference__startswith=prefix).order_by("-reference").first()
    number = int(last.reference.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:05d}"


class LiaisonAssignment(models.Model):
    """Who was the family's liaison officer, from when to when. One open row per family,
    enforced by the database; a handover ends one row and starts the next at the same moment."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="assignments")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison officer"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    started_at = dates.DateTimeField(_("from"))
    ended_at = dates.DateTimeField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["family", "started_at"]
        verbose_name = _("liaison assignment")
        verbose_name_plural = _("liaison assignments")
        constraints = [
            *dates.in_range("liaisonassignment", "started_at", "ended_at"),
            models.UniqueConstraint(
                fields=["family"], condition=Q(ended_at__isnull=True), name="one_active_assignment_per_family"
            ),
            models.CheckConstraint(
                name="assignment_ends_after_it_starts",
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family}: {self.officer}"


class Handover(models.Model):
    """A formal handover from one officer to the next, by a supervisor, with a note that
    carries the history. The new officer acknowledges it."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="handovers")
    from_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("from"), on_delete=models.PROTECT, related_name="handovers_given"
    )
    to_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("to"), on_delete=models.PROTECT, related_name="handovers_received"
    )
    reason = models.CharField(_("reason"), max_length=200)
    note = models.TextField(_("handover note"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("handed over at"), auto_now_add=True)
    acknowledged_at = dates.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            *dates.in_range("handover", "acknowledged_at"),
            models.CheckConstraint(
                name="handover_to_another_officer", condition=~Q(from_officer=models.F("to_officer"))
            ),
            models.UniqueConstraint(
                fields=["family"], condition=Q(acknowledged_at__isnull=True), name="one_pending_handover_per_family"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family}: {self.from_officer} → {self.to_officer}"

    @property
    def is_pending(self) -> bool:
        return self.acknowledged_at is None
