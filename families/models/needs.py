"""The parents' own needs (issue 19, "Inform parents and refer on"): debts, health,
housing, work, the care of the other children, legal help. The officer notices them,
records who helps and what the next step is, and keeps them in view until they are met
or no longer needed.

A need is changed, never deleted: every save is kept as a version (``NeedVersion``), so
the history shows what was known when. A change names the revision it started from and
is refused when someone else saved in between. Staff only: never in the parents' portal,
never for police partners (the access policy's ``needs`` section)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models.agencies import Agency
from families.models.case import Family
from liaison import dates
from liaison.encryption import EncryptedTextField


class NeedKind(models.TextChoices):
    DEBTS = "debts", _("Debts and money")
    HEALTH = "health", _("Health, physical or mental")
    HOUSING = "housing", _("Housing")
    WORK = "work", _("Work or income")
    SIBLINGS = "siblings", _("Care of the other children")
    LEGAL = "legal", _("Legal help")
    OTHER = "other", _("Something else")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open: no help yet")
    BEING_HELPED = "being_helped", _("Being helped")
    MET = "met", _("Met")
    NO_LONGER_NEEDED = "no_longer_needed", _("No longer needed")


# A need in one of these is still to be worked on: it shows on the family page and the
# supervisor's dashboard, and may have a next step.
OPEN_STATUSES = (NeedStatus.OPEN, NeedStatus.BEING_HELPED)

# What a version of a need holds: the need as it stood after one save.
NEED_FIELDS = ("kind", "status", "agency", "helper", "since_on", "next_step", "next_on", "note")


def _need_constraints(table: str) -> list[models.BaseConstraint]:
    return [
        *dates.in_range(table, "since_on", "next_on"),
        models.CheckConstraint(name=f"{table}_kind_known", condition=Q(kind__in=NeedKind.values)),
        models.CheckConstraint(name=f"{table}_status_known", condition=Q(status__in=NeedStatus.values)),
        models.CheckConstraint(
            name=f"{table}_next_step_only_while_open",
            condition=Q(status__in=OPEN_STATUSES) | Q(next_on__isnull=True, next_step=""),
        ),
        models.CheckConstraint(
            name=f"{table}_next_step_not_before_since",
            condition=Q(next_on__isnull=True) | Q(next_on__gte=models.F("since_on")),
        ),
    ]


class NeedFields(models.Model):
    """What the officer records about a need, on the need and on each of its versions."""

    kind = models.CharField(_("kind of need"), max_length=20, choices=NeedKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    agency = models.CharField(_("agency that helps"), max_length=30, choices=Agency.choices, blank=True)
    helper = models.CharField(_("named helper"), max_length=150, blank=True)
    since_on = dates.DateField(_("since"))
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_on = dates.DateField(_("date of the next step"), when=dates.PLANNED, null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def next_step_overdue(self) -> bool:
        return self.is_open and self.next_on is not None and self.next_on < timezone.localdate()

    def who_helps(self) -> str:
        """The agency and the named helper, as one line ("" when nobody helps yet)."""
        agency = self.get_agency_display() if self.agency else ""
        return " · ".join(part for part in (agency, self.helper) if part)


class ParentNeedQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class ParentNeed(NeedFields):
    """A need of the parents as it stands now; its versions are its history."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="needs")
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ParentNeedQuerySet.as_manager()

    class Meta:
        ordering = ["since_on", "pk"]
        verbose_name = _("need of the parents")
        verbose_name_plural = _("needs of the parents")
        constraints = _need_constraints("parentneed")
        indexes = [models.Index(fields=["family", "status"]), models.Index(fields=["status", "next_on"])]

    def __str__(self) -> str:
        return f"{self.family} {self.get_kind_display()}"


class NeedVersion(NeedFields):
    """A need as it stood after one save, with who saved it and when: never changed."""

    need = models.ForeignKey(ParentNeed, on_delete=models.PROTECT, related_name="versions")
    revision = models.PositiveIntegerField(_("revision"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["need", "-revision"]
        verbose_name = _("version of a need")
        verbose_name_plural = _("versions of a need")
        constraints = [
            *_need_constraints("needversion"),
            models.UniqueConstraint(fields=["need", "revision"], name="one_version_per_revision_of_a_need"),
        ]

    def __str__(self) -> str:
        return f"{self.need} v{self.revision}"
