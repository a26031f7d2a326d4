"""When a parent may be the exploiter (CKM, "Van kwaad tot erger"): the screen for
exploitation within the family that the officer answers at intake and at every review,
the concern that a caregiver may be involved, when each child was last seen alone, and
the steps of the Dutch Meldcode taken on a concern.

Everything here is for staff only: never for parents, never in anything made for them.
Who among staff sees which part is decided in the access policy (its sections)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from families.models.household import Child
from families.models.progress import ProgressReview
from liaison import dates
from liaison.encryption import EncryptedTextField


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_KNOWN = "not_known", _("Not known")


class Judgement(models.TextChoices):
    NO_CONCERN = "no_concern", _("No concern")
    CONCERN = "concern", _("A concern")
    SERIOUS = "serious", _("Serious concern")


# The signals that a caregiver may be the exploiter: (field, question).
SIGNALS = [
    ("abuse_before", _("Has there been abuse or violence in the family before?")),
    ("debts_or_addiction", _("Are there debts or an addiction in the family?")),
    ("isolated", _("Is the family isolated from others?")),
    ("afraid_at_home", _("Is the child afraid at home, or unwilling to go home?")),
    ("older_adults_visit", _("Do older adults visit the home who do not belong to the family?")),
    ("unexplained_goods", _("Does the child have money, goods or phones that nobody can explain?")),
    ("siblings_harmed", _("Have brothers or sisters been harmed?")),
    ("child_named_family", _("Did the child say something about a family member?")),
]
SIGNAL_FIELDS = [name for name, _question in SIGNALS]


class ScreenOccasion(models.TextChoices):
    INTAKE = "intake", _("Intake")
    REVIEW = "review", _("Progress review")
    OTHER = "other", _("Another moment")


def _answer_field(question) -> models.CharField:
    return models.CharField(question, max_length=10, choices=Answer.choices)


class FamilyConcernQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class FamilyConcern(models.Model):
    """The concern that a caregiver may be involved in the exploitation. Raised at any
    time with a reason, closed with a reason; a family has at most one open concern."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="concerns")
    reason = EncryptedTextField(_("why"))
    raised_at = dates.DateTimeField(_("raised at"), auto_now_add=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = dates.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_reason = EncryptedTextField(_("reason for closing"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FamilyConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("concern about a caregiver")
        verbose_name_plural = _("concerns about a caregiver")
        constraints = [
            *dates.in_range("familyconcern", "raised_at", "closed_at"),
            models.UniqueConstraint(
                fields=["family"], condition=Q(closed_at__isnull=True), name="one_open_concern_per_family"
            ),
            models.CheckConstraint(
                name="closing_a_concern_needs_a_reason_and_a_person",
                condition=Q(closed_at__isnull=True) | (~Q(close_reason="") & Q(closed_by__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.raised_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class IntrafamilialScreen(models.Model):
    """The officer's answers to the screen for exploitation within the family, at intake,
    at a progress review or at another moment, with their own judgement. Never edited:
    the next screen is a new record, so the history stays."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="screens")
    occasion = models.CharField(_("when"), max_length=10, choices=ScreenOccasion.choices)
    review = models.ForeignKey(
        ProgressReview,
        verbose_name=_("progress review"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screens",
    )
    screened_on = dates.DateField(_("date of the screen"))
    abuse_before = _answer_field(SIGNALS[0][1])
    debts_or_addiction = _answer_field(SIGNALS[1][1])
    isolated = _answer_field(SIGNALS[2][1])
    afraid_at_home = _answer_field(SIGNALS[3][1])
    older_adults_visit = _answer_field(SIGNALS[4][1])
    unexplained_goods = _answer_field(SIGNALS[5][1])
    siblings_harmed = _answer_field(SIGNALS[6][1])
    child_named_family = _answer_field(SIGNALS[7][1])
    note = EncryptedTextField(_("what you saw or heard"), blank=True)
    judgement = models.CharField(_("your judgement"), max_length=12, choices=Judgement.choices)
    concern = models.ForeignKey(
        FamilyConcern,
        verbose_name=_("concern"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screens",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-screened_on", "-pk"]
        verbose_name = _("screen for exploitation within the family")
        verbose_name_plural = _("screens for exploitation within the family")
        constraints = [
            *dates.in_range("intrafamilialscreen", "screened_on"),
            models.CheckConstraint(
                name="screen_at_a_review_names_the_review",
                condition=~Q(occasion="review") | Q(review__isnull=False),
            ),
            models.CheckConstraint(
                name="screen_with_a_concern_is_judged_a_concern",
                condition=Q(concern__isnull=True) | ~Q(judgement="no_concern"),
            ),
        ]
        indexes = [models.Index(fields=["family", "screened_on"])]

    def __str__(self) -> str:
        return f"{self.family} {self.screened_on:%Y-%m-%d}"

    def answers(self) -> list[tuple[str, str, str]]:
        """(question, answer value, answer label) for every signal, in order."""
        return [
            (question, getattr(self, name), Answer(getattr(self, name)).label)
            for name, question in SIGNALS
            if getattr(self, name)
        ]

    @property
    def signals_present(self) -> int:
        return sum(getattr(self, name) == Answer.YES for name in SIGNAL_FIELDS)


class SeenAlone(models.Model):
    """A professional spoke with the child without a parent present: children could not
    tell while a parent sat beside the professional."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="seen_alone")
    child = models.ForeignKey(Child, verbose_name=_("child"), on_delete=models.PROTECT, related_name="seen_alone")
    seen_on = dates.DateField(_("date"))
    seen_by = models.CharField(_("seen by"), max_length=150)
    agency = models.CharField(_("agency"), max_length=150)
    place = models.CharField(_("where"), max_length=150)
    discussed = EncryptedTextField(_("what it was possible to discuss"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-seen_on", "-pk"]
        verbose_name = _("child seen alone")
        verbose_name_plural = _("child seen alone")
        constraints = [*dates.in_range("seenalone", "seen_on")]
        indexes = [models.Index(fields=["family", "seen_on"]), models.Index(fields=["child", "seen_on"])]

    def __str__(self) -> str:
        return f"{self.child} {self.seen_on:%Y-%m-%d}"


class MeldcodeStepKind(models.TextChoices):
    SIGNALS = "signals", _("Step 1: map the signals")
    CONSULT = "consult", _("Step 2: consult a colleague, and Veilig Thuis if needed")
    TALK = "talk", _("Step 3: talk with the client")
    WEIGH = "weigh", _("Step 4: weigh the violence or abuse")
    DECIDE = "decide", _("Step 5: decide: report to Veilig Thuis and/or offer help")
    VEILIG_THUIS_CONSULTED = "vt_consulted", _("Veilig Thuis consulted")
    VEILIG_THUIS_REPORTED = "vt_reported", _("Reported to Veilig Thuis")
    CHILD_PROTECTION_BOARD = "board", _("Child protection board (Raad voor de Kinderbescherming)")
    POLICE_REPORT = "police_report", _("Police report")


# The kinds that carry a reference of the other organisation.
WITH_REFERENCE = frozenset(
    {
        MeldcodeStepKind.VEILIG_THUIS_CONSULTED,
        MeldcodeStepKind.VEILIG_THUIS_REPORTED,
        MeldcodeStepKind.CHILD_PROTECTION_BOARD,
        MeldcodeStepKind.POLICE_REPORT,
    }
)

# The five weighing questions of the afwegingskader (step 4): (field, question).
WEIGHING_QUESTIONS = [
    ("weigh_suspicion", _("1. Is there a suspicion of domestic violence or child abuse?")),
    ("weigh_unsafe", _("2. Is there acute or structural unsafety? (If so, report to Veilig Thuis.)")),
    ("weigh_can_help", _("3. Can I, or my organisation, offer or organise effective help?")),
    ("weigh_help_accepted", _("4. Do those involved accept this help?")),
    ("weigh_lasting", _("5. Does the help lead to lasting safety and well-being?")),
]
WEIGHING_FIELDS = [name for name, _question in WEIGHING_QUESTIONS]


class Decision(models.TextChoices):
    REPORT = "report", _("Report to Veilig Thuis")
    HELP = "help", _("Offer or organise help")
    BOTH = "both", _("Report to Veilig Thuis and offer help")


def _weighing_field(question) -> models.CharField:
    return models.CharField(question, max_length=10, choices=Answer.choices, blank=True)


class MeldcodeStep(models.Model):
    """One step taken on a concern following the Meldcode, with who took it, when, and
    the date of the next step."""

    concern = models.ForeignKey(FamilyConcern, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=MeldcodeStepKind.choices)
    taken_on = dates.DateField(_("date"))
    taken_by = models.CharField(_("who took the step"), max_length=150)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    note = EncryptedTextField(_("what was done or agreed"), blank=True)
    weigh_suspicion = _weighing_field(WEIGHING_QUESTIONS[0][1])
    weigh_unsafe = _weighing_field(WEIGHING_QUESTIONS[1][1])
    weigh_can_help = _weighing_field(WEIGHING_QUESTIONS[2][1])
    weigh_help_accepted = _weighing_field(WEIGHING_QUESTIONS[3][1])
    weigh_lasting = _weighing_field(WEIGHING_QUESTIONS[4][1])
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    next_on = dates.DateField(_("date of the next step"), when=dates.PLANNED, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["taken_on", "pk"]
        verbose_name = _("Meldcode step")
        verbose_name_plural = _("Meldcode steps")
        constraints = [
            *dates.in_range("meldcodestep", "taken_on", "next_on"),
            models.CheckConstraint(
                name="meldcode_weighing_only_in_step_four",
                condition=Q(kind="weigh")
                | Q(weigh_suspicion="", weigh_unsafe="", weigh_can_help="", weigh_help_accepted="", weigh_lasting=""),
            ),
            models.CheckConstraint(
                name="meldcode_decision_only_in_step_five",
                condition=Q(kind="decide", decision__in=["report", "help", "both"]) | Q(~Q(kind="decide"), decision=""),
            ),
            models.CheckConstraint(
                name="meldcode_next_step_not_before_this_one",
                condition=Q(next_on__isnull=True) | Q(next_on__gte=models.F("taken_on")),
            ),
        ]
        indexes = [models.Index(fields=["concern", "taken_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.taken_on:%Y-%m-%d}"

    def weighing(self) -> list[tuple[str, str]]:
        """(question, answer label) of the weighing questions answered."""
        return [
            (question, Answer(getattr(self, name)).label)
            for name, question in WEIGHING_QUESTIONS
            if getattr(self, name)
        ]
