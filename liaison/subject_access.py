"""Subject access (GDPR art. 15, AVG): everything the system holds about one parent or
caregiver, or about one child, as a document an administrator can hand over, together
with what was withheld, why and how much of it, but never what it says.

What is withheld, and why (see docs/subject-access.md):
- people of concern and the names in incident records, police-only plan parts and police
  notes: to protect others and for the prevention and investigation of crime;
- whether a caregiver is suspected: listed in every export, never counted, so the list
  neither confirms nor denies it;
- plan parts for staff and police only, staff working notes (supervision, handovers,
  staff comments on the plan, referral and closing notes), notes of contacts with the
  police and multi-agency meetings, and drafts of the plan not yet shared with the
  parents: to protect the child and others;
- what other people wrote or gave about themselves, where it can be separated;
- for a child, what a parent shared in confidence (the child must not know): entirely;
- of a criminal case, everything the police did not approve for the parents to read:
  the police reference, people of concern, staff and police notes, texts not approved,
  and dates and planned steps the police did not release. Whether a case exists that the
  export does not show, and whether a caregiver is its suspect, is listed in every export
  without a count, neither confirmed nor denied.
A suspected caregiver receives what they gave themselves, not the family's case file.

Every export costs a fixed number of queries however long the family's history is.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db.models import Count, Max, Min, Model, Prefetch, Q
from django.template.defaultfilters import yesno
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from families.models import (
    AgencyInvolvement,
    CaseMilestone,
    Child,
    ContactEntry,
    ContactKind,
    CriminalCase,
    Family,
    FollowUpAction,
    Handover,
    HouseholdMember,
    Incident,
    LiaisonAssignment,
    MilestoneKind,
    MissingEpisode,
    ParentRating,
    PortalMessage,
    ProgressReview,
    RatingSource,
    SharedInformation,
    SupervisionNote,
)
from families.models.household import ChildRole
from families.selectors.household import person_records
from families.selectors.justice import parents_news
from families.services.justice import visible_to_parents
from liaison.access import trusted_members
from liaison.accounts.models import Invitation, User
from liaison.audit.models import AuditAction, AuditEvent
from liaison.audit.services import audit_record
from safety_plans.models import (
    PART_MODELS,
    MissingProfile,
    PersonOfConcern,
    PlanAgreement,
    PlanComment,
    PlanEndorsement,
    PlanSection,
    PlanStatement,
    PlanStatus,
    PlanVersion,
    Visibility,
)

# Why something is left out. Said once here so that every export words it the same.
REASON_CRIME = gettext_lazy(
    "Withheld to protect others and for the prevention and investigation of crime "
    "(GDPR art. 23(1)(d) and (i); UAVG art. 41)."
)
REASON_NEITHER_CONFIRM_NOR_DENY = gettext_lazy(
    "Kept for the prevention and investigation of crime. Whether such a record exists is "
    "neither confirmed nor denied (GDPR art. 23(1)(d); UAVG art. 41)."
)
REASON_PROTECT_CHILD = gettext_lazy(
    "Staff and police working information about risk to the child, withheld to protect "
    "the child and others (GDPR art. 23(1)(i); UAVG art. 41(1)(i))."
)
REASON_OTHERS = gettext_lazy(
    "Another person's personal data, left out because it can be separated from the subject's (GDPR art. 15(4))."
)
REASON_IN_CONFIDENCE = gettext_lazy(
    "A parent shared this in confidence and asked that the child must not learn it came "
    "from them; withheld entirely to protect that parent (GDPR art. 15(4); UAVG art. 41(1)(i))."
)
REASON_CHILD_EXPORT = gettext_lazy("The children's own personal data: answered with a separate export for each child.")
REASON_PARENTS_EXPORT = gettext_lazy(
    "Records of the liaison officer's work with the parents are the parents' personal data "
    "and are in their exports. Where they also concern the child, review them by hand."
)

# Contacts whose notes hold what the police and other agencies said about the case.
CONFIDENTIAL_CONTACT_KINDS = (ContactKind.WITH_POLICE, ContactKind.MULTI_AGENCY)
# The statements of a plan that are about the child, by the child's role in the case.
CHILD_PLAN_SECTIONS = {
    ChildRole.EXPLOITED: (PlanSection.WARNING_SIGNS, PlanSection.CHILD_CAN),
    ChildRole.SIBLING: (PlanSection.SIBLINGS,),
}
# Page views are many; they are summed up instead of listed one by one.
PAGE_VIEW_ACTIONS = (AuditAction.CASE_VIEWED, AuditAction.CASE_LIST_VIEWED)


def display_value(value: Any) -> str:
    """A value as a reader sees it, in the active language."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return capfirst(yesno(value))
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int):
        return value
    return str(value)


class _TitledRows(NamedTuple):
    title: str
    rows: list[tuple[str, Any]]


