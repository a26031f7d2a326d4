"""Fixtures shared by the tests of emergency access, the access log, subject access and
retention."""

from datetime import timedelta

import pytest
from django.utils import timezone

from families.models import (
    AgencyInvolvement,
    CaregiverSuspicion,
    Child,
    ContactEntry,
    FollowUpAction,
    Handover,
    HouseholdMember,
    Incident,
    MissingEpisode,
    ParentRating,
    PortalMessage,
    ProgressReview,
    SharedInformation,
    SupervisionNote,
)
from families.services import concerns, justice, needs
from families.services.protection import protective_mode_close, protective_mode_start
from liaison.accounts.models import Role, User
from safety_plans import services as plans
from safety_plans.models import PlanStatement, Visibility
from tests.factories import ChildFactory, HouseholdMemberFactory, UserFactory, confirmed_totp
from tests.families.concerns_helpers import screen_answers
from tests.safety_plans.conftest import add_every_kind, add_part

# Placed in the family's referral note: pages that must show no case content never hold it.
CASE_MARKER = "MARKER-referral-5521"


@pytest.fixture
def other_supervisor(other_team):
    user = UserFactory(role=Role.SUPERVISOR, team=other_team, full_name="Sol South", email="sol@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def marked_family(family):
    family.referral_note = f"{CASE_MARKER} referral"
    family.save()
    return family


# A family with something in every part of the case, every field that must stay hidden
# carrying a marker (see test_subject_access.py). Used by subject access and retention.
@pytest.fixture
def member(parent):
    return parent.household_memberships.get()


@pytest.fixture
def other_parent(family):
    """The other parent: their contact details and what they wrote are theirs."""
    return HouseholdMemberFactory(
        family=family,
        full_name="Piet OTHERPARENT-name",
        relation="father",
        phone="0612999888",
        email="otherparent@example.org",
        user__email="piet@example.org",
    )


@pytest.fixture
def child(family):
    return ChildFactory(family=family, full_name="Noor Jansen")


@pytest.fixture
def sibling(family):
    return ChildFactory(family=family, full_name="Sem OTHERPARENT-sibling", role="sibling", exploitation_kind="")


@pytest.fixture
def plan(family, officer, police, parent, member, child):
    """An active plan with parts at every visibility, agreed by the parent, endorsed with
    a police note, and a new draft started after it."""
    version = plans.plan_version_start(family=family, created_by=officer)
    add_every_kind(version, officer, Visibility.PARENTS, child)
    add_every_kind(version, officer, Visibility.STAFF, child)
    add_every_kind(version, police, Visibility.POLICE, child)
    version = plans.plan_review_date_set(
        version=version,
        review_on=timezone.localdate() + timedelta(weeks=12),
        base_revision=version.revision,
        actor=officer,
    )
    version = plans.plan_share(version=version, base_revision=version.revision, actor=officer)
    plans.plan_comment_add(version=version, actor=parent, text="PARENTCOMMENT-own", by_parent=True)
    plans.plan_comment_add(version=version, actor=officer, text="STAFFONLY-comment", by_parent=False)
    plans.plan_agree(version=version, agreed_by=member, words="AGREEMENT-words", recorded_by=parent)
    plans.plan_endorse(version=version, officer=police, note="POLICEONLY-endorsement-note")
    draft = plans.plan_version_start(family=family, created_by=officer)
    add_part(draft, PlanStatement(version=draft, section="warning_signs", text="DRAFTONLY-sign"), officer)
    return version


def add_criminal_cases(family, police: User, child: Child, suspect: HouseholdMember) -> None:
    """Two criminal cases about the child. The first has a report approved for the parents
    with its date, an arrest whose text waits for approval and a planned trial approved
    without its date; the second has a caregiver as its suspect and a step approved, but
    not for the other parent, so the parents never learn of it."""
    today = timezone.localdate()
    case = justice.criminal_case_record(
        family=family,
        created_by=police,
        child=child,
        police_reference="POLICEONLY-case-reference",
        opened_on=today - timedelta(days=40),
        people_of_concern="POLICEONLY-justice-concern",
        staff_detail="STAFFONLY-justice-case",
        police_note="POLICEONLY-justice-case-note",
        victim_support_involved=True,
    )
    report = justice.milestone_record(
        case=case,
        created_by=police,
        kind="report_made",
        occurs_on=today - timedelta(days=40),
        parents_text="JUSTICE-approved-report",
        staff_detail="STAFFONLY-justice-step",
        police_note="POLICEONLY-justice-step",
    )
    justice.milestone_approve(milestone=report, officer=police, parents_see_date=True, notify=False)
    justice.milestone_record(
        case=case,
        created_by=police,
        kind="arrested",
        occurs_on=today - timedelta(days=20),
        parents_text="JUSTICE-UNAPPROVED-arrest",
    )
    trial = justice.milestone_record(
        case=case,
        created_by=police,
        kind="hearing",
        occurs_on=today + timedelta(days=30),
        is_planned=True,
        court="District court",
        hearing_kind="trial",
        parent_attends=True,
        parents_text="JUSTICE-approved-hearing",
    )
    justice.milestone_approve(milestone=trial, officer=police, parents_see_date=False, notify=False)
    against_caregiver = justice.criminal_case_record(
        family=family,
        created_by=police,
        child=child,
        police_reference="POLICEONLY-suspect-case-reference",
        opened_on=today - timedelta(days=10),
        suspected_caregiver=suspect,
    )
    arrest = justice.milestone_record(
        case=against_caregiver,
        created_by=police,
        kind="arrested",
        occurs_on=today - timedelta(days=5),
        parents_text="JUSTICE-SUSPECTCASE-arrest",
    )
    justice.milestone_approve(milestone=arrest, officer=police, parents_see_date=True, notify=False)


def add_concerns(family, officer, supervisor, child, sibling) -> None:
    """What is recorded when a parent may be the exploiter, every text with a marker:
    INFAMILY- for the screen, the concern, the Meldcode steps and protective mode (never in
    any export), SEENALONE- for when the child was seen alone (what was discussed is never
    in an export; the rest only in the child's own) and OTHERPARENT- for the sibling's."""
    today = timezone.localdate()
    protective_mode_start(family=family, started_by=officer, reason="INFAMILY-protective-reason")
    protective_mode_close(family=family, ended_by=supervisor, note="INFAMILY-protective-end")
    earlier = concerns.concern_raise(family=family, raised_by=officer, reason="INFAMILY-earlier-reason")
    concerns.concern_close(concern=earlier, closed_by=supervisor, close_reason="INFAMILY-earlier-closed")
    concerns.screen_record(
        family=family,
        created_by=officer,
        note="INFAMILY-screen-note",
        **screen_answers("concern", afraid_at_home="yes", child_named_family="yes"),
    )
    concern = concerns.open_concern_of(family)
    concerns.meldcode_step_record(
        concern=concern,
        created_by=officer,
        kind="vt_consulted",
        taken_on=today,
        taken_by="INFAMILY-step-by",
        reference="INFAMILY-step-ref",
        note="INFAMILY-step-note",
        next_on=today + timedelta(days=7),
    )
    concerns.seen_alone_record(
        family=family,
        created_by=officer,
        child=child,
        seen_on=today - timedelta(days=3),
        seen_by="SEENALONE-by",
        agency="SEENALONE-agency",
        place="SEENALONE-place",
        discussed="SEENALONE-discussed",
    )
    concerns.seen_alone_record(
        family=family,
        created_by=officer,
        child=sibling,
        seen_on=today - timedelta(days=2),
        seen_by="Sara School",
        agency="School",
        place="OTHERPARENT-sibling-seen-place",
        discussed="OTHERPARENT-sibling-seen-discussed",
    )


@pytest.fixture
def history(family, officer, supervisor, police, parent, other_parent, suspect_caregiver, child, sibling, plan):
    """A family with something in every part of the case."""
    now = timezone.now()
    family.referral_note = "STAFFONLY-referral-note"
    family.save(update_fields=["referral_note"])
    CaregiverSuspicion.objects.create(
        member=HouseholdMember.objects.get(user=suspect_caregiver), reason="SUSPICION-reason", marked_by=supervisor
    )
    visit = ContactEntry.objects.create(
        family=family,
        occurred_at=now - timedelta(days=3),
        kind="home_visit",
        with_whom="Mia",
        summary="HOMEVISIT-summary",
        created_by=officer,
    )
    FollowUpAction.objects.create(
        family=family,
        contact=visit,
        description="FOLLOWUP-action",
        owner="Olivia",
        due_on=timezone.localdate(),
        created_by=officer,
    )
    ContactEntry.objects.create(
        family=family,
        occurred_at=now - timedelta(days=2),
        kind="with_police",
        with_whom="Vice unit",
        summary="POLICEONLY-contact-note",
        created_by=officer,
    )
    Incident.objects.create(
        family=family,
        occurred_at=now - timedelta(days=5),
        kind="intimidation",
        description="INCIDENT-description",
        person_of_concern="POLICEONLY-incident-person",
        created_by=officer,
    )
    MissingEpisode.objects.create(
        family=family,
        child=child,
        started_at=now - timedelta(days=10),
        ended_at=now - timedelta(days=9),
        where_found="MISSING-where-found",
        created_by=officer,
    )
    MissingEpisode.objects.create(
        family=family,
        child=sibling,
        started_at=now - timedelta(days=8),
        where_found="OTHERPARENT-sibling-missing",
        created_by=officer,
    )
    ProgressReview.objects.create(
        family=family,
        reviewed_on=timezone.localdate(),
        understanding_score=3,
        understanding_evidence="REVIEW-evidence",
        empowerment_score=3,
        empowerment_evidence="Keeps a log",
        resilience_score=2,
        resilience_evidence="Sleeps badly",
        created_by=officer,
    )
    ParentRating.objects.create(
        family=family,
        rated_on=timezone.localdate(),
        given_by="Piet",
        understanding_score=2,
        empowerment_score=2,
        resilience_score=2,
        comment="OTHERPARENT-rating",
        source="portal",
        created_by=other_parent.user,
    )
    AgencyInvolvement.objects.create(
        family=family,
        agency="youth_care",
        worker_name="AGENCY-worker",
        started_on=timezone.localdate(),
        created_by=officer,
    )
    SharedInformation.objects.create(family=family, text="SHARED-by-parent", created_by=parent)
    SharedInformation.objects.create(
        family=family, text="CONFIDENTIAL-shared", child_must_not_know=True, created_by=parent
    )
    SharedInformation.objects.create(family=family, text="PIET-shared", created_by=other_parent.user)
    PortalMessage.objects.create(family=family, text="MESSAGE-from-parent", from_parent=True, created_by=parent)
    PortalMessage.objects.create(family=family, text="MESSAGE-from-officer", from_parent=False, created_by=officer)
    PortalMessage.objects.create(
        family=family, text="OTHERPARENT-message", from_parent=True, created_by=other_parent.user
    )
    SupervisionNote.objects.create(family=family, officer=officer, note="STAFFONLY-supervision", created_by=supervisor)
    Handover.objects.create(
        family=family,
        from_officer=officer,
        to_officer=UserFactory(role=Role.OFFICER, team=officer.team, full_name="Nina Next"),
        reason="STAFFONLY-handover-reason",
        note="STAFFONLY-handover-note",
        created_by=supervisor,
    )
    add_criminal_cases(family, police, child, HouseholdMember.objects.get(user=suspect_caregiver))
    add_concerns(family, officer, supervisor, child, sibling)
    add_needs(family, officer, supervisor)
    return family


def add_needs(family, officer, supervisor) -> None:
    """The parents' own needs: NEEDS- for what a parent's export shows (the need, who
    helps, the next step), STAFFONLY- for the officer's notes on them (counted, not shown)."""
    today = timezone.localdate()
    need = needs.need_record(
        family=family,
        created_by=officer,
        kind="debts",
        since_on=today - timedelta(days=20),
        helper="NEEDS-helper",
        next_step="NEEDS-step",
        next_on=today + timedelta(days=5),
        note="STAFFONLY-need-note",
    )
    needs.need_change(
        need=need,
        changed_by=supervisor,
        base_revision=need.revision,
        kind="debts",
        since_on=today - timedelta(days=20),
        status="being_helped",
        agency="other",
        helper="NEEDS-helper-now",
        next_step="NEEDS-step-now",
        next_on=today + timedelta(days=6),
        note="STAFFONLY-need-note-now",
    )
