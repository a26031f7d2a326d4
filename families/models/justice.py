"""The justice journey: the criminal cases that follow from the exploitation of a child,
their milestones from the police report to the end of the case, and the victims' and
parents' rights and support along the way.

Each milestone carries three texts: the staff detail, a note for the police only, and
the parents' text, which reaches the parents' portal only once a police partner of the
family's unit has approved it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from families.models.household import Child, HouseholdMember
from liaison import dates
from liaison.encryption import EncryptedTextField


class CriminalCase(models.Model):
    """One criminal investigation and prosecution about a child of the family."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="criminal_cases")
    child = models.ForeignKey(Child, verbose_name=_("child"), on_delete=models.PROTECT, related_name="criminal_cases")
    police_reference = models.CharField(_("police reference"), max_length=60, blank=True)
    opened_on = dates.DateField(_("started on"))
    ended_on = dates.DateField(_("ended on"), null=True, blank=True)
    people_of_concern = EncryptedTextField(
        _("people of concern"), blank=True, help_text=_("Names, nicknames, vehicles or phone numbers, where known.")
    )
    suspected_caregiver = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("caregiver who is a suspect"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="criminal_cases_as_suspect",
    )
    staff_detail = EncryptedTextField(_("detail for staff"), blank=True)
    police_note = EncryptedTextField(_("note for the police only"), blank=True)
    impact_statement_wanted = models.BooleanField(_("victim impact statement wanted"), default=False)
    impact_statement_prepared = models.BooleanField(_("victim impact statement prepared"), default=False)
    compensation_claimed = models.BooleanField(_("compensation claim made"), default=False)
    victim_support_involved = models.BooleanField(_("victim support organisation involved"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")
        constraints = [
            *dates.in_range("criminalcase", "opened_on", "ended_on"),
            models.CheckConstraint(
                name="criminal_case_ends_after_it_starts",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("opened_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.police_reference or f"{self.child} {self.opened_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class MilestoneKind(models.TextChoices):
    REPORT_MADE = "report_made", _("Report made to the police")
    REPORT_DECLINED = "report_declined", _("Report declined")
    REPORT_WITHDRAWN = "report_withdrawn", _("Report withdrawn")
    CHILD_INTERVIEW = "child_interview", _("Child's interview (studio or ABE interview)")
    SUSPECT_IDENTIFIED = "suspect_identified", _("Suspect identified")
    ARRESTED = "arrested", _("Suspect arrested")
    RELEASED = "released", _("Suspect released")
    REMANDED = "remanded", _("Suspect remanded in custody")
    SENT_TO_PROSECUTOR = "sent_to_prosecutor", _("Case sent to the prosecutor")
    CHARGED = "charged", _("Suspect charged")
    NOT_PROSECUTED = "not_prosecuted", _("Decision not to prosecute")
    HEARING = "hearing", _("Court hearing")
    VERDICT = "verdict", _("Verdict")
    APPEAL = "appeal", _("Appeal")
    SENTENCE = "sentence", _("Sentence")
    CASE_ENDED = "case_ended", _("End of the case")


class HearingKind(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary hearing")
    TRIAL = "trial", _("Trial")
    SENTENCING = "sentencing", _("Sentencing hearing")
    APPEAL = "appeal", _("Appeal hearing")
    OTHER = "other", _("Other hearing")


class CaseMilestone(models.Model):
    """One step of a criminal case, done or planned ahead with its date."""

    case = models.ForeignKey(CriminalCase, on_delete=models.PROTECT, related_name="milestones")
    kind = models.CharField(_("step"), max_length=30, choices=MilestoneKind.choices)
    occurs_on = dates.DateField(_("date"), when=dates.PLANNED)
    is_planned = models.BooleanField(_("planned, not yet happened"), default=False)
    court = models.CharField(_("court"), max_length=150, blank=True)
    hearing_kind = models.CharField(_("kind of hearing"), max_length=20, choices=HearingKind.choices, blank=True)
    staff_detail = EncryptedTextField(_("detail for staff"), blank=True)
    police_note = EncryptedTextField(_("note for the police only"), blank=True)
    parents_text = EncryptedTextField(_("text for the parents"), blank=True)
    approved_at = dates.DateTimeField(_("approved for the parents at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    parents_see_date = models.BooleanField(_("the parents may see the date"), default=False)
    shown_despite_suspect = models.BooleanField(
        _("shown to the parent who is not suspected, although a caregiver is the suspect"), default=False
    )
    parent_attends = models.BooleanField(_("a parent attends"), default=False)
    officer_attends = models.BooleanField(_("the liaison officer attends"), default=False)
    separate_waiting_room = models.BooleanField(_("separate waiting room arranged"), default=False)
    transport_arranged = models.BooleanField(_("transport arranged"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["occurs_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [models.Index(fields=["is_planned", "occurs_on"])]
        constraints = [
            *dates.in_range("casemilestone", "occurs_on", "approved_at"),
            models.CheckConstraint(
                name="approved_milestone_names_who_and_has_text",
                condition=Q(approved_at__isnull=True) | (Q(approved_by__isnull=False) & ~Q(parents_text="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurs_on:%Y-%m-%d}"

    @property
    def is_hearing(self) -> bool:
        return self.kind == MilestoneKind.HEARING

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None
