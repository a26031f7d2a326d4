"""The one access policy, for every role: who sees which family, and who does not."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from liaison.access import (
    CHANGE,
    PORTAL,
    SUPERVISE,
    VIEW,
    families_for,
    get_family_or_404,
    get_portal_family_or_404,
    is_verified_administrator,
    reminder_audience,
    supervised_team,
    supervised_team_or_404,
    verified_administrator_or_404,
)
from liaison.accounts.models import Role
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import FamilyFactory, HouseholdMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("officer", {VIEW, CHANGE}),
        ("supervisor", {VIEW, CHANGE, SUPERVISE}),
        ("police", {VIEW}),
        ("parent", {PORTAL}),
        ("suspect_caregiver", set()),
        ("other_officer", set()),
        ("outsider", set()),
        ("administrator", set()),
    ],
)
def test_each_role_reaches_the_family_only_as_the_policy_says(request, family, persona, allowed):
    user = request.getfixturevalue(persona)
    for action in (VIEW, CHANGE, SUPERVISE, PORTAL):
        reachable = families_for(user, action).filter(pk=family.pk).exists()
        assert reachable == (action in allowed), (persona, action)


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_the_access_filter_keeps_each_subquery_indexable(request, persona):
    """On PostgreSQL a subquery inside the OR is written as ``= ANY(ARRAY(...))`` so the
    families table is read through its indexes, not in a full pass (docs/performance.md)."""
    sql = str(families_for(request.getfixturevalue(persona), VIEW).query)
    if connection.vendor == "postgresql":
        assert "= ANY(ARRAY(SELECT" in sql
        assert " IN (SELECT" not in sql
    else:
        assert " IN (SELECT" in sql


def test_officer_sees_only_their_own_caseload(officer, family):
    colleague = UserFactory(role=Role.OFFICER, team=officer.team)
    FamilyFactory(liaison_officer=colleague, team=officer.team)
    assert list(families_for(officer, VIEW)) == [family]


def test_supervisor_sees_every_family_of_their_team_and_no_other(supervisor, family, other_officer):
    colleague = UserFactory(role=Role.OFFICER, team=supervisor.team)
    team_family = FamilyFactory(liaison_officer=colleague, team=supervisor.team)
    FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    assert set(families_for(supervisor, VIEW)) == {family, team_family}


def test_police_sees_only_families_linked_to_their_unit(police, family):
    FamilyFactory()
    FamilyFactory(police_unit=None)
    assert list(families_for(police, VIEW)) == [family]


def test_a_suspected_caregiver_is_cut_off_even_with_a_portal_account(parent, suspect_caregiver, family):
    assert list(families_for(parent, PORTAL)) == [family]
    assert not families_for(suspect_caregiver, PORTAL).exists()


def test_marking_a_parent_as_suspect_cuts_access_at_once(parent, family):
    member = parent.household_memberships.get()
    member.is_suspected = True
    member.save()
    assert not families_for(parent, PORTAL).exists()


def test_a_parent_never_reaches_the_staff_case_file(parent, family):
    assert not families_for(parent, VIEW).exists()


def test_an_inactive_account_reaches_nothing(officer, family):
    officer.is_active = False
    officer.save()
    assert not families_for(officer, VIEW).exists()


def test_an_anonymous_visitor_reaches_nothing(family):
    from django.contrib.auth.models import AnonymousUser

    assert not families_for(AnonymousUser(), VIEW).exists()


def test_unknown_action_is_an_error(officer):
    with pytest.raises(ValueError):
        families_for(officer, "delete")


def test_a_parent_of_another_family_does_not_see_this_one(family):
    stranger = HouseholdMemberFactory().user
    assert not families_for(stranger, PORTAL).filter(pk=family.pk).exists()


def _request(user):
    request = RequestFactory().get("/families/1/")
    request.user = user
    return request


def test_get_family_or_404_logs_the_read(officer, family):
    assert get_family_or_404(_request(officer), family.pk) == family
    event = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED).get()
    assert (event.actor, event.family_id) == (officer, family.pk)


@pytest.mark.parametrize("persona", ["other_officer", "outsider", "parent", "administrator"])
def test_get_family_or_404_answers_404_for_forbidden_and_absent_alike(request, family, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(Http404):
        get_family_or_404(_request(user), family.pk)
    with pytest.raises(Http404):
        get_family_or_404(_request(user), family.pk + 1000)
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED).exists()


def test_a_closed_case_is_read_but_never_changed(officer, supervisor, family):
    family.status = "closed"
    family.closing_reason = "Child is safe."
    family.save()
    assert families_for(officer, VIEW).filter(pk=family.pk).exists()
    assert not families_for(officer, CHANGE).exists()
    assert not families_for(supervisor, SUPERVISE).exists()


def test_previous_officer_reads_until_the_handover_is_acknowledged(officer, family, team):
    from django.utils import timezone

    from families.models import Handover

    colleague = UserFactory(role=Role.OFFICER, team=team)
    family.liaison_officer = colleague
    family.save()
    handover = Handover.objects.create(
        family=family, from_officer=officer, to_officer=colleague, reason="r", note="n", created_by=colleague
    )
    assert families_for(officer, VIEW).filter(pk=family.pk).exists()
    assert not families_for(officer, CHANGE).exists()
    handover.acknowledged_at = timezone.now()
    handover.save()
    assert not families_for(officer, VIEW).exists()


def test_team_view_lets_officers_read_but_not_change_colleagues_families(officer, team):
    colleague = UserFactory(role=Role.OFFICER, team=team)
    theirs = FamilyFactory(liaison_officer=colleague, team=team)
    assert not families_for(officer, VIEW).filter(pk=theirs.pk).exists()
    team.team_view = True
    team.save()
    assert families_for(officer, VIEW).filter(pk=theirs.pk).exists()
    assert not families_for(officer, CHANGE).filter(pk=theirs.pk).exists()


# One gate per persona.


def _verified(user, verified: bool):
    user.is_verified = lambda: verified
    return user


@pytest.mark.parametrize(
    ("persona", "verified", "expected"),
    [
        ("administrator", True, True),
        ("administrator", False, False),
        ("supervisor", True, False),
        ("officer", True, False),
        ("police", True, False),
        ("parent", True, False),
    ],
)
def test_only_an_administrator_who_passed_the_second_factor_is_a_verified_administrator(
    request, persona, verified, expected
):
    user = _verified(request.getfixturevalue(persona), verified)
    assert is_verified_administrator(user) is expected
    web_request = RequestFactory().get("/")
    web_request.user = user
    if expected:
        verified_administrator_or_404(web_request)
    else:
        with pytest.raises(Http404):
            verified_administrator_or_404(web_request)


def test_the_supervised_team_is_the_supervisors_own_and_nobody_elses(supervisor, officer, police, team):
    assert supervised_team(supervisor) == team
    for user in (officer, police):
        assert supervised_team(user) is None
        web_request = RequestFactory().get("/")
        web_request.user = user
        with pytest.raises(Http404):
            supervised_team_or_404(web_request)


def test_reminders_go_to_officers_for_their_own_families_supervisors_for_their_team_and_police_for_their_unit(
    officer, supervisor, police, parent, administrator
):
    assert reminder_audience(officer) == ("officer", officer.pk)
    assert reminder_audience(supervisor) == ("team", supervisor.team_id)
    assert reminder_audience(police) == ("unit", police.police_unit_id)
    assert [reminder_audience(user) for user in (parent, administrator)] == [None, None]


@pytest.mark.parametrize(
    "url_name", ["portal:home", "portal:about", "portal:justice", "portal:plan", "portal:messages"]
)
def test_every_parents_page_goes_through_the_one_gate_and_logs_the_read(login, parent, family, url_name):
    client = login(parent)
    before = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, family_id=family.pk).count()
    response = client.get(reverse(url_name))
    assert response.status_code in (200, 404)  # the plan page is 404 without a plan in force
    after = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, family_id=family.pk).count()
    assert after == before + 1


def test_a_parent_without_a_portal_family_gets_404_from_the_gate(suspect_caregiver):
    web_request = RequestFactory().get("/")
    web_request.user = suspect_caregiver
    with pytest.raises(Http404):
        get_portal_family_or_404(web_request)
