"""The gate of a case page, compiled once per shape of the policy (``family_in_reach``),
lets exactly the families through that the policy's queryset (``families_for``) holds,
for every role, action and kind of family; and it costs one query and no compiling."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from families.models import FamilyStatus, Handover, HouseholdMember
from liaison import compiled
from liaison.access import account_shut_out, allows, allows_each, families_for, family_in_reach
from liaison.access.families import _user_shape
from liaison.access.people import one_request
from liaison.access.roles import ACTIONS
from liaison.accounts.models import BreakGlassAccess, Role, User
from liaison.compiled import instance
from tests.factories import FamilyFactory, TeamFactory, UserFactory, as_a_request_reads

pytestmark = pytest.mark.django_db


@pytest.fixture
def families(family, other_family, officer, supervisor, team):
    """Every kind of family a gate must tell apart: the officer's own, another officer's
    in the same team, another team's, closed, archived, handed on, and reached only by
    emergency access (and by one that ran out)."""
    colleague = UserFactory(role=Role.OFFICER, team=team)
    handed_on = FamilyFactory(liaison_officer=colleague, team=team)
    Handover.objects.create(
        family=handed_on, from_officer=officer, to_officer=colleague, reason="leave", note="n", created_by=supervisor
    )
    broken_into = FamilyFactory(team=TeamFactory(name="Team East"))
    expired = FamilyFactory(team=broken_into.team)
    now = timezone.now()
    BreakGlassAccess.objects.create(
        user=officer, family=broken_into, reason="A child is missing tonight", expires_at=now + timedelta(hours=1)
    )
    BreakGlassAccess.objects.create(
        user=officer,
        family=expired,
        reason="A child is missing tonight",
        granted_at=now - timedelta(hours=1),
        expires_at=now - timedelta(seconds=1),
    )
    return [
        family,
        other_family,
        FamilyFactory(liaison_officer=colleague, team=team),
        FamilyFactory(liaison_officer=officer, team=team, status=FamilyStatus.CLOSED, closing_reason="Goals reached"),
        FamilyFactory(liaison_officer=officer, team=team, archived_at=now),
        handed_on,
        broken_into,
        expired,
    ]


@pytest.fixture
def people(officer, supervisor, police, administrator, analyst, outsider, parent, suspect_caregiver):
    inactive = UserFactory(role=Role.OFFICER, team=officer.team, is_active=False)
    return [officer, supervisor, police, administrator, analyst, outsider, parent, suspect_caregiver, inactive]


def each_person(people, team):
    """Each person as read anew, with the team's view of each other's families off and on."""
    for team_view in (False, True):
        team.team_view = team_view
        team.save()
        for user in people:
            yield as_a_request_reads(user), team_view


def test_the_gate_lets_through_exactly_what_the_policy_holds(families, people, team):
    for user, team_view in each_person(people, team):
        for action in ACTIONS:
            allowed = set(families_for(user, action).values_list("pk", flat=True))
            for family in families:
                reached = family_in_reach(user, family.pk, action)
                expected = family.pk in allowed
                assert (reached is not None) == expected, (user.email, user.role, action, family, team_view)
                if reached is not None:
                    assert reached == family
            first = families_for(user, action).order_by("pk").first()
            assert family_in_reach(user, None, action) == first, (user.email, action)


def test_the_buttons_asked_together_answer_as_the_policy_does(families, people, team):
    """``allows_each``, compiled once per shape of the policy, answers for every action
    what the policy's queryset answers, with one query at most; and so does ``allows``."""
    for user, team_view in each_person(people, team):
        for family in families:
            with one_request():
                account_shut_out(user)  # asked once per request, by the gate
                with CaptureQueriesContext(connection) as queries:
                    answers = allows_each(user, family, ACTIONS)
            assert len(queries) <= 1
            expected = {action: families_for(user, action).filter(pk=family.pk).exists() for action in ACTIONS}
            assert {action: allows(user, family, action) for action in ACTIONS} == expected
            assert answers == expected, (user.email, user.role, family, team_view)


def test_the_buttons_of_a_second_person_of_the_same_shape_cost_no_compiling(
    officer, other_officer, family, other_family, monkeypatch
):
    allows_each(officer, family, ("change", "supervise"))
    compiled_anew = []
    monkeypatch.setattr(compiled, "compile_values", lambda *args, **kwargs: compiled_anew.append(args))
    assert allows_each(other_officer, other_family, ("change", "supervise")) == {"change": True, "supervise": False}
    assert allows_each(other_officer, family, ("change", "supervise")) == {"change": False, "supervise": False}
    assert compiled_anew == []


def test_the_family_comes_with_its_team_officer_and_unit_in_the_one_query(officer, family):
    officer = as_a_request_reads(officer)
    with CaptureQueriesContext(connection) as queries:
        reached = family_in_reach(officer, family.pk)
        names = (reached.team.name, reached.liaison_officer.full_name, reached.police_unit.name)
    assert len(queries) == 1
    assert names == (family.team.name, officer.full_name, family.police_unit.name)
    assert reached.display_name == "Family Jansen"


def test_a_second_person_of_the_same_shape_costs_no_compiling(
    officer, other_officer, family, other_family, monkeypatch
):
    family_in_reach(officer, family.pk)
    compiled_anew = []
    monkeypatch.setattr(compiled, "compile_values", lambda *args, **kwargs: compiled_anew.append(args))
    assert family_in_reach(other_officer, other_family.pk) == other_family
    assert family_in_reach(other_officer, family.pk) is None
    assert compiled_anew == []


def test_a_family_without_a_police_unit_comes_with_none(officer, team):
    family = FamilyFactory(liaison_officer=officer, team=team, police_unit=None)
    assert family_in_reach(officer, family.pk).police_unit is None


@pytest.mark.parametrize("pk", [0, -1, 2**63, -(2**63) - 1, 10**30, "7"])
def test_a_number_no_family_can_have_reaches_nothing(officer, family, pk):
    assert family_in_reach(officer, pk) is None


def test_emergency_access_that_runs_out_stops_at_the_database_clock(officer, team):
    family = FamilyFactory(team=TeamFactory(name="Team West"))
    access = BreakGlassAccess.objects.create(
        user=officer,
        family=family,
        reason="A child is missing tonight",
        granted_at=timezone.now() - timedelta(hours=1),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    assert family_in_reach(officer, family.pk) == family
    access.expires_at = timezone.now() - timedelta(milliseconds=1)
    access.save()
    assert family_in_reach(officer, family.pk) is None


def test_the_stand_in_user_holds_only_the_shape_and_fails_on_anything_else(officer):
    stand_in = instance(User, _user_shape(officer))
    assert stand_in.role == Role.OFFICER
    with pytest.raises(User.DoesNotExist):
        stand_in.email  # noqa: B018 - reading it is the test


def test_a_parent_reaches_the_own_family_only_while_trusted(parent, family):
    assert family_in_reach(parent, family.pk, "portal") == family
    assert family_in_reach(parent, None, "portal") == family
    HouseholdMember.objects.filter(user=parent).update(is_suspected=True)
    assert family_in_reach(parent, family.pk, "portal") is None
    assert family_in_reach(parent, None, "portal") is None


def test_the_visible_families_are_those_of_the_policy_by_id(families, people, team):
    """What a list page's kept fragment depends on, compiled once per shape of the policy,
    is the policy's own queryset, by id, with each family's team."""
    from liaison.access import visible_families

    for user, team_view in each_person(people, team):
        for action in ACTIONS:
            expected = list(families_for(user, action).order_by("pk").values_list("pk", "team_id"))
            assert visible_families(user, action) == expected, (user.email, action, team_view)
