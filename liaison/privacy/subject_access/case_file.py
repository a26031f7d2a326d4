"""The parts of the case file that an export may hold, whoever it is about: the case
summary, officers, contacts, agencies with the referrals and consents, the parents' needs,
the articles of the library, incidents, progress and the safety plan."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from families.models import (
    CONFIDENTIAL_CONTACT_KINDS,
    ROUTES_BY_A_CAREGIVER,
    AgencyInvolvement,
    ArticleDiscussion,
    ArticleSent,
    Consent,
    ContactEntry,
    Family,
    FollowUpAction,
    Handover,
    HouseholdMember,
    Incident,
    LiaisonAssignment,
    NeedVersion,
    ParentNeed,
    ParentRating,
    ProgressReview,
    RatingSource,
    Referral,
    SupervisionNote,
)
from liaison.accounts.models import User
from liaison.privacy.subject_access.export import (
    REASON_CRIME,
    REASON_NEITHER_CONFIRM_NOR_DENY,
    REASON_PROTECT_CHILD,
    SubjectAccessExport,
    _label,
    _plural,
    _titled,
)
from safety_plans.models import (
    PART_MODELS,
    PersonOfConcern,
    PlanStatement,
    PlanStatus,
    PlanVersion,
    Visibility,
)

# The parts every export has


def as_it_stood(records: QuerySet, until: datetime | None) -> QuerySet:
    """While protective mode holds the export stands still like the portal: records made
    after its start (``until``, see ``liaison.access.parents_see_until``) are left out,
    without a count, covered by the line every export carries (``_withhold_suspicion``)."""
    return records if until is None else records.filter(created_at__lte=until)


def _withhold_suspicion(export: SubjectAccessExport) -> None:
    """In every export, whoever it is about, so that its presence says nothing. What is
    recorded when a parent may be the exploiter (the screen, the concern, the Meldcode
    steps, protective mode) is a suspicion of a caregiver too, before anyone is named: it
    is in no export at all, not even the child's, and this line says so in every one."""
    export.withhold(
        _("Whether a parent or caregiver is suspected of exploitation or abuse, and why"),
        REASON_NEITHER_CONFIRM_NOR_DENY,
        None,
    )
    export.withhold(
        _(
            "Whether there is a concern that a parent or caregiver is involved: the screen for exploitation "
            "within the family, the concern, the steps of the Meldcode, the protective measures taken and "
            "what was recorded while they hold"
        ),
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


def _agencies(export: SubjectAccessExport, family: Family, until: datetime | None = None) -> None:
    involvements = as_it_stood(AgencyInvolvement.objects.filter(family=family), until)
    for involvement in involvements.order_by("agency", "started_on", "pk"):
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
    _referrals(export, family, until)


def _referrals(export: SubjectAccessExport, family: Family, until: datetime | None = None) -> None:
    """The referrals to other agencies and the consent the parents gave for them. Consent
    taken by another route (where a caregiver could not be asked) tells of a suspicion:
    it is in no export (``_withhold_suspicion``)."""
    referrals = as_it_stood(Referral.objects.filter(family=family), until).select_related("consent__given_by")
    for referral in referrals.order_by("sent_on", "pk"):
        consent = referral.consent
        given = f"{consent.given_by.full_name}, {consent.get_manner_display()}" if consent.by_a_caregiver else ""
        export.add(
            _plural(Referral),
            _titled(referral.get_agency_display(), str(referral.sent_on)),
            (_label(Referral, "agency"), referral.get_agency_display()),
            (_label(Referral, "agency_detail"), referral.agency_detail),
            (_label(Referral, "question"), referral.question),
            (_label(Referral, "sent_on"), referral.sent_on),
            (_label(Referral, "status"), referral.get_status_display()),
            (_label(Referral, "parts"), ", ".join(str(label) for label in referral.summary_part_labels())),
            (_label(Consent, "given_by"), given),
        )


def _consents(export: SubjectAccessExport, member: HouseholdMember, until: datetime | None = None) -> None:
    """The consents the subject gave themselves for another purpose than a referral (the
    portal invitation, the registration of a child as a victim): what for, when and how.
    A referral's consent is shown with the referral. Which route was taken is not shown:
    a route other than a caregiver's own consent tells of a suspicion (``_withhold_suspicion``);
    nor is the child, whose data is in the child's own export."""
    consents = as_it_stood(Consent.objects.filter(given_by=member, route__in=ROUTES_BY_A_CAREGIVER), until)
    for consent in consents.filter(referral__isnull=True).order_by("given_on", "pk"):
        export.add(
            _plural(Consent),
            _titled(consent.get_purpose_display(), consent.given_on),
            (_label(Consent, "purpose"), consent.get_purpose_display()),
            (_label(Consent, "given_by"), member.full_name),
            (_label(Consent, "manner"), consent.get_manner_display()),
            (_label(Consent, "given_on"), consent.given_on),
            (_label(Consent, "victim_register"), consent.victim_register),
        )


def _needs(export: SubjectAccessExport, family: Family, until: datetime | None = None) -> None:
    """The parents' own needs as they stand (as they stood when protective mode began):
    what, since when, who helps and the next step. The officer's notes on them are
    counted, not shown, like every other staff note."""
    latest: dict[int, NeedVersion] = {}
    versions = as_it_stood(NeedVersion.objects.filter(need__family=family), until)
    for version in versions.order_by("need_id", "-revision"):
        latest.setdefault(version.need_id, version)
    for version in sorted(latest.values(), key=lambda version: (version.since_on, version.need_id)):
        export.add(
            _plural(ParentNeed),
            _titled(version.get_kind_display(), version.since_on),
            (_label(ParentNeed, "kind"), version.get_kind_display()),
            (_label(ParentNeed, "status"), version.get_status_display()),
            (_label(ParentNeed, "agency"), version.get_agency_display() if version.agency else ""),
            (_label(ParentNeed, "helper"), version.helper),
            (_label(ParentNeed, "since_on"), version.since_on),
            (_label(ParentNeed, "next_step"), version.next_step),
            (_label(ParentNeed, "next_on"), version.next_on),
        )
    notes = sum(1 for version in latest.values() if version.note)
    export.withhold(_("Notes written by staff about the parents' needs"), REASON_PROTECT_CHILD, notes)


def _library(export: SubjectAccessExport, family: Family, until: datetime | None = None) -> None:
    """The articles of the library the officer sent to the family, with when the parents
    opened them, and the articles talked through with the parents, each by its title as
    it stood then. The officer's notes on a talk are counted, not shown, like the notes
    on the parents' needs. Two queries."""
    sent = as_it_stood(ArticleSent.objects.filter(family=family), until).select_related("version")
    for row in sent.order_by("created_at", "pk"):
        export.add(
            _plural(ArticleSent),
            _titled(row.version.title, row.created_at),
            (_("Article"), row.version.title),
            (_label(ArticleSent, "created_at"), row.created_at),
            (_label(ArticleSent, "read_at"), row.read_at),
        )
    notes = 0
    discussed = as_it_stood(ArticleDiscussion.objects.filter(family=family), until).select_related("version")
    for discussion in discussed.order_by("discussed_on", "pk"):
        notes += bool(discussion.note)
        export.add(
            _plural(ArticleDiscussion),
            _titled(discussion.version.title, discussion.discussed_on),
            (_("Article"), discussion.version.title),
            (_label(ArticleDiscussion, "discussed_on"), discussion.discussed_on),
        )
    export.withhold(
        _("Notes written by staff about the articles talked through with the parents"), REASON_PROTECT_CHILD, notes
    )


def _staff_notes(
    export: SubjectAccessExport, family: Family, handovers: list[Handover] | None = None, until: datetime | None = None
) -> None:
    handover_count = Handover.objects.filter(family=family).count() if handovers is None else len(handovers)
    supervision_count = as_it_stood(SupervisionNote.objects.filter(family=family), until).count()
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
    who may see a part can still change. So are parts taken out of a draft before it was
    shared: no version anyone saw held them (as ``safety_plans.selectors.version_parts``)."""
    versions = list(
        PlanVersion.objects.filter(plan__family=family).select_related("endorsement__endorsed_by").order_by("number")
    )
    shown = [version for version in versions if version.status != PlanStatus.DRAFT]
    plan = _PlanParts(shown_versions=shown, draft_count=len(versions) - len(shown))
    by_pk = {version.pk: version for version in shown}
    for kind in kinds:
        queryset = (
            PART_MODELS[kind]
            .objects.filter(version__in=list(by_pk), removed_at__isnull=True)
            .order_by("created_at", "pk")
        )
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


def _contacts(export: SubjectAccessExport, family: Family, until: datetime | None = None) -> None:
    withheld = 0
    follow_ups: dict[int, list[FollowUpAction]] = {}
    for action in as_it_stood(FollowUpAction.objects.filter(family=family), until).order_by("due_on", "pk"):
        follow_ups.setdefault(action.contact_id, []).append(action)
    for contact in as_it_stood(ContactEntry.objects.filter(family=family), until).order_by("occurred_at", "pk"):
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


def _incidents(export: SubjectAccessExport, family: Family, until: datetime | None = None) -> None:
    named = 0
    for incident in as_it_stood(Incident.objects.filter(family=family), until).order_by("occurred_at", "pk"):
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


def _progress(export: SubjectAccessExport, family: Family, user: User | None, until: datetime | None = None) -> int:
    """The officer's reviews and the parents' own ratings; returns how many ratings
    another caregiver gave in the portal (theirs, not the subject's)."""
    reviews = as_it_stood(ProgressReview.objects.filter(family=family), until).select_related("supersedes")
    for review in reviews.order_by("reviewed_on", "created_at"):
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
    ratings = ParentRating.objects.filter(family=family)
    if until is not None and user is not None:
        # The subject's own ratings are theirs whenever they gave them.
        ratings = ratings.filter(Q(created_at__lte=until) | Q(created_by=user, source=RatingSource.PORTAL))
    elif until is not None:
        ratings = ratings.filter(created_at__lte=until)
    for rating in ratings.order_by("rated_on", "created_at"):
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
