"""Referral to another agency with a "tell it once" summary the parents agreed to, and the
one record of consent that every purpose uses: the referral summary, the portal
invitation and the registration of a child under 16 as a victim. When a caregiver may be
the exploiter, consent is not asked of them: the other route taken is its own record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.models.agencies import Agency, AgencyInvolvement
from families.models.case import Family
from families.models.household import Child, HouseholdMember
from liaison import dates


class ConsentPurpose(models.TextChoices):
    REFERRAL_SUMMARY = "referral_summary", _("Sharing a summary with another agency (referral)")
    PORTAL_INVITATION = "portal_invitation", _("Inviting a parent to the portal")
    VICTIM_REGISTRATION = "victim_registration", _("Registering a child under 16 as a victim")


class ConsentRoute(models.TextChoices):
    """Who decided: a parent or caregiver gave consent, or, when that cannot be asked of
    them, the other route that was taken instead."""

    CAREGIVER = "caregiver", _("A parent or caregiver gave consent")
    OTHER_CAREGIVER = "other_caregiver", _("The other parent or caregiver with parental authority gave consent")
    CHILD_PROTECTION_BOARD = "child_protection_board", _("Decision of the child protection board")
    COURT = "court", _("Decision of the court")
    WITHOUT_CONSENT = "without_consent", _("Proceeding without consent under the Meldcode")


# Routes where a household member gives consent; the others are the alternative routes.
ROUTES_BY_A_CAREGIVER = (ConsentRoute.CAREGIVER, ConsentRoute.OTHER_CAREGIVER)
ALTERNATIVE_ROUTES = (
    ConsentRoute.OTHER_CAREGIVER,
    ConsentRoute.CHILD_PROTECTION_BOARD,
    ConsentRoute.COURT,
    ConsentRoute.WITHOUT_CONSENT,
)


class ConsentManner(models.TextChoices):
    SPOKEN = "spoken", _("Spoken")
    WRITTEN = "written", _("Written")


class SummaryPart(models.TextChoices):
    """The allow-list of what a referral summary may carry: only parts of the case a
    parent may know about. Anything not named here can never be chosen, so a new
    sensitive field cannot slip into a summary."""

    SITUATION = "situation", _("The family's situation, in the words written for this referral")
    CHILDREN = "children", _("The children: first name and age")
    SAFETY_PLAN = "safety_plan", _("The safety plan's statements the parents agreed to")
    PROGRESS = "progress", _("Where the family stands on the three dimensions")
    AGENCIES = "agencies", _("The agencies involved and their named workers")
    CONTACTS = "contacts", _("The recent contacts: when and what kind")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


# Which status may follow which: a declined or closed referral is finished.
NEXT_STATUSES = {
    ReferralStatus.SENT: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.CLOSED),
    ReferralStatus.ACCEPTED: (ReferralStatus.CLOSED,),
    ReferralStatus.DECLINED: (),
    ReferralStatus.CLOSED: (),
}


class Consent(models.Model):
    """Consent for one purpose, or the other route taken where it could not be asked."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("consent for"), max_length=30, choices=ConsentPurpose.choices)
    route = models.CharField(_("who decided"), max_length=30, choices=ConsentRoute.choices)
    given_by = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("parent or caregiver"),
        on_delete=models.PROTECT,
        related_name="consents",
        null=True,
        blank=True,
    )
    manner = models.CharField(_("how"), max_length=10, choices=ConsentManner.choices, blank=True)
    decided_by = models.CharField(_("who took the decision"), max_length=200, blank=True)
    reason = models.TextField(_("reason for this route"), blank=True)
    given_on = dates.DateField(_("date"))
    parts = models.JSONField(_("parts consented to"), default=list, blank=True)
    # For a portal invitation: whom the invitation is for. For a victim registration: the child.
    about_member = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("invitation for"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    child = models.ForeignKey(
        Child, verbose_name=_("child"), on_delete=models.PROTECT, related_name="consents", null=True, blank=True
    )
    victim_register = models.CharField(_("registered with"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            *dates.in_range("consent", "given_on"),
            models.CheckConstraint(
                name="consent_by_a_caregiver_names_them",
                condition=~Q(route__in=["caregiver", "other_caregiver"]) | (Q(given_by__isnull=False) & ~Q(manner="")),
            ),
            models.CheckConstraint(
                name="consent_alternative_route_has_reason",
                condition=Q(route="caregiver") | ~Q(reason=""),
            ),
            models.CheckConstraint(
                name="consent_victim_registration_names_child",
                condition=~Q(purpose="victim_registration") | Q(child__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_route_display()}"

    @property
    def by_a_caregiver(self) -> bool:
        return self.route in ROUTES_BY_A_CAREGIVER

    @property
    def is_alternative_route(self) -> bool:
        return self.route in ALTERNATIVE_ROUTES


class Referral(models.Model):
    """A referral of the family to another agency, with the summary the parents agreed to."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="referrals")
    agency = models.CharField(_("agency"), max_length=30, choices=Agency.choices)
    agency_detail = models.CharField(_("organisation or department"), max_length=150, blank=True)
    contact_person = models.CharField(_("contact person at the agency"), max_length=150, blank=True)
    question = models.TextField(_("what the family needs from this agency"))
    situation = models.TextField(_("the family's situation"), blank=True)
    parts = models.JSONField(_("parts of the summary"), default=list)
    consent = models.OneToOneField(Consent, on_delete=models.PROTECT, related_name="referral")
    sent_on = dates.DateField(_("sent on"))
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    status_on = dates.DateField(_("status since"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    involvement = models.ForeignKey(
        AgencyInvolvement,
        verbose_name=_("agency involvement started"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["family", "-sent_on"])]
        constraints = [
            *dates.in_range("referral", "sent_on", "status_on"),
            models.CheckConstraint(
                name="referral_status_not_before_sent", condition=Q(status_on__gte=models.F("sent_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_display()} {self.sent_on:%Y-%m-%d}"

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return NEXT_STATUSES[ReferralStatus(self.status)]

    def summary_parts(self) -> list[str]:
        """The chosen parts that are on the allow-list, in the allow-list's order."""
        return [part for part in SummaryPart.values if part in self.parts]

    def summary_part_labels(self) -> list[str]:
        labels = dict(SummaryPart.choices)
        return [labels[part] for part in self.summary_parts()]


class ReferralStatusChange(models.Model):
    """Every status a referral had, with its date and note: the history is never rewritten."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices)
    changed_on = dates.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["changed_on", "pk"]
        verbose_name = _("status of a referral")
        verbose_name_plural = _("statuses of a referral")
        constraints = [*dates.in_range("referralstatuschange", "changed_on")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.changed_on:%Y-%m-%d}"
