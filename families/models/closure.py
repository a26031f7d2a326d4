"""Closing a case is a supervisor's decision: the officer asks, with the reason; the
supervisor approves or refuses, with theirs. A closed case stays readable for the team
for the team's months (relapse is common) and a supervisor may reopen it; then it moves
to the archive."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from liaison import dates


class ClosureDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ClosureRequest(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="closure_requests")
    closing_reason = models.TextField(_("why the case can close"))
    requested_at = dates.DateTimeField(_("asked at"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=ClosureDecision.choices, blank=True)
    decision_reason = models.TextField(_("the supervisor's reason"), blank=True)
    decided_at = dates.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("closure request")
        verbose_name_plural = _("closure requests")
        constraints = [
            *dates.in_range("closurerequest", "requested_at", "decided_at"),
            models.UniqueConstraint(
                fields=["family"], condition=Q(decided_at__isnull=True), name="one_open_closure_request"
            ),
            models.CheckConstraint(
                name="closure_decision_with_reason_and_time",
                condition=Q(decided_at__isnull=True, decision="")
                | (Q(decided_at__isnull=False) & ~Q(decision="") & ~Q(decision_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.requested_at:%Y-%m-%d}"

    @property
    def pending(self) -> bool:
        return self.decided_at is None
