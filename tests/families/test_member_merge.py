"""The migration that merges the records of one person in one household, run on data with
the duplicates that inviting a parent used to create."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from families.models import CaregiverSuspicion, HouseholdMember
from liaison.access import PORTAL, families_for, shut_out_of_portal
from liaison.accounts.models import Invitation, Role
from liaison.audit.models import AuditEvent
from liaison.audit.seals import audit_seal, first_altered_event, walk_seals
from liaison.privacy.models import ErasureRequest
from safety_plans import services as plan_services
from safety_plans.models import PlanAgreement
from tests.factories import FamilyFactory, HouseholdMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("families.migrations.0010_merge_duplicate_members")


def merge() -> int:
    return migration.merge_duplicate_members(apps)


@pytest.fixture
def original(family, officer):
    """The stepfather as the officer recorded him (no e-mail address), then marked
    suspected on that record."""
    member = HouseholdMemberFactory(
        family=family,
        full_name="Rik  Stepfather",
        relation="stepfather",
        user=None,
        phone="0612345678",
        created_by=officer,
    )
    CaregiverSuspicion.objects.create(member=member, reason="Disclosure", marked_by=officer)
    HouseholdMember.objects.filter(pk=member.pk).update(is_suspected=True)
    return member


@pytest.fixture
def invited(family):
    """The second record an invitation used to make: same man, his account, no address."""
    user = UserFactory(role=Role.PARENT, email="rik@example.org", full_name="Rik Stepfather")
    return HouseholdMemberFactory(family=family, full_name="Rik Stepfather", relation="stepfather", user=user)


def test_the_duplicate_is_merged_into_the_original_and_the_account_is_shut_out(original, invited, family):
    account = invited.user
    # Before the merge too: the same name in the family, spacing and case left aside, is
    # the same person (``liaison.access.people``), so the double space hides nobody.
    assert shut_out_of_portal(account) and not families_for(account, PORTAL).exists()
    assert merge() == 1
    kept = HouseholdMember.objects.get(family=family)
    assert kept.pk == original.pk
    assert (kept.user, kept.is_suspected, kept.phone) == (account, True, "0612345678")
    assert not HouseholdMember.objects.filter(pk=invited.pk).exists()
    assert shut_out_of_portal(account) and not families_for(account, PORTAL).exists()


def test_records_with_the_same_address_are_merged_whatever_the_name(family, invited):
    recorded = HouseholdMemberFactory(family=family, full_name="R. de Vries", user=None, email="RIK@example.org")
    assert merge() == 1
    kept = HouseholdMember.objects.get(family=family)
    # The earliest record is kept, its blanks filled from the other.
    assert (kept.pk, kept.user, kept.email) == (invited.pk, invited.user, "RIK@example.org")
    assert not HouseholdMember.objects.filter(pk=recorded.pk).exists()


def test_every_link_moves_to_the_kept_record(original, invited, family, officer, police):
    version = plan_services.plan_version_start(family=family, created_by=officer)
    agreement = PlanAgreement.objects.create(
        version=version, agreed_by=invited, agreed_at=timezone.now(), recorded_by=officer
    )
    second_mark = CaregiverSuspicion.objects.create(member=invited, reason="Also marked", marked_by=police)
    erasure = ErasureRequest.objects.create(member=invited, asked_by="Rik", grounds="Erase", requested_by=officer)
    invitation = Invitation.objects.create(
        email="x@example.org",
        full_name="Rik",
        role=Role.PARENT,
        family=family,
        member=invited,
        token_hash="h" * 64,
        created_by=officer,
        expires_at=timezone.now(),
    )
    merge()
    for record in (agreement, second_mark, erasure, invitation):
        record.refresh_from_db()
    assert agreement.agreed_by_id == erasure.member_id == invitation.member_id == original.pk
    assert second_mark.member_id == original.pk
    # One open mark per member: the later one is kept as history, closed as merged.
    assert original.suspicions.filter(lifted_at__isnull=True).count() == 1
    assert second_mark.lifted_at is not None and second_mark.reason == "Also marked"


def test_each_merge_is_in_the_audit_trail_and_the_trail_holds(original, invited, family):
    merge()
    event = AuditEvent.objects.get(detail__what="household_members_merged")
    assert event.family_id == family.pk
    assert event.detail["kept"] == original.pk and event.detail["merged"] == [invited.pk]
    assert first_altered_event() is None
    audit_seal()
    assert walk_seals().problems == []


def test_different_people_are_never_merged(family):
    father = HouseholdMemberFactory(family=family, full_name="Jan Jansen", email="jan.sr@example.org", user=None)
    son = HouseholdMemberFactory(family=family, full_name="Jan Jansen", email="jan.jr@example.org", user=None)
    two_accounts = [HouseholdMemberFactory(family=family, full_name="Ann Smit") for _ in range(2)]
    elsewhere = HouseholdMemberFactory(family=FamilyFactory(), full_name="Jan Jansen", user=None)
    assert merge() == 0
    assert (
        HouseholdMember.objects.filter(pk__in=[father.pk, son.pk, elsewhere.pk, *[m.pk for m in two_accounts]]).count()
        == 5
    )


def test_running_twice_changes_nothing_more(original, invited):
    assert merge() == 1
    assert merge() == 0
