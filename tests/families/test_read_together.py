"""Reads of one family compiled once per process (families.selectors.together): the same
rows and instances as the ORM gives, and never a day or moment frozen into a statement."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from families.models import Child, Family, HouseholdMember, SeenAlone
from families.selectors.case import _OVERVIEW, household_with_accounts, with_trust
from families.selectors.concerns import SEEN_ALONE_COLUMNS, children_seen_alone_of
from families.selectors.together import read_together
from liaison.access import people_of_rows, untrusted_people
from liaison.accounts.models import Invitation, Role
from liaison.compiled import as_models, field_names
from tests.factories import ChildFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db


def invite(member, *, expires_in: timedelta, token: str) -> Invitation:
    return Invitation.objects.create(
        email=f"{token}@example.org",
        full_name=member.full_name,
        role=Role.PARENT,
        family=member.family,
        member=member,
        token_hash=token,
        created_by=member.family.liaison_officer,
        expires_at=timezone.now() + expires_in,
    )


@pytest.fixture
def people(family, parent, suspect_caregiver, officer):
    """Children (one seen alone), a parent with an account, a suspected caregiver, one
    caregiver invited and one whose invitation expired."""
    older = ChildFactory(family=family, full_name="Rico", born_on=timezone.localdate() - timedelta(days=15 * 365))
    ChildFactory(family=family, full_name="Lisa", born_on=timezone.localdate() - timedelta(days=9 * 365))
    SeenAlone.objects.create(
        family=family,
        child=older,
        seen_on=timezone.localdate() - timedelta(days=3),
        seen_by="Anna",
        agency="School",
        place="School office",
        discussed="Secret",
        created_by=officer,
    )
    invite(HouseholdMemberFactory(family=family, full_name="Ines Invited"), expires_in=timedelta(days=3), token="a")
    invite(HouseholdMemberFactory(family=family, full_name="Eva Expired"), expires_in=-timedelta(seconds=1), token="b")
    return family


def same(instances, expected, extra=()):
    assert [type(instance) for instance in instances] == [type(instance) for instance in expected]
    for got, want in zip(instances, expected, strict=True):
        for name in [*field_names(type(want)), *extra]:
            assert getattr(got, name) == getattr(want, name), name
        assert got._state.adding is False and got._state.db == "default"


def test_children_and_caregivers_are_the_instances_the_orm_gives(people):
    rows = read_together(_OVERVIEW, ["children_seen_alone", "household", "untrusted"], people.pk)
    same(
        as_models(Child, rows["children_seen_alone"]),
        list(children_seen_alone_of(people.pk)),
        SEEN_ALONE_COLUMNS,
    )
    untrusted = untrusted_people()
    assert people_of_rows(rows["untrusted"]) == untrusted
    household = with_trust(as_models(HouseholdMember, rows["household"]), untrusted)
    same(
        household,
        with_trust(list(household_with_accounts(people.pk)), untrusted),
        ("account_email", "invited_email", "trusted"),
    )
    by_name = {member.full_name: member for member in household}
    assert by_name["Ines Invited"].invited_email == "a@example.org"
    assert by_name["Eva Expired"].invited_email is None
    assert by_name["Sid Suspect"].trusted is False and by_name["Mia Parent"].trusted is True
    assert by_name["Mia Parent"].account_email == "parent@example.org"
    assert (
        by_name["Mia Parent"].get_safe_channel_display()
        == HouseholdMember.objects.get(full_name="Mia Parent").get_safe_channel_display()
    )


def test_each_family_gets_its_own_rows_from_the_one_statement(people, other_family):
    ChildFactory(family=other_family, full_name="Other child")
    rows = read_together(_OVERVIEW, ["children", "household"], other_family.pk)
    assert [child["full_name"] for child in rows["children"]] == ["Other child"]
    assert rows["household"] == []
    again = read_together(_OVERVIEW, ["children", "household"], people.pk)
    assert {child["full_name"] for child in again["children"]} == {"Rico", "Lisa"}


def test_an_invitation_expires_while_the_statement_stays_compiled(people):
    read_together(_OVERVIEW, ["children", "household"], people.pk)  # compiled now
    Invitation.objects.filter(token_hash="a").update(expires_at=timezone.now() - timedelta(seconds=1))
    rows = read_together(_OVERVIEW, ["children", "household"], people.pk)
    assert {row["full_name"]: row["invited_email"] for row in rows["household"]}["Ines Invited"] is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite gets days and moments as text")
def test_a_read_that_would_freeze_a_moment_into_the_statement_is_refused(family):
    frozen = {
        "opened": lambda family_id: Family.objects.filter(pk=family_id, created_at__lt=timezone.now()).values("pk")
    }
    with pytest.raises(ValueError, match="depends on a day or moment"):
        read_together(frozen, ["opened"], family.pk)


def test_fields_not_read_are_deferred_as_only_leaves_them(people):
    some = {
        "names": lambda family_id: (
            Child.objects.filter(family_id=family_id).order_by("full_name").values("id", "full_name")
        )
    }
    children = as_models(Child, read_together(some, ["names"], people.pk)["names"])
    assert [child.full_name for child in children] == ["Lisa", "Rico"]
    assert "school" in children[0].get_deferred_fields() and "full_name" not in children[0].get_deferred_fields()
    assert as_models(Child, []) == []