class Section(_TitledRows):
    """One record (or one list) of the export: a (title, rows) pair whose rows are
    (label, value) pairs. ``group`` is the heading the record falls under, such as the
    contact log; it rides beside the pair so that ``title, rows = section`` still holds."""

    group: str

    def __new__(cls, title: str, rows: list[tuple[str, Any]], group: str = "") -> "Section":
        section = super().__new__(cls, title, rows)
        section.group = group
        return section

    def display_rows(self) -> list[tuple[str, str]]:
        return [(label, display_value(value)) for label, value in self.rows]


class Withheld(NamedTuple):
    """A kind of information left out, why, and how many records (None: not stated)."""

    kind: str
    reason: str
    count: int | None

    def display_count(self) -> str:
        return _("Not stated") if self.count is None else str(self.count)


@dataclass(frozen=True)
class Subject:
    kind: str  # "member" or "child"
    record: Model
    name: str
    family: Family

    @property
    def token(self) -> str:
        """How the audit trail and file names refer to the subject: no name in it."""
        return f"{self.kind}:{self.record.pk}"


@dataclass
class SubjectAccessExport:
    subject: Subject
    generated_at: datetime
    sections: list[Section] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)
    # Names the family in every heading when the person is recorded in more than one.
    group_prefix: str = ""

    def add(self, group: str, title: str, *pairs: tuple[Any, Any]) -> None:
        """A record with its filled-in rows; empty values are left out, "no" is kept."""
        rows = [(str(label), value) for label, value in pairs if value not in ("", None)]
        self.sections.append(Section(title=str(title), rows=rows, group=f"{self.group_prefix}{group}"))

    def withhold(self, kind: str, reason: str, count: int | None) -> None:
        """A kind of information left out; a count of nothing is not worth a line. The same
        kind left out for the same reason is one line, its counts added up."""
        if count is not None and count <= 0:
            return
        for index, line in enumerate(self.withheld):
            if (line.kind, line.reason) == (str(kind), str(reason)):
                total = None if count is None or line.count is None else line.count + count
                self.withheld[index] = line._replace(count=total)
                return
        self.withheld.append(Withheld(kind=str(kind), reason=str(reason), count=count))


