"""Multi-agency meetings (issue 28): a MACE panel, strategy meeting or case conference
scheduled by a supervisor or police partner, with the agencies that attend, an agenda of
time-limited items per family, per context or per person of concern, the decisions taken, and the
actions agreed with an owner agency. Open actions are chased at the next meeting of the
same team or unit until done. For a family item the parents are asked beforehand what
they want the meeting to know; their words go into the packs as they wrote them. After
the meeting the parents get an outcome note in plain language.

An item about a context names either one family's context (chosen by a supervisor of the
team) or a hit of contexts across families (chosen by a police partner of the unit); its
details reach only the packs of agencies with the right to them, and never the parents.
Nothing a person wrote is deleted: a meeting is cancelled, an item withdrawn, an action
marked done."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models.agencies import Agency
from families.models.case import Family
from families.models.contexts import ContextHit, ContextLink
from families.models.household import HouseholdMember
from liaison import dates
from liaison.accounts.models import PoliceUnit, Team
from liaison.encryption import EncryptedCharField, EncryptedTextField
from liaison.expressions import database_today

MINUTES_ALLOTTED_MAX = 120
MINUTES_ALLOTTED_WRONG = _("Give the minutes allotted, from 1 to 120.")


class MeetingKind(models.TextChoices):
    MACE = "mace", _("Multi-agency child exploitation panel")
    STRATEGY = "strategy", _("Strategy meeting")
    CASE_CONFERENCE = "case_conference", _("Case conference (casusoverleg)")
    OTHER = "other", _("Other meeting")


class Meeting(models.Model):
    """One meeting, of a team or a police unit (or both): who may see it follows from them."""

    kind = models.CharField(_("kind of meeting"), max_length=20, choices=MeetingKind.choices)
    held_on = dates.DateField(_("date"), when=dates.PLANNED)
    starts_at_time = models.TimeField(_("starting time"), null=True, blank=True)
    venue = models.CharField(_("place"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    chair = models.CharField(_("chair"), max_length=150)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    police_unit = models.ForeignKey(
        PoliceUnit,
        verbose_name=_("police unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    cancelled_at = dates.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["team", "held_on"]), models.Index(fields=["police_unit", "held_on"])]
        constraints = [
            *dates.in_range("meeting", "held_on", "cancelled_at"),
            models.CheckConstraint(name="meeting_kind_known", condition=Q(kind__in=MeetingKind.values)),
            models.CheckConstraint(name="meeting_has_place_or_online", condition=Q(is_online=True) | ~Q(venue="")),
            models.CheckConstraint(
                name="meeting_of_a_team_or_unit", condition=Q(team__isnull=False) | Q(police_unit__isnull=False)
            ),
            models.CheckConstraint(name="meeting_has_chair", condition=~Q(chair="")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"


class MeetingAttendanceQuerySet(models.QuerySet):
    def current(self):
        """The agencies that attend as the meeting stands now (not the lists it had before)."""
        return self.filter(ended_at__isnull=True)


class MeetingAttendance(models.Model):
    """An agency that attends, with the people who come for it. Each gets its own pack.
    A change of the meeting ends the rows it replaces (``ended_at``) instead of deleting
    them: the earlier lists, and who was written down for each agency, stay on record."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    agency = models.CharField(_("agency"), max_length=30, choices=Agency.choices)
    people = models.CharField(_("who attends"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    ended_at = dates.DateTimeField(_("no longer on the list since"), null=True, blank=True)

    objects = MeetingAttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["agency"]
        verbose_name = _("attending agency")
        verbose_name_plural = _("attending agencies")
        constraints = [
            *dates.in_range("meetingattendance", "ended_at"),
            models.UniqueConstraint(
                fields=["meeting", "agency"], condition=Q(ended_at__isnull=True), name="one_attendance_per_agency"
            ),
            models.CheckConstraint(name="attendance_agency_known", condition=Q(agency__in=Agency.values)),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.get_agency_display()}"


class AgendaItemKind(models.TextChoices):
    FAMILY = "family", _("A family")
    CONTEXT = "context", _("A context")
    PERSON_OF_CONCERN = "person_of_concern", _("A person of concern")


class AgendaItem(models.Model):
    """One time-limited item: a family, a context (one family's, or a hit across families)
    or a person of concern (whose details, like a context's, are for the agencies that may
    receive them only, see the access policy's pack parts)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(_("kind of item"), max_length=20, choices=AgendaItemKind.choices)
    family = models.ForeignKey(
        Family, verbose_name=_("family"), on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    context_link = models.ForeignKey(
        ContextLink,
        verbose_name=_("context of a family"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    context_hit = models.ForeignKey(
        ContextHit,
        verbose_name=_("context across families"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    concern_name = EncryptedCharField(_("name or nickname of the person of concern"), max_length=150, blank=True)
    concern_detail = EncryptedTextField(_("what is known about them"), blank=True)
    presenter = models.CharField(_("presenter"), max_length=150)
    minutes_allotted = models.PositiveSmallIntegerField(_("minutes allotted"))
    position = models.PositiveSmallIntegerField(_("position on the agenda"))
    withdrawn_at = dates.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            *dates.in_range("agendaitem", "withdrawn_at"),
            models.CheckConstraint(name="agenda_item_kind_known", condition=Q(kind__in=AgendaItemKind.values)),
            models.CheckConstraint(
                name="agenda_item_family_names_family",
                condition=~Q(kind="family") | Q(family__isnull=False),
            ),
            models.CheckConstraint(
                name="agenda_item_context_names_one_context",
                condition=~Q(kind="context")
                | Q(context_link__isnull=False, context_hit__isnull=True)
                | Q(context_link__isnull=True, context_hit__isnull=False),
            ),
            models.CheckConstraint(
                name="agenda_item_context_only_on_context_items",
                condition=Q(kind="context") | Q(context_link__isnull=True, context_hit__isnull=True),
            ),
            models.CheckConstraint(
                name="agenda_item_person_names_person",
                condition=~Q(kind="person_of_concern") | ~Q(concern_name=""),
            ),
            models.CheckConstraint(
                name="agenda_item_minutes_in_range",
                condition=Q(minutes_allotted__gte=1, minutes_allotted__lte=MINUTES_ALLOTTED_MAX),
            ),
            models.UniqueConstraint(fields=["meeting", "position"], name="one_agenda_item_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.position}"

    @property
    def is_family_item(self) -> bool:
        return self.kind == AgendaItemKind.FAMILY

    @property
    def is_context_item(self) -> bool:
        return self.kind == AgendaItemKind.CONTEXT

    @property
    def is_hit_item(self) -> bool:
        return self.is_context_item and self.context_hit_id is not None

    def context_kind_display(self) -> str:
        """The kind of the context (a place, a vehicle...): the neutral label keepers see."""
        context = self.context_hit if self.context_hit_id is not None else self.context_link
        return context.get_kind_display() if context is not None else ""


class ItemDecision(models.Model):
    """A decision taken on an item, as minuted. Kept as written."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    text = EncryptedTextField(_("decision"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["item", "created_at", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.item} {self.created_at:%Y-%m-%d}"


class MeetingActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)

    def overdue(self, today=None):
        """Open past ``today``; without it, past the database's today (so that a statement
        with it can be compiled once)."""
        return self.open().filter(due_on__lt=today if today is not None else database_today())


class MeetingAction(models.Model):
    """An action agreed at a meeting, with the owner agency, the person and a due date.
    Open until marked done; while open it is on the agenda of every later meeting of the
    same team or unit."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    description = EncryptedTextField(_("action"))
    owner_agency = models.CharField(_("owner agency"), max_length=30, choices=Agency.choices)
    owner_person = models.CharField(_("owner"), max_length=150)
    due_on = dates.DateField(_("due date"), when=dates.PLANNED)
    done_on = dates.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = MeetingActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("meeting action")
        verbose_name_plural = _("meeting actions")
        indexes = [models.Index(fields=["done_on", "due_on"])]
        constraints = [
            *dates.in_range("meetingaction", "due_on", "done_on"),
            models.CheckConstraint(name="meeting_action_agency_known", condition=Q(owner_agency__in=Agency.values)),
            models.CheckConstraint(
                name="meeting_action_done_names_who",
                condition=Q(done_on__isnull=True) | Q(done_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.get_owner_agency_display()} {self.due_on:%Y-%m-%d}"

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


class ParentsVoiceRequest(models.Model):
    """The officer asks the parents, before the meeting, what they want it to know."""

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="voice_request")
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("question to the parents")
        verbose_name_plural = _("questions to the parents")

    def __str__(self) -> str:
        return f"{self.item}"


class ParentsVoiceAnswer(models.Model):
    """What a parent wants the meeting to know, in their own words; goes into every pack
    as written. A new answer of the same parent is kept beside the earlier one."""

    request = models.ForeignKey(ParentsVoiceRequest, on_delete=models.PROTECT, related_name="answers")
    member = models.ForeignKey(HouseholdMember, on_delete=models.PROTECT, related_name="+")
    words = EncryptedTextField(_("what you want the meeting to know"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("answer of the parents")
        verbose_name_plural = _("answers of the parents")

    def __str__(self) -> str:
        return f"{self.request} {self.created_at:%Y-%m-%d}"


class OutcomeNote(models.Model):
    """What was decided, told to the parents in plain language (B1). When it touches the
    police's work, a police partner of the family's unit approves it before it is sent.
    Until it is sent it may be changed: each earlier wording is kept
    (``OutcomeNoteEarlierText``), and a change withdraws the police's approval."""

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="outcome_note")
    text = EncryptedTextField(_("note for the parents"))
    touches_police_work = models.BooleanField(_("touches the work of the police"), default=False)
    # 1 as first written; one more for every change, which names the revision it started from.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    changed_at = dates.DateTimeField(_("last changed at"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = dates.DateTimeField(_("approved by the police at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = dates.DateTimeField(_("sent to the parents at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outcome note for the parents")
        verbose_name_plural = _("outcome notes for the parents")
        constraints = [
            *dates.in_range("outcomenote", "approved_at", "sent_at", "changed_at"),
            models.CheckConstraint(
                name="outcome_note_approval_names_who",
                condition=Q(approved_at__isnull=True) | Q(approved_by__isnull=False),
            ),
            models.CheckConstraint(
                name="outcome_note_police_work_approved_before_sent",
                condition=Q(sent_at__isnull=True) | Q(touches_police_work=False) | Q(approved_at__isnull=False),
            ),
            models.CheckConstraint(
                name="outcome_note_change_names_who",
                condition=Q(changed_at__isnull=True, revision=1)
                | Q(changed_at__isnull=False, changed_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}"


class OutcomeNoteEarlierText(models.Model):
    """A wording of the note for the parents as it stood before a change, kept as it was:
    who wrote it and when, whether it was about police work, and whether the police had
    approved it. Only staff see it; the parents only ever see the note as sent."""

    note = models.ForeignKey(OutcomeNote, on_delete=models.PROTECT, related_name="earlier_texts")
    revision = models.PositiveIntegerField(_("revision"))
    text = EncryptedTextField(_("note for the parents"))
    touches_police_work = models.BooleanField(_("touches the work of the police"))
    written_at = dates.DateTimeField(_("written at"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = dates.DateTimeField(_("approved by the police at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The change that replaced this wording.
    created_at = models.DateTimeField(_("replaced at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-revision"]
        verbose_name = _("earlier wording of an outcome note")
        verbose_name_plural = _("earlier wordings of outcome notes")
        constraints = [
            *dates.in_range("outcomenoteearliertext", "written_at", "approved_at"),
            models.UniqueConstraint(fields=["note", "revision"], name="outcome_note_earlier_text_once"),
            models.CheckConstraint(
                name="outcome_note_earlier_approval_names_who",
                condition=Q(approved_at__isnull=True) | Q(approved_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.note} ({self.revision})"
