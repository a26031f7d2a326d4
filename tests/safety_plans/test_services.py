"""The way of a plan from draft to active, versions, and the refusal of stale saves."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from liaison.audit.models import AuditEvent
from safety_plans import services
from safety_plans.models import PersonOfConcern, PlanAgreement, PlanStatement, PlanStatus, PlanVersion, Visibility

pytestmark = pytest.mark.django_db


def statement(version, text="Keep the door open", visibility=Visibility.PARENTS):
    return PlanStatement(version=version, section="parents_do", text=text, visibility=visibility)


def test_first_version_is_an_empty_draft(draft):
    assert (draft.number, draft.status, draft.revision) == (1, PlanStatus.DRAFT, 1)
    assert draft.based_on is None


def test_only_one_version_is_worked_on_at_a_time(draft, family, officer):
    with pytest.raises(ValidationError):
        services.plan_version_start(family=family, created_by=officer)


def test_every_change_raises_the_revision_and_is_audited(draft, officer):
    services.plan_part_save(version=draft, part=statement(draft), base_revision=1, actor=officer)
    draft.refresh_from_db()
    assert draft.revision == 2
    assert AuditEvent.objects.filter(detail__what="plan_part_added").count() == 1


def test_two_saves_from_the_same_revision_the_second_is_refused(draft, officer, police):
    """Nothing is lost: the first save stands and the second person still has their text."""
    first = statement(draft, "First person's text")
    services.plan_part_save(version=draft, part=first, base_revision=1, actor=officer)
    second_copy = PlanStatement.objects.get(pk=first.pk)
    second_copy.text = "Second person's text"
    stale = PlanVersion.objects.get(pk=draft.pk)
    stale.revision = 1
    with pytest.raises(services.PlanConflict):
        services.plan_part_save(version=stale, part=second_copy, base_revision=1, actor=police)
    assert PlanStatement.objects.get(pk=first.pk).text == "First person's text"
    assert second_copy.text == "Second person's text"


def test_a_change_after_sharing_is_refused(shared_plan, officer):
    with pytest.raises(services.PlanConflict):
        services.plan_part_save(
            version=shared_plan, part=statement(shared_plan), base_revision=shared_plan.revision, actor=officer
        )


def test_removing_keeps_the_part(filled_draft, officer):
    part = PlanStatement.objects.filter(version=filled_draft).first()
    services.plan_part_remove(version=filled_draft, part=part, base_revision=filled_draft.revision, actor=officer)
    part.refresh_from_db()
    assert part.removed_at is not None


@pytest.mark.parametrize("days", [-1, 0])
def test_review_date_must_be_in_the_future(draft, officer, days):
    with pytest.raises(ValidationError) as error:
        services.plan_review_date_set(
            version=draft, review_on=timezone.localdate() + timedelta(days=days), base_revision=1, actor=officer
        )
    assert "review_on" in error.value.error_dict
    draft.refresh_from_db()
    assert draft.review_on is None and draft.revision == 1


def test_sharing_needs_a_review_date(draft, officer):
    with pytest.raises(ValidationError):
        services.plan_share(version=draft, base_revision=1, actor=officer)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_the_whole_way_to_active(active_plan, parent, police):
    assert active_plan.status == PlanStatus.ACTIVE
    assert active_plan.agreement.agreed_by.user == parent
    assert active_plan.endorsed.endorsed_by == police
    assert active_plan.activated_at is not None


def test_a_suspected_caregiver_cannot_agree(shared_plan, suspect_caregiver):
    member = suspect_caregiver.household_memberships.get()
    with pytest.raises(ValidationError):
        services.plan_agree(version=shared_plan, agreed_by=member, words="", recorded_by=suspect_caregiver)


def test_endorsing_needs_the_parents_agreement(shared_plan, police):
    with pytest.raises(ValidationError):
        services.plan_endorse(version=shared_plan, officer=police)


def test_reopening_withdraws_the_agreement(agreed_plan, officer):
    services.plan_reopen(version=agreed_plan, actor=officer, reason="The school changed")
    agreed_plan.refresh_from_db()
    assert agreed_plan.status == PlanStatus.DRAFT
    assert PlanAgreement.objects.get(version=agreed_plan).withdrawn_at is not None


def test_a_new_version_copies_everything_and_the_active_one_stays_in_force(active_plan, family, officer, police):
    new = services.plan_version_start(family=family, created_by=officer)
    assert (new.number, new.based_on, new.review_on) == (2, active_plan, active_plan.review_on)
    assert (
        PersonOfConcern.objects.filter(version=new).count()
        == PersonOfConcern.objects.filter(version=active_plan).count()
    )
    assert PersonOfConcern.objects.filter(version=new, visibility=Visibility.POLICE).exists()
    active_plan.refresh_from_db()
    assert active_plan.status == PlanStatus.ACTIVE

    services.plan_share(version=new, base_revision=new.revision, actor=officer)
    member = family.household_members.first()
    services.plan_agree(version=new, agreed_by=member, words="", recorded_by=officer)
    services.plan_endorse(version=new, officer=police)
    active_plan.refresh_from_db()
    new.refresh_from_db()
    assert (active_plan.status, new.status) == (PlanStatus.SUPERSEDED, PlanStatus.ACTIVE)


def test_the_database_refuses_a_person_of_concern_for_parents(draft, officer):
    with pytest.raises(IntegrityError):
        PersonOfConcern.objects.create(
            version=draft, visibility=Visibility.PARENTS, name="X", concern="Y", created_by=officer
        )


def test_no_e_mail_carries_anything_of_the_plan(active_plan, mailoutbox):
    """The whole way from draft to active sends no e-mail holding any part of the plan."""
    for message in mailoutbox:
        text = f"{message.subject} {message.body} {message.alternatives}"
        assert not any(marker in text for marker in ("FORPARENTS", "STAFFONLY", "POLICEONLY"))
