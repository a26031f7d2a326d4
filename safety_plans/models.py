"""The safety plan a liaison officer and the police write together with the parents.

A family has one plan; the plan has numbered versions. Only a draft is edited; a
version is shared with the parents, agreed by them, endorsed by the police and then
active, and stays in force until a newer version is endorsed. Every part of a version
has a visibility, and people of concern are never visible to parents by construction.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from families.models import Child, Family, HouseholdMember
from liaison import dates
from liaison.encryption import EncryptedCharField, EncryptedTextField
from liaison.uploads import private_storage


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared with the parents")
    AGREED = "agreed", _("Agreed by the parents")
    ACTIVE = "active", _("Active")
    SUPERSEDED = "superseded", _("Replaced by a newer version")


# Versions still being worked on; a plan has at most one of them at a time.
OPEN_STATUSES = (PlanStatus.DRAFT, PlanStatus.SHARED, PlanStatus.AGREED)


class Visibility(models.TextChoices):
    PARENTS = "parents", _("Parents, staff and police")
    STAFF = "staff", _("Staff and police only")
    POLICE = "police", _("Police only")


# What parents may ever see of a plan, on any page, PDF or e-mail: the parts marked for them.
VISIBLE_TO_PARENTS = (Visibility.PARENTS.value,)


class SafetyPlan(models.Model):
    family = models.OneToOneField(Family, on_delete=models.PROTECT, related_name="safety_plan")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")

    def __str__(self) -> str:
        return str(_("Safety plan"))


class PlanVersion(models.Model):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # Raised by every change of a draft; a save based on an older revision is refused.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    review_on = dates.DateField(_("review date"), null=True, blank=True, when=dates.PLANNED)
    shared_at = dates.DateTimeField(_("shared with the parents at"), null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    activated_at = dates.DateTimeField(_("active since"), null=True, blank=True)
    superseded_at = dates.DateTimeField(_("replaced at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            *dates.in_range("planversion", "review_on", "shared_at", "activated_at", "superseded_at"),
            models.UniqueConstraint(fields=["plan", "number"], name="one_number_per_plan_version"),
            models.UniqueConstraint(fields=["plan"], condition=Q(status="active"), name="one_active_plan_version"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status__in=["draft", "shared", "agreed"]), name="one_open_plan_version"
            ),
            models.CheckConstraint(
                name="active_plan_version_has_review_date",
                condition=~Q(status__in=["shared", "agreed", "active"]) | Q(review_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Version %(number)s") % {"number": self.number})

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @cached_property
    def agreement(self) -> "PlanAgreement | None":
        """The standing agreement of the parents (selectors fill this in ahead)."""
        return self.agreements.filter(withdrawn_at__isnull=True).select_related("agreed_by").first()

    @property
    def endorsed(self) -> "PlanEndorsement | None":
        try:
            return self.endorsement
        except PlanEndorsement.DoesNotExist:
            return None

    @property
    def review_overdue(self) -> bool:
        return self.review_on is not None and self.review_on < timezone.localdate()


class PlanAgreement(models.Model):
    """The parents' agreement to one version: who, when, in their own words. When the
    version goes back to draft for changes the agreement is withdrawn, not deleted."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="agreements")
    agreed_by = models.ForeignKey(
        HouseholdMember, verbose_name=_("agreed by"), on_delete=models.PROTECT, related_name="plan_agreements"
    )
    agreed_at = dates.DateTimeField(_("agreed at"))
    words = models.TextField(_("in their own words"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = dates.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            *dates.in_range("planagreement", "agreed_at", "withdrawn_at"),
            models.UniqueConstraint(
                fields=["version"], condition=Q(withdrawn_at__isnull=True), name="one_standing_agreement_per_version"
            ),
        ]

    def __str__(self) -> str:
        return str(self.agreed_by)


class PlanEndorsement(models.Model):
    """A police partner of the family's unit backs the agreed version."""

    version = models.OneToOneField(PlanVersion, on_delete=models.PROTECT, related_name="endorsement")
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    endorsed_at = models.DateTimeField(_("endorsed at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("police endorsement")
        verbose_name_plural = _("police endorsements")

    def __str__(self) -> str:
        return str(self.endorsed_by)


class PlanComment(models.Model):
    """What the parents (or staff) said about a version shared with them."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="comments")
    text = models.TextField(_("comment"))
    by_parent = models.BooleanField(_("from the parents"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:60]


class PlanPart(models.Model):
    """What every part of a version shares: its place, who sees it, who wrote it.
    A part removed from a draft is kept with ``removed_at``, never deleted."""

    visibility = models.CharField(
        _("who may see this"), max_length=20, choices=Visibility.choices, default=Visibility.PARENTS
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    removed_at = dates.DateTimeField(_("removed at"), null=True, blank=True)

    # The fields a person reads, in order; pages, PDFs and comparisons show these.
    shown_fields: tuple[str, ...] = ()
    # What a field is called where a person reads it, when its name in the form would not
    # say it to a parent (a police action's "kind" and "owner").
    shown_labels: dict[str, str] = {}

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]
        constraints = [*dates.in_range("%(class)s", "removed_at")]

    def __str__(self) -> str:
        lines = self.lines()
        return lines[0][1] if lines else ""

    def lines(self) -> list[tuple[str, str]]:
        """(label, text) for every filled-in field a person reads."""
        shown = []
        for name in self.shown_fields:
            field = self._meta.get_field(name)
            value = getattr(self, f"get_{name}_display")() if field.choices else getattr(self, name)
            if name == "photo":
                value = _("photo added") if value else ""
            if value not in ("", None):
                shown.append((str(capfirst(self.shown_labels.get(name, field.verbose_name))), str(localize(value))))
        return shown


class PlanSection(models.TextChoices):
    """The sections of a plan that are lists of short statements."""

    WARNING_SIGNS = "warning_signs", _("Warning signs the parents watch for")
    PARENTS_DO = "parents_do", _("What the parents will do")
    PARENTS_DO_NOT = "parents_do_not", _("What the parents will not do")
    CHILD_CAN = "child_can", _("What the child can do and who the child can turn to")
    SIBLINGS = "siblings", _("Siblings' safety")
    RISKS = "risks", _("Risks")


class PlanStatement(PlanPart):
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="statements")
    section = models.CharField(_("section"), max_length=30, choices=PlanSection.choices)
    text = EncryptedTextField(_("text"))

    shown_fields = ("text",)

    class Meta(PlanPart.Meta):
        verbose_name = _("statement")
        verbose_name_plural = _("statements")


class PersonOfConcern(PlanPart):
    """Someone the family must be protected from. Never shown to parents."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="people_of_concern")
    name = EncryptedCharField(_("name"), max_length=150)
    nicknames = EncryptedCharField(_("nicknames"), max_length=200, blank=True)
    age = EncryptedCharField(_("age"), max_length=40, blank=True, help_text=_("An estimate is fine, e.g. 'about 25'."))
    description = EncryptedTextField(_("description"), blank=True)
    vehicles = EncryptedTextField(_("vehicles and number plates"), blank=True)
    phone_numbers = EncryptedTextField(_("phone numbers"), blank=True)
    social_media = EncryptedTextField(_("social media handles"), blank=True)
    places = EncryptedTextField(_("addresses and places they hang out"), blank=True)
    concern = EncryptedTextField(_("the concern"))

    shown_fields = (
        "name",
        "nicknames",
        "age",
        "description",
        "vehicles",
        "phone_numbers",
        "social_media",
        "places",
        "concern",
    )

    class Meta(PlanPart.Meta):
        verbose_name = _("person of concern")
        verbose_name_plural = _("people of concern")
        constraints = [
            *PlanPart.Meta.constraints,
            models.CheckConstraint(name="person_of_concern_never_for_parents", condition=~Q(visibility="parents")),
        ]


class PoliceActionKind(models.TextChoices):
    ADDRESS_MARKER = "address_marker", _("Address marker for fast response")
    WARNING_NOTICE = "warning_notice", _("Warning notice to an adult who harbours the child")
    NAMED_CONTACT = "named_contact", _("Named police contact")
    OTHER = "other", _("Other measure")


class PoliceActionStatus(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    IN_PLACE = "in_place", _("In place")
    ENDED = "ended", _("Ended")


class PoliceAction(PlanPart):
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="police_actions")
    kind = models.CharField(_("kind"), max_length=30, choices=PoliceActionKind.choices)
    description = EncryptedTextField(_("description"))
    owner = models.CharField(_("owner"), max_length=150, help_text=_("Who carries out this action."))
    status = models.CharField(
        _("status"), max_length=20, choices=PoliceActionStatus.choices, default=PoliceActionStatus.AGREED
    )
    starts_on = dates.DateField(_("from"), null=True, blank=True, when=dates.PLANNED)
    ends_on = dates.DateField(_("until"), null=True, blank=True, when=dates.PLANNED)

    shown_fields = ("kind", "description", "owner", "status", "starts_on", "ends_on")
    shown_labels = {
        "kind": _("What the police do"),
        "description": _("What this means"),
        "owner": _("Who does it"),
        "status": _("How far it is"),
    }

    class Meta(PlanPart.Meta):
        verbose_name = _("police action")
        verbose_name_plural = _("police actions")
        constraints = [
            *PlanPart.Meta.constraints,
            *dates.in_range("policeaction", "starts_on", "ends_on"),
            models.CheckConstraint(name="police_action_has_owner", condition=~Q(owner="")),
            models.CheckConstraint(
                name="police_action_ends_after_start",
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
        ]


def missing_photo_path(instance, filename: str) -> str:
    """A random name: the file name must say nothing about the child."""
    return f"missing-profiles/{uuid.uuid4().hex}.jpg"


class MissingProfile(PlanPart):
    """Prepared in advance so that, if the child goes missing, the parents can hand the
    police everything at once."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="missing_profiles")
    child = models.ForeignKey(Child, verbose_name=_("child"), on_delete=models.PROTECT, related_name="+")
    description = EncryptedTextField(_("description"), blank=True)
    height = models.CharField(_("height"), max_length=40, blank=True)
    build = models.CharField(_("build"), max_length=100, blank=True)
    hair = models.CharField(_("hair"), max_length=100, blank=True)
    marks = EncryptedTextField(_("distinguishing marks"), blank=True)
    clothing = EncryptedTextField(_("clothing usually worn"), blank=True)
    photo = models.FileField(_("photo"), storage=private_storage, upload_to=missing_photo_path, blank=True)
    phones = EncryptedTextField(_("phones"), blank=True)
    social_media = EncryptedTextField(_("social media"), blank=True)
    friends = EncryptedTextField(_("friends"), blank=True)
    places = EncryptedTextField(_("places the child may go"), blank=True)
    habits = EncryptedTextField(_("habits"), blank=True)
    medical_needs = EncryptedTextField(_("medical needs"), blank=True)
    who_calls_police = models.CharField(_("who calls the police"), max_length=150)
    what_to_say = EncryptedTextField(_("what to say to the police"), blank=True)

    shown_fields = (
        "child",
        "description",
        "height",
        "build",
        "hair",
        "marks",
        "clothing",
        "photo",
        "phones",
        "social_media",
        "friends",
        "places",
        "habits",
        "medical_needs",
        "who_calls_police",
        "what_to_say",
    )

    class Meta(PlanPart.Meta):
        verbose_name = _("missing-person profile")
        verbose_name_plural = _("missing-person profiles")


class PlanContactKind(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency number")
    LIAISON_OFFICER = "liaison_officer", _("Liaison officer")
    POLICE = "police", _("Police contact")
    SUPPORT_LINE = "support_line", _("Support line")
    OTHER = "other", _("Other")


class PlanContact(PlanPart):
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=30, choices=PlanContactKind.choices)
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone number"), max_length=40)
    when = models.CharField(_("when to call"), max_length=200, blank=True)

    shown_fields = ("kind", "name", "phone", "when")

    class Meta(PlanPart.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")


# Every kind of part by the name used in URLs and the access policy, in the order the
# plan shows them. The registry keeps copying, comparing and rendering in one loop.
PART_MODELS: dict[str, type[PlanPart]] = {
    "person_of_concern": PersonOfConcern,
    "statement": PlanStatement,
    "police_action": PoliceAction,
    "missing_profile": MissingProfile,
    "contact": PlanContact,
}
