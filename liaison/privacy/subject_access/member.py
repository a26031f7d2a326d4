"""The export about a parent or caregiver: every record of the person, once."""

from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from families.models import (
    CaseMilestone,
    Child,
    Family,
    Handover,
    HouseholdMember,
    MilestoneKind,
    PortalMessage,
    SharedInformation,
)
from families.selectors.household import person_records
from families.selectors.justice import parents_news
from families.selectors.shared import as_parents_saw_it, with_answers
from liaison.access import parents_see_until, untrusted_people
from liaison.accounts.models import Invitation, User
from liaison.audit.models import AuditEvent
from liaison.privacy.subject_access.case_file import (
    _agencies,
    _case_summary,
    _consents,
    _contacts,
    _incidents,
    _library,
    _needs,
    _officers,
    _plan_parts,
    _plan_parts_section,
    _progress,
    _staff_notes,
    _withhold_criminal_cases,
    _withhold_plan,
    _withhold_suspicion,
    as_it_stood,
)
from liaison.privacy.subject_access.export import (
    PAGE_VIEW_ACTIONS,
    REASON_CHILD_EXPORT,
    REASON_CRIME,
    REASON_OTHERS,
    REASON_PROTECT_CHILD,
    Subject,
    SubjectAccessExport,
    _label,
    _plural,
    _titled,
)
from safety_plans.models import (
    PlanAgreement,
    PlanComment,
    PlanEndorsement,
    PlanVersion,
)
from safety_plans.selectors import version_as_it_stood

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
        (_label(User, "language"), user.get_language_display()),
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


def _member_plan(export: SubjectAccessExport, member: HouseholdMember, *, case_file: bool, until=None) -> int:
    """The plan as the parents read it (while protective mode holds, as it stood at its
    start), and what the subject said about it. Returns how many agreements and comments
    other caregivers gave."""
    user_pk = member.user_id
    others = 0
    plan = _plan_parts(member.family) if case_file else None
    if plan is not None and until is not None:
        _as_parents_could_read(plan, until)
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


def _as_parents_could_read(plan, until) -> None:
    """Only the versions that had reached the parents at ``until``, each as it stood then
    (``version_as_it_stood``), with their parts."""
    plan.shown_versions = [
        version for version in plan.shown_versions if version_as_it_stood(version, until) is not None
    ]
    kept = {version.pk for version in plan.shown_versions}
    for parts in ("for_parents", "staff_only", "police_only"):
        setattr(plan, parts, [part for part in getattr(plan, parts) if part.version_id in kept])


def _shared(export: SubjectAccessExport, member: HouseholdMember, *, case_file: bool, until=None) -> int:
    """What the subject shared, with what became of it as the portal shows it (while
    protective mode holds, as it stood at its start); returns how many items other
    caregivers shared."""
    others = 0
    items = SharedInformation.objects.filter(family=member.family).order_by("created_at", "pk")
    for item in with_answers(items, until):
        if member.user_id is None or item.created_by_id != member.user_id:
            others += 1
            continue
        as_parents_saw_it(item, until)
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


def _messages(export: SubjectAccessExport, member: HouseholdMember, *, case_file: bool, until=None) -> int:
    """The subject's own messages and, with the case file, the officer's replies (up to
    the start of protective mode, as in the portal); returns how many messages other
    caregivers wrote."""
    others = 0
    for message in PortalMessage.objects.filter(family=member.family).order_by("created_at", "pk"):
        own = message.from_parent and member.user_id is not None and message.created_by_id == member.user_id
        if message.from_parent and not own:
            others += 1
            continue
        if not own and (not case_file or (until is not None and message.created_at > until)):
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
    untrusted = untrusted_people()
    case_file = not any(untrusted.holds(record) for record in records)
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
    """One record of the person: their details in one family and what that family holds.
    While protective mode holds, the family's records stand as they stood at its start,
    as the portal does: nothing new reaches a parent, not through an export either."""
    family = member.family
    until = parents_see_until(family)
    _member_details(export, member)
    others = 0
    if case_file:
        handovers = list(
            Handover.objects.filter(family=family).select_related("from_officer", "to_officer").order_by("created_at")
        )
        _case_summary(export, family)
        _officers(export, family, handovers)
        _contacts(export, family, until)
        _agencies(export, family, until)
        _consents(export, member, until)
        _needs(export, family, until)
        _library(export, family, until)
        _incidents(export, family, until)
        others += _progress(export, family, member.user, until)
        _police_news(export, member)
        _staff_notes(export, family, handovers, until)
    others += _member_plan(export, member, case_file=case_file, until=until)
    others += _shared(export, member, case_file=case_file, until=until)
    others += _messages(export, member, case_file=case_file, until=until)
    other_members = as_it_stood(HouseholdMember.objects.filter(family=family), until).exclude(pk=member.pk).count()
    export.withhold(_("Details of the other members of the household"), REASON_OTHERS, other_members)
    export.withhold(_("What other members of the household wrote or shared"), REASON_OTHERS, others)
    children = as_it_stood(Child.objects.filter(family=family), until).count()
    export.withhold(_plural(Child), REASON_CHILD_EXPORT, children)