def _label(model: type[Model], name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _plural(model: type[Model]) -> str:
    return str(capfirst(model._meta.verbose_name_plural))


def _titled(*parts: Any) -> str:
    return " · ".join(display_value(part) for part in parts if part not in ("", None))


# The parts every export has


def _withhold_suspicion(export: SubjectAccessExport) -> None:
    """In every export, whoever it is about, so that its presence says nothing."""
    export.withhold(
        _("Whether a parent or caregiver is suspected of exploitation or abuse, and why"),
        REASON_NEITHER_CONFIRM_NOR_DENY,
        None,
    )


def _withhold_criminal_cases(export: SubjectAccessExport) -> None:
    """In every export, whoever it is about: a criminal case the export does not show, and
    a caregiver being the suspect of one, are neither confirmed nor denied."""
    export.withhold(
        _("Criminal cases, or steps of them, that the police have not approved for the parents to read about"),
        REASON_NEITHER_CONFIRM_NOR_DENY,
        None,
    )
    export.withhold(
        _("Whether a parent or caregiver is the suspect in a criminal case"), REASON_NEITHER_CONFIRM_NOR_DENY, None
    )


def _case_summary(export: SubjectAccessExport, family: Family) -> None:
    export.add(
        _("The case"),
        family.reference,
        (_label(Family, "reference"), family.reference),
        (_label(Family, "status"), family.get_status_display()),
        (_label(Family, "referral_on"), family.referral_on),
        (_label(Family, "referral_source"), family.get_referral_source_display()),
        (_label(Family, "closed_on"), family.closed_on),
        (_label(Family, "liaison_officer"), family.liaison_officer.full_name),
        (_label(Family, "police_unit"), family.police_unit.name if family.police_unit else ""),
    )
    _withhold_case_notes(export, family)


def _withhold_case_notes(export: SubjectAccessExport, family: Family) -> None:
    notes = sum(1 for note in (family.referral_note, family.closing_reason) if note)
    export.withhold(_("Referral and closing notes written by staff"), REASON_PROTECT_CHILD, notes)


def _agencies(export: SubjectAccessExport, family: Family) -> None:
    for involvement in AgencyInvolvement.objects.filter(family=family).order_by("agency", "started_on", "pk"):
        export.add(
            _plural(AgencyInvolvement),
            _titled(involvement.get_agency_display(), involvement.worker_name),
            (_label(AgencyInvolvement, "agency"), involvement.get_agency_display()),
            (_label(AgencyInvolvement, "agency_detail"), involvement.agency_detail),
            (_label(AgencyInvolvement, "worker_name"), involvement.worker_name),
            (_label(AgencyInvolvement, "worker_contact"), involvement.worker_contact),
            (_label(AgencyInvolvement, "started_on"), involvement.started_on),
            (_label(AgencyInvolvement, "ended_on"), involvement.ended_on),
        )


def _staff_notes(export: SubjectAccessExport, family: Family, handovers: list[Handover] | None = None) -> None:
    handover_count = Handover.objects.filter(family=family).count() if handovers is None else len(handovers)
    supervision_count = SupervisionNote.objects.filter(family=family).count()
    export.withhold(_plural(SupervisionNote), REASON_PROTECT_CHILD, supervision_count)
    export.withhold(_("Handover notes between liaison officers"), REASON_PROTECT_CHILD, handover_count)


@dataclass
class _PlanParts:
    """The parts of a family's plan, sorted by who may read them."""

    shown_versions: list[PlanVersion]
    draft_count: int
    for_parents: list = field(default_factory=list)
    people_of_concern: int = 0
    staff_only: list = field(default_factory=list)
    police_only: list = field(default_factory=list)


def _plan_parts(family: Family, kinds: tuple[str, ...] = tuple(PART_MODELS)) -> _PlanParts:
    """One query for the versions and one per kind of part. Parts of a draft never shared
    with the parents are left out whatever their visibility: while the plan is written,
    who may see a part can still change."""
    versions = list(
        PlanVersion.objects.filter(plan__family=family).select_related("endorsement__endorsed_by").order_by("number")
    )
    shown = [version for version in versions if version.status != PlanStatus.DRAFT]
    plan = _PlanParts(shown_versions=shown, draft_count=len(versions) - len(shown))
    by_pk = {version.pk: version for version in shown}
    for kind in kinds:
        queryset = PART_MODELS[kind].objects.filter(version__in=list(by_pk)).order_by("created_at", "pk")
        if kind == "missing_profile":
            queryset = queryset.select_related("child")
        for part in queryset:
            part.version = by_pk[part.version_id]
            if isinstance(part, PersonOfConcern):
                plan.people_of_concern += 1
            elif part.visibility == Visibility.PARENTS:
                plan.for_parents.append(part)
            elif part.visibility == Visibility.STAFF:
                plan.staff_only.append(part)
            else:
                plan.police_only.append(part)
    return plan


def _withhold_plan(export: SubjectAccessExport, plan: _PlanParts) -> None:
    export.withhold(_plural(PersonOfConcern), REASON_CRIME, plan.people_of_concern)
    export.withhold(_("Safety plan parts for the police only"), REASON_CRIME, len(plan.police_only))
    export.withhold(_("Safety plan parts for staff and police only"), REASON_PROTECT_CHILD, len(plan.staff_only))
    export.withhold(
        _("Drafts of the safety plan not yet shared with the parents"), REASON_PROTECT_CHILD, plan.draft_count
    )


def _plan_part_rows(part) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    if isinstance(part, PlanStatement):
        rows.append((part.get_section_display(), part.text))
    else:
        rows.extend((capfirst(label), text) for label, text in part.lines())
    rows.append((_label(type(part), "removed_at"), part.removed_at))
    return rows


def _plan_parts_section(export: SubjectAccessExport, plan: _PlanParts) -> None:
    for part in plan.for_parents:
        export.add(
            _("Safety plan"),
            _titled(part.version, capfirst(part._meta.verbose_name)),
            *_plan_part_rows(part),
        )


# A parent or caregiver


def _member_details(export: SubjectAccessExport, member: HouseholdMember) -> None:
    export.add(
        _("Personal details"),
        member.full_name,
        (_label(HouseholdMember, "full_name"), member.full_name),
        (_label(HouseholdMember, "relation"), member.relation),
        (_label(Family, "reference"), member.family.reference),
        (_label(HouseholdMember, "phone"), member.phone),
        (_label(HouseholdMember, "email"), member.email),
        (_label(HouseholdMember, "safe_times"), member.safe_times),
        (_label(HouseholdMember, "safe_channel"), member.get_safe_channel_display() if member.safe_channel else ""),
        (_label(HouseholdMember, "never_call_number"), member.never_call_number),
        (_label(HouseholdMember, "needs_interpreter"), member.needs_interpreter),
        (_label(HouseholdMember, "language"), member.language),
        (_label(HouseholdMember, "created_at"), member.created_at),
        (_label(HouseholdMember, "updated_at"), member.updated_at),
    )


def _account(export: SubjectAccessExport, user: User) -> None:
    group = _label(HouseholdMember, "user")
    export.add(
        group,
        user.email,
        (_label(User, "email"), user.email),
        (_label(User, "full_name"), user.full_name),
        (_label(User, "phone"), user.phone),
        (_label(User, "role"), user.get_role_display()),
        (_label(User, "notify_by"), user.get_notify_by_display()),
        (_label(User, "is_active"), user.is_active),
        (_label(User, "created_at"), user.created_at),
        (_("Last signed in"), user.last_login),
    )
    for invitation in Invitation.objects.filter(accepted_user=user).order_by("created_at", "pk"):
        export.add(
            group,
            capfirst(Invitation._meta.verbose_name),
            (_label(Invitation, "email"), invitation.email),
            (_label(Invitation, "full_name"), invitation.full_name),
            (_label(Invitation, "created_at"), invitation.created_at),
            (_label(Invitation, "accepted_at"), invitation.accepted_at),
        )
    events = AuditEvent.objects.filter(actor_id=user.pk)
    page_views = events.filter(action__in=PAGE_VIEW_ACTIONS).aggregate(
        count=Count("pk"), first=Min("occurred_at"), last=Max("occurred_at")
    )
    activity = [
        (_titled(event.get_action_display(), event.ip_address), event.occurred_at)
        for event in events.exclude(action__in=PAGE_VIEW_ACTIONS).order_by("occurred_at", "pk")
    ]
    export.add(
        _plural(AuditEvent),
        _("Actions recorded in the audit trail"),
        *activity,
        (_("Pages viewed"), page_views["count"]),
        (_("First page viewed"), page_views["first"]),
        (_("Last page viewed"), page_views["last"]),
    )


def _officers(export: SubjectAccessExport, family: Family, handovers: list[Handover]) -> None:
    group = _plural(LiaisonAssignment)
    for assignment in LiaisonAssignment.objects.filter(family=family).select_related("officer").order_by("started_at"):
        export.add(
            group,
            assignment.officer.full_name,
            (_label(LiaisonAssignment, "officer"), assignment.officer.full_name),
            (_label(LiaisonAssignment, "started_at"), assignment.started_at),
            (_label(LiaisonAssignment, "ended_at"), assignment.ended_at),
        )
    for handover in handovers:
        export.add(
            _plural(Handover),
            _titled(handover.created_at),
            (_label(Handover, "from_officer"), handover.from_officer.full_name),
            (_label(Handover, "to_officer"), handover.to_officer.full_name),
            (_label(Handover, "created_at"), handover.created_at),
            (_label(Handover, "acknowledged_at"), handover.acknowledged_at),
        )


def _contacts(export: SubjectAccessExport, family: Family) -> None:
    withheld = 0
    follow_ups: dict[int, list[FollowUpAction]] = {}
    for action in FollowUpAction.objects.filter(family=family).order_by("due_on", "pk"):
        follow_ups.setdefault(action.contact_id, []).append(action)
    for contact in ContactEntry.objects.filter(family=family).order_by("occurred_at", "pk"):
        if contact.kind in CONFIDENTIAL_CONTACT_KINDS:
            withheld += 1
            continue
        rows = [
            (_label(ContactEntry, "occurred_at"), contact.occurred_at),
            (_label(ContactEntry, "kind"), contact.get_kind_display()),
            (_label(ContactEntry, "with_whom"), contact.with_whom),
            (_label(ContactEntry, "summary"), contact.summary),
            (_label(ContactEntry, "next_contact_on"), contact.next_contact_on),
        ]
        for action in follow_ups.get(contact.pk, []):
            rows += [
                (_label(FollowUpAction, "description"), action.description),
                (_label(FollowUpAction, "owner"), action.owner),
                (_label(FollowUpAction, "due_on"), action.due_on),
                (_label(FollowUpAction, "completed_at"), action.completed_at),
            ]
        export.add(_("Contact log"), _titled(contact.get_kind_display(), contact.occurred_at), *rows)
    export.withhold(_("Notes of contacts with the police and of multi-agency meetings"), REASON_CRIME, withheld)


def _incidents(export: SubjectAccessExport, family: Family) -> None:
    named = 0
    for incident in Incident.objects.filter(family=family).order_by("occurred_at", "pk"):
        named += bool(incident.person_of_concern)
        export.add(
            _plural(Incident),
            _titled(incident.get_kind_display(), incident.occurred_at),
            (_label(Incident, "occurred_at"), incident.occurred_at),
            (_label(Incident, "kind"), incident.get_kind_display()),
            (_label(Incident, "description"), incident.description),
            (_label(Incident, "reported_to_police"), incident.reported_to_police),
            (_label(Incident, "police_reference"), incident.police_reference),
        )
    export.withhold(_("Who the person of concern in an incident is"), REASON_CRIME, named)


def _progress(export: SubjectAccessExport, family: Family, user: User | None) -> int:
    """The officer's reviews and the parents' own ratings; returns how many ratings
    another caregiver gave in the portal (theirs, not the subject's)."""
    for review in (
        ProgressReview.objects.filter(family=family).select_related("supersedes").order_by("reviewed_on", "created_at")
    ):
        rows: list[tuple[str, Any]] = [(_label(ProgressReview, "reviewed_on"), review.reviewed_on)]
        for dimension in ("understanding", "empowerment", "resilience"):
            rows += [
                (_label(ProgressReview, f"{dimension}_score"), getattr(review, f"{dimension}_score")),
                (_label(ProgressReview, f"{dimension}_evidence"), getattr(review, f"{dimension}_evidence")),
                (_label(ProgressReview, f"{dimension}_plan"), getattr(review, f"{dimension}_plan")),
            ]
        if review.supersedes:
            rows += [
                (_label(ProgressReview, "supersedes"), review.supersedes.reviewed_on),
                (_label(ProgressReview, "correction_reason"), review.correction_reason),
            ]
        export.add(_plural(ProgressReview), _titled(review.reviewed_on), *rows)
    others = 0
    for rating in ParentRating.objects.filter(family=family).order_by("rated_on", "created_at"):
        if rating.source == RatingSource.PORTAL and (user is None or rating.created_by_id != user.pk):
            others += 1
            continue
        export.add(
            _plural(ParentRating),
            _titled(rating.rated_on),
            (_label(ParentRating, "rated_on"), rating.rated_on),
            (_label(ParentRating, "given_by"), rating.given_by),
            (_label(ParentRating, "understanding_score"), rating.understanding_score),
            (_label(ParentRating, "empowerment_score"), rating.empowerment_score),
            (_label(ParentRating, "resilience_score"), rating.resilience_score),
            (_label(ParentRating, "comment"), rating.comment),
            (_label(ParentRating, "source"), rating.get_source_display()),
        )
    return others


def _member_plan(export: SubjectAccessExport, member: HouseholdMember, *, case_file: bool) -> int:
    """The plan as the parents read it, and what the subject said about it. Returns how
    many agreements and comments other caregivers gave."""
    user_pk = member.user_id
    others = 0
    plan = _plan_parts(member.family) if case_file else None
    if plan is not None:
        for version in plan.shown_versions:
            endorsement = version.endorsed
            export.add(
                _("Safety plan"),
                version,
                (_label(PlanVersion, "number"), version.number),
                (_label(PlanVersion, "status"), version.get_status_display()),
                (_label(PlanVersion, "shared_at"), version.shared_at),
                (_label(PlanVersion, "activated_at"), version.activated_at),
                (_label(PlanVersion, "superseded_at"), version.superseded_at),
                (_label(PlanVersion, "review_on"), version.review_on),
                (_("Endorsed by the police"), endorsement.endorsed_by.full_name if endorsement else ""),
                (_label(PlanEndorsement, "endorsed_at"), endorsement.endorsed_at if endorsement else None),
            )
        _plan_parts_section(export, plan)
        _withhold_plan(export, plan)
        notes = sum(1 for version in plan.shown_versions if version.endorsed and version.endorsed.note)
        export.withhold(_("Police notes on the endorsement of the safety plan"), REASON_CRIME, notes)
    agreements = PlanAgreement.objects.filter(version__plan__family=member.family).select_related("version")
    for agreement in agreements.order_by("agreed_at", "pk"):
        if agreement.agreed_by_id != member.pk:
            others += 1
            continue
        export.add(
            _plural(PlanAgreement),
            agreement.version,
            (_label(PlanAgreement, "agreed_at"), agreement.agreed_at),
            (_label(PlanAgreement, "words"), agreement.words),
            (_label(PlanAgreement, "withdrawn_at"), agreement.withdrawn_at),
        )
    staff_comments = 0
    comments = PlanComment.objects.filter(version__plan__family=member.family).select_related("version")
    for comment in comments.order_by("created_at", "pk"):
        if not comment.by_parent:
            staff_comments += 1
        elif user_pk is None or comment.created_by_id != user_pk:
            others += 1
        else:
            export.add(
                _plural(PlanComment),
                comment.version,
                (_label(PlanComment, "created_at"), comment.created_at),
                (_label(PlanComment, "text"), comment.text),
            )
    if case_file:
        export.withhold(_("Staff comments on the safety plan"), REASON_PROTECT_CHILD, staff_comments)
    return others


def _shared(export: SubjectAccessExport, member: HouseholdMember, *, case_file: bool) -> int:
    """What the subject shared; returns how many items other caregivers shared."""
    others = 0
    for item in SharedInformation.objects.filter(family=member.family).order_by("created_at", "pk"):
        if member.user_id is None or item.created_by_id != member.user_id:
            others += 1
            continue
        rows = [
            (_label(SharedInformation, "created_at"), item.created_at),
            (_label(SharedInformation, "text"), item.text),
            (_label(SharedInformation, "happened_on"), item.happened_on),
            (_label(SharedInformation, "happened_where"), item.happened_where),
            (_label(SharedInformation, "attachment"), bool(item.attachment)),
            (_label(SharedInformation, "child_must_not_know"), item.child_must_not_know),
        ]
        if case_file:
            rows += [
                (_label(SharedInformation, "status"), item.get_status_display()),
                (_label(SharedInformation, "acknowledged_at"), item.acknowledged_at),
                (_label(SharedInformation, "police_feedback"), item.police_feedback),
            ]
        export.add(_plural(SharedInformation), _titled(item.created_at), *rows)
    return others


def _messages(export: SubjectAccessExport, member: HouseholdMember, *, case_file: bool) -> int:
    """The subject's own messages and, with the case file, the officer's replies; returns
    how many messages other caregivers wrote."""
    others = 0
    for message in PortalMessage.objects.filter(family=member.family).order_by("created_at", "pk"):
        own = message.from_parent and member.user_id is not None and message.created_by_id == member.user_id
        if message.from_parent and not own:
            others += 1
            continue
        if not own and not case_file:
            continue
        export.add(
            _plural(PortalMessage),
            _titled(message.created_at),
            (_label(PortalMessage, "created_at"), message.created_at),
            (_label(PortalMessage, "from_parent"), message.from_parent),
            (_label(PortalMessage, "text"), message.text),
            (_label(PortalMessage, "read_at"), message.read_at),
        )
    return others


def _police_news(export: SubjectAccessExport, member: HouseholdMember) -> None:
    """What the police approved for the parents to read, as this member reads it in the
    portal (the portal's own selector, with its suspect rule): the text, and the date only
    where the police allowed it. Without a portal account there is nothing they read."""
    if member.user is None:
        return
    for news in parents_news(member.family, member.user):
        heading = MilestoneKind.HEARING.label if news.is_hearing and news.on else _("News from the police")
        export.add(
            _("Police and court"),
            _titled(heading, news.on),
            (_label(CaseMilestone, "occurs_on"), news.on),
            (_label(CaseMilestone, "parents_text"), news.text),
        )


def subject_access_for_member(member: HouseholdMember) -> SubjectAccessExport:
    """Everything about one parent or caregiver, once: every record of the person (in
    every family they belong to) in one export, their account once. A person untrusted
    anywhere gets their own details and what they wrote, never a family's case file: the
    export follows the same construction as the access policy."""
    records = list(person_records(member).select_related("family__liaison_officer", "family__police_unit", "user"))
    member = next(record for record in records if record.pk == member.pk)
    export = SubjectAccessExport(
        subject=Subject(kind="member", record=member, name=member.full_name, family=member.family),
        generated_at=timezone.now(),
    )
    case_file = trusted_members().filter(pk__in=[record.pk for record in records]).count() == len(records)
    accounts = {record.user for record in records if record.user is not None}
    for record in records:
        export.group_prefix = f"{record.family.reference} · " if len(records) > 1 else ""
        _member_record(export, record, case_file=case_file)
    export.group_prefix = ""
    for account in sorted(accounts, key=lambda user: user.pk):
        _account(export, account)
    if not case_file:
        export.withhold(_("The family's case file"), REASON_PROTECT_CHILD, None)
    _withhold_suspicion(export)
    _withhold_criminal_cases(export)
    return export


def _member_record(export: SubjectAccessExport, member: HouseholdMember, *, case_file: bool) -> None:
    """One record of the person: their details in one family and what that family holds."""
    family = member.family
    _member_details(export, member)
    others = 0
    if case_file:
        handovers = list(
            Handover.objects.filter(family=family).select_related("from_officer", "to_officer").order_by("created_at")
        )
        _case_summary(export, family)
        _officers(export, family, handovers)
        _contacts(export, family)
        _agencies(export, family)
        _incidents(export, family)
        others += _progress(export, family, member.user)
        _police_news(export, member)
        _staff_notes(export, family, handovers)
    others += _member_plan(export, member, case_file=case_file)
    others += _shared(export, member, case_file=case_file)
    others += _messages(export, member, case_file=case_file)
    other_members = HouseholdMember.objects.filter(family=family).exclude(pk=member.pk).count()
    export.withhold(_("Details of the other members of the household"), REASON_OTHERS, other_members)
    export.withhold(_("What other members of the household wrote or shared"), REASON_OTHERS, others)
    export.withhold(_plural(Child), REASON_CHILD_EXPORT, Child.objects.filter(family=family).count())


# A child


def _child_details(export: SubjectAccessExport, child: Child) -> None:
    export.add(
        _("Personal details"),
        child.full_name,
        (_label(Child, "full_name"), child.full_name),
        (_label(Child, "born_on"), child.born_on),
        (_label(Child, "school"), child.school),
        (_label(Child, "role"), child.get_role_display()),
        (_label(Child, "exploitation_kind"), child.get_exploitation_kind_display() if child.exploitation_kind else ""),
        (_label(Child, "risk_level"), child.get_risk_level_display() if child.risk_level else ""),
        (_label(Child, "risk_set_on"), child.risk_set_on),
        (_label(Family, "reference"), child.family.reference),
        (_label(Family, "liaison_officer"), child.family.liaison_officer.full_name),
        (_label(Child, "created_at"), child.created_at),
        (_label(Child, "updated_at"), child.updated_at),
    )


def _missing(export: SubjectAccessExport, child: Child) -> None:
    for episode in MissingEpisode.objects.filter(child=child).order_by("started_at", "pk"):
        export.add(
            _plural(MissingEpisode),
            _titled(episode.started_at),
            (_label(MissingEpisode, "started_at"), episode.started_at),
            (_label(MissingEpisode, "ended_at"), episode.ended_at),
            (_label(MissingEpisode, "reported_to_police"), episode.reported_to_police),
            (_label(MissingEpisode, "police_reference"), episode.police_reference),
            (_label(MissingEpisode, "where_found"), episode.where_found),
            (_label(MissingEpisode, "return_conversation_at"), episode.return_conversation_at),
            (_label(MissingEpisode, "return_conversation_note"), episode.return_conversation_note),
        )


def _child_plan(export: SubjectAccessExport, child: Child) -> None:
    """The parts of the plan about this child: their missing-person profile and the
    statements of the sections about them. People of concern are counted, never shown."""
    sections = CHILD_PLAN_SECTIONS.get(child.role, ())
    plan = _plan_parts(child.family, ("person_of_concern", "statement", "missing_profile"))

    def about_the_child(part) -> bool:
        if isinstance(part, MissingProfile):
            return part.child_id == child.pk
        return part.section in sections

    plan.for_parents = [part for part in plan.for_parents if about_the_child(part)]
    plan.staff_only = [part for part in plan.staff_only if about_the_child(part)]
    plan.police_only = [part for part in plan.police_only if about_the_child(part)]
    _plan_parts_section(export, plan)
    _withhold_plan(export, plan)


def _child_shared(export: SubjectAccessExport, family: Family) -> None:
    """What the parents passed on to the police, without who passed it on. An item a
    parent asked to keep from the child is left out entirely."""
    in_confidence = feedback = 0
    for item in SharedInformation.objects.filter(family=family).order_by("created_at", "pk"):
        if item.child_must_not_know:
            in_confidence += 1
            continue
        feedback += bool(item.police_feedback)
        export.add(
            _plural(SharedInformation),
            _titled(item.created_at),
            (_label(SharedInformation, "created_at"), item.created_at),
            (_("What a parent passed on"), item.text),
            (_label(SharedInformation, "happened_on"), item.happened_on),
            (_label(SharedInformation, "happened_where"), item.happened_where),
            (_label(SharedInformation, "status"), item.get_status_display()),
        )
    export.withhold(_("Information shared in confidence by a parent"), REASON_IN_CONFIDENCE, in_confidence)
    export.withhold(_("Police feedback to the parents on what they shared"), REASON_CRIME, feedback)


def _milestone_kind_shown(milestone: CaseMilestone) -> bool:
    """A step that happened says what it was; a planned one only when it is a hearing whose
    date the police released, as the portal shows it (a planned arrest is never told, nor
    that a step is still to come)."""
    if not milestone.is_planned:
        return True
    return milestone.kind == MilestoneKind.HEARING and milestone.parents_see_date


def _criminal_cases(export: SubjectAccessExport, child: Child) -> None:
    """The criminal cases about the child, as far as the police approved them for the
    parents (the child's export often reaches the parents, who hold parental authority):
    a case appears only with at least one step the parents' portal shows, and of its steps
    only those. Of the cases shown, what is left out is counted; a case not shown is
    covered by the uncounted line of every export. Two queries."""
    cases = CriminalCase.objects.filter(child=child).prefetch_related(
        Prefetch("milestones", queryset=CaseMilestone.objects.order_by("occurs_on", "pk"))
    )
    references = concern = police_notes = staff_details = unapproved = not_released = 0
    for case in cases.order_by("opened_on", "pk"):
        milestones = list(case.milestones.all())
        shown = [milestone for milestone in milestones if visible_to_parents(milestone)]
        if not shown:
            continue
        references += bool(case.police_reference)
        concern += bool(case.people_of_concern)
        police_notes += bool(case.police_note) + sum(bool(milestone.police_note) for milestone in milestones)
        staff_details += bool(case.staff_detail) + sum(bool(milestone.staff_detail) for milestone in milestones)
        unapproved += sum(bool(milestone.parents_text) for milestone in milestones if milestone not in shown)
        export.add(
            _plural(CriminalCase),
            _titled(capfirst(CriminalCase._meta.verbose_name), case.opened_on),
            (_label(CriminalCase, "opened_on"), case.opened_on),
            (_label(CriminalCase, "ended_on"), case.ended_on),
            (_label(CriminalCase, "impact_statement_wanted"), case.impact_statement_wanted),
            (_label(CriminalCase, "impact_statement_prepared"), case.impact_statement_prepared),
            (_label(CriminalCase, "compensation_claimed"), case.compensation_claimed),
            (_label(CriminalCase, "victim_support_involved"), case.victim_support_involved),
        )
        for milestone in shown:
            kind = milestone.get_kind_display() if _milestone_kind_shown(milestone) else ""
            on = milestone.occurs_on if milestone.parents_see_date else None
            not_released += not (kind and on)
            export.add(
                _plural(CaseMilestone),
                _titled(kind or _("News from the police"), on),
                (_label(CaseMilestone, "kind"), kind),
                (_label(CaseMilestone, "occurs_on"), on),
                (_label(CaseMilestone, "is_planned"), milestone.is_planned if kind else None),
                (_label(CaseMilestone, "parents_text"), milestone.parents_text),
            )
    export.withhold(_("Police references of criminal cases"), REASON_CRIME, references)
    export.withhold(_("People of concern in criminal cases"), REASON_CRIME, concern)
    export.withhold(_("Notes for the police only on criminal cases and their steps"), REASON_CRIME, police_notes)
    export.withhold(_("Details for staff on criminal cases and their steps"), REASON_PROTECT_CHILD, staff_details)
    export.withhold(
        _("Texts for the parents that the police have not approved for them to read"), REASON_CRIME, unapproved
    )
    export.withhold(
        _("The date or the kind of a step of a criminal case, where the police did not release it"),
        REASON_CRIME,
        not_released,
    )


def subject_access_for_child(child: Child) -> SubjectAccessExport:
    """Everything about one child: their details, missing episodes, the parts of the
    safety plan about them, what their parents passed on to the police and their criminal
    cases as far as the police approved them for the parents. The record of
    the officer's work with the parents (contacts, progress reviews, messages) is the
    parents' and is counted, not shown."""
    child = Child.objects.select_related("family__liaison_officer").get(pk=child.pk)
    family = child.family
    export = SubjectAccessExport(
        subject=Subject(kind="child", record=child, name=child.full_name, family=family),
        generated_at=timezone.now(),
    )
    _child_details(export, child)
    _missing(export, child)
    _agencies(export, family)
    _child_plan(export, child)
    _child_shared(export, family)
    _criminal_cases(export, child)
    _withhold_case_notes(export, family)
    _staff_notes(export, family)
    parents_records = sum(
        model.objects.filter(family=family).count()
        for model in (ContactEntry, Incident, ProgressReview, ParentRating, PortalMessage)
    )
    export.withhold(_("Records of the work with the parents"), REASON_PARENTS_EXPORT, parents_records)
    export.withhold(
        _("Details of the members of the household"),
        REASON_OTHERS,
        HouseholdMember.objects.filter(family=family).count(),
    )
    export.withhold(
        _("Details of the other children in the family"),
        REASON_OTHERS,
        Child.objects.filter(family=family).exclude(pk=child.pk).count(),
    )
    _withhold_suspicion(export)
    _withhold_criminal_cases(export)
    return export


# Out of the system


def as_json(export: SubjectAccessExport) -> str:
    """The export as JSON: sorted keys, ISO dates, UTF-8 text as it is (not escaped)."""
    subject = export.subject
    document = {
        "subject": {
            "kind": subject.kind,
            "id": subject.record.pk,
            "name": subject.name,
            "family_reference": subject.family.reference,
        },
        "generated_at": _json_value(export.generated_at),
        "sections": [
            {
                "group": section.group,
                "title": section.title,
                "rows": [{"label": label, "value": _json_value(value)} for label, value in section.rows],
            }
            for section in export.sections
        ],
        "withheld": [{"kind": item.kind, "reason": item.reason, "count": item.count} for item in export.withheld],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def subject_search(text: str, *, limit: int = 50) -> tuple[list[HouseholdMember], list[Child]]:
    """Parents, caregivers and children whose name, or whose family's reference, holds
    the text. Nothing about suspicion: the list only finds people."""
    text = text.strip()
    members = (
        HouseholdMember.objects.filter(Q(full_name__icontains=text) | Q(family__reference__icontains=text))
        .select_related("family", "user")
        .order_by("family__reference", "full_name", "pk")[:limit]
    )
    children = (
        Child.objects.filter(Q(full_name__icontains=text) | Q(family__reference__icontains=text))
        .select_related("family")
        .order_by("family__reference", "full_name", "pk")[:limit]
    )
    return list(members), list(children)


def subject_access_export_record(*, actor: User, export: SubjectAccessExport, file_format: str) -> AuditEvent:
    """Every export lands in the audit trail: who took which person's data, in which form."""
    return audit_record(
        action=AuditAction.CASE_VIEWED,
        actor=actor,
        target=export.subject.record,
        family_id=export.subject.family.pk,
        detail={"what": "subject_access_export", "subject": export.subject.token, "format": file_format},
    )


def subject_search_record(*, actor: User, found: int) -> AuditEvent:
    """A search shows names and family references to an administrator: it is logged,
    with how many people it found but not the words searched for (they are names)."""
    return audit_record(
        action=AuditAction.CASE_LIST_VIEWED,
        actor=actor,
        detail={"what": "subject_access_search", "found": found},
    )
