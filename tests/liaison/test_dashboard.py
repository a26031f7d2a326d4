"""The supervisor's team dashboard: only for supervisors, only their team, the first ten
of every attention list with its true total and a paginated page of its own, caseload
balance by risk, and a fixed number of queries."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families.models import (
    Child,
    ContactEntry,
    ContactKind,
    Family,
    FollowUpAction,
    LiaisonAssignment,
    MissingEpisode,
    ProgressReview,
)
from families.selectors.case import listed as listed_families
from families.selectors.case import with_attention
from liaison import compiled
from liaison.access import SUPERVISE, families_for
from liaison.accounts.models import Role
from liaison.audit.models import AuditAction, AuditEvent
from liaison.staff.attention import Attention, attach_attention, attention_lists, families_needing, needs_attention
from tests.factories import ChildFactory, FamilyFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def listed(response, kind: Attention) -> set[int]:
    lists = {item.kind: item.families for item in response.context["lists"]}
    return {family.pk for family in lists[kind]}


def declining(family, officer) -> None:
    for days_ago, resilience in ((60, 4), (30, 3), (2, 2)):
        ProgressReview.objects.create(
            family=family,
            reviewed_on=timezone.localdate() - timedelta(days=days_ago),
            understanding_score=3,
            understanding_evidence="e",
            empowerment_score=3,
            empowerment_evidence="e",
            resilience_score=resilience,
            resilience_evidence="e",
            created_by=officer,
        )


def test_supervisor_sees_a_declining_family_and_an_overdue_return_conversation(login, supervisor, officer, family):
    family.referral_on = timezone.localdate() - timedelta(days=90)
    family.save()
    declining(family, officer)
    child = ChildFactory(family=family)
    MissingEpisode.objects.create(
        family=family,
        child=child,
        started_at=timezone.now() - timedelta(days=5),
        ended_at=timezone.now() - timedelta(hours=73),
        created_by=officer,
    )
    calm = FamilyFactory(liaison_officer=officer, team=officer.team)

    response = login(supervisor).get(DASHBOARD)

    assert response.status_code == 200
    assert family.pk in listed(response, Attention.CIRCLE)
    assert calm.pk not in listed(response, Attention.CIRCLE)
    assert family.pk in listed(response, Attention.RETURN_CONVERSATION)
    assert family.pk in listed(response, Attention.NO_CONTACT)
    assert family.pk in listed(response, Attention.PLAN_NOT_ENDORSED)
    assert reverse("families:handover_create", args=[family.pk]).encode() in response.content


def test_only_the_supervisors_own_team(login, supervisor, other_officer, family):
    elsewhere = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    response = login(supervisor).get(DASHBOARD)
    shown = {family.pk for item in response.context["lists"] for family in item.families}
    assert elsewhere.pk not in shown
    assert [load.officer for load in response.context["balance"]] == [family.liaison_officer]


def test_caseload_balance_weighs_by_the_highest_risk(login, supervisor, officer, team):
    colleague = UserFactory(role=Role.OFFICER, team=team)
    for level in ("very_high", "low"):
        ChildFactory(family=FamilyFactory(liaison_officer=officer, team=team), risk_level=level)
    FamilyFactory(liaison_officer=colleague, team=team)
    balance = {load.officer: load for load in login(supervisor).get(DASHBOARD).context["balance"]}
    assert (balance[officer].families, balance[officer].weighted) == (2, 5)
    assert (balance[colleague].families, balance[colleague].weighted, balance[colleague].share_of_largest) == (1, 1, 20)


@pytest.mark.parametrize("persona", ["officer", "police", "parent", "administrator", "outsider"])
def test_others_get_404(login, request, persona, family):
    assert login(request.getfixturevalue(persona)).get(DASHBOARD).status_code == 404


def test_wrong_method_is_405(login, supervisor):
    assert login(supervisor).post(DASHBOARD).status_code == 405


def many_families(officer, team, count: int) -> None:
    """Families in bulk, each with a child and its officer's assignment."""
    families = Family.objects.bulk_create(
        Family(
            reference=f"PL-BULK-{n:05d}",
            display_name=f"Family {n}",
            team=team,
            liaison_officer=officer,
            status="active",
        )
        for n in range(count)
    )
    if not families[0].pk:  # databases that do not return keys from bulk_create
        families = list(Family.objects.filter(reference__startswith="PL-BULK-"))
    now = timezone.now()
    LiaisonAssignment.objects.bulk_create(
        LiaisonAssignment(family=family, officer=officer, started_at=now, created_by=officer) for family in families
    )
    Child.objects.bulk_create(
        Child(
            family=family,
            full_name="Child",
            exploitation_kind="sexual",
            risk_level="high",
            risk_set_on=now.date(),
            created_by=officer,
        )
        for family in families
    )


def test_a_second_team_s_dashboard_compiles_nothing_anew(
    login, supervisor, officer, family, other_supervisor, other_officer, monkeypatch
):
    """The team's families with every attention flag are read with a statement built and
    compiled once per process (``rows_in_reach``); another team's supervisor only puts
    their own ids in it, and sees their own team only."""
    other = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    monkeypatch.setattr(compiled, "_COMPILED", {})
    compiled_anew = []
    real = compiled.compile_values
    monkeypatch.setattr(compiled, "compile_values", lambda *args: compiled_anew.append(args[-1]) or real(*args))
    assert login(supervisor).get(DASHBOARD).context["family_count"] == 1
    assert any("dashboard" in name for name in compiled_anew)
    compiled_anew.clear()
    response = login(other_supervisor).get(DASHBOARD)
    assert response.context["family_count"] == 1
    assert compiled_anew == []
    shown = {row.pk for kind in response.context["lists"] for row in kind.families}
    assert family.pk not in shown
    assert shown <= {other.pk}


@pytest.mark.parametrize("count", [10, 2000])
def test_the_dashboard_costs_the_same_queries_for_10_or_2000_families(
    login, supervisor, officer, team, count, django_assert_max_num_queries
):
    many_families(officer, team, count)
    client = login(supervisor)
    # 16 on SQLite and PostgreSQL alike; of them, the team's families, their reviews,
    # their plan versions and what waits for the police are one query each, whatever
    # the number of families.
    with django_assert_max_num_queries(16):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["family_count"] == count


def test_officers_see_their_own_attention_lists_on_the_caseload(login, officer, other_officer, family):
    elsewhere = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    response = login(officer).get(reverse("families:caseload"))
    shown = {kind.kind: {f.pk for f in kind.families} for kind in response.context["my_attention"]}
    assert family.pk in shown[Attention.PLAN_NOT_ENDORSED]
    assert all(elsewhere.pk not in pks for pks in shown.values())
    assert family.reference.encode() in response.content


def test_the_caseload_summary_is_for_officers_only(login, supervisor, police, family):
    for person in (supervisor, police):
        assert login(person).get(reverse("families:caseload")).context["my_attention"] == []


def whole_list(kind: Attention = Attention.PLAN_NOT_ENDORSED) -> str:
    return reverse("attention_list", args=[kind])


def attention_of(response, kind: Attention):
    return next(item for item in response.context["lists"] if item.kind == kind)


@pytest.mark.parametrize("count", [11, 30])
def test_the_dashboard_shows_the_first_ten_of_a_list_and_its_true_total(english, supervisor, officer, team, count):
    many_families(officer, team, count)
    response = english(supervisor).get(DASHBOARD)
    attention = attention_of(response, Attention.PLAN_NOT_ENDORSED)
    assert attention.total == count
    assert [family.reference for family in attention.families] == [f"PL-BULK-{n:05d}" for n in range(10)]
    page = response.content.decode()
    assert f"Safety plan not endorsed ({count})" in page
    assert f"See all {count} families" in page and whole_list() in page
    assert "PL-BULK-00010" not in page


def test_a_short_list_has_no_link_to_the_whole_list(english, supervisor, officer, team):
    many_families(officer, team, 10)
    page = english(supervisor).get(DASHBOARD).content.decode()
    assert "Safety plan not endorsed (10)" in page and whole_list() not in page
    assert "PL-BULK-00009" in page


def test_the_whole_list_comes_a_page_at_a_time_and_is_logged(english, supervisor, officer, team):
    many_families(officer, team, 30)
    client = english(supervisor)
    first = client.get(whole_list())
    second = client.get(whole_list(), {"page": 2})
    assert first.status_code == second.status_code == 200
    assert [family.reference for family in first.context["page"].object_list] == [f"PL-BULK-{n:05d}" for n in range(20)]
    assert [family.reference for family in second.context["page"].object_list] == [
        f"PL-BULK-{n:05d}" for n in range(20, 30)
    ]
    assert "Page 2 of 2" in second.content.decode() and "PL-BULK-00029" in second.content.decode()
    event = AuditEvent.objects.filter(action=AuditAction.CASE_LIST_VIEWED).latest("occurred_at")
    shown = list(second.context["page"].object_list)
    assert event.actor == supervisor
    assert event.detail == {
        "page": "attention_list",
        "kind": "plan_not_endorsed",
        "families": [family.pk for family in shown],
    }


def test_an_empty_list_keeps_its_empty_state(english, supervisor, family):
    response = english(supervisor).get(whole_list(Attention.RETURN_CONVERSATION))
    assert response.status_code == 200
    assert "Nothing here." in response.content.decode()


def test_the_whole_list_is_the_dashboards_list(login, supervisor, officer, family, other_officer):
    elsewhere = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    response = login(supervisor).get(whole_list())
    shown = {family.pk for family in response.context["page"].object_list}
    assert family.pk in shown and elsewhere.pk not in shown


@pytest.mark.parametrize("persona", ["officer", "police", "parent", "administrator", "outsider"])
def test_others_get_404_on_a_whole_list(login, request, persona, family):
    assert login(request.getfixturevalue(persona)).get(whole_list()).status_code == 404


def test_an_unknown_list_is_404(login, supervisor):
    assert login(supervisor).get(reverse("attention_list", args=["no_such_list"])).status_code == 404


@pytest.mark.parametrize("whole", [False, True])
def test_the_dashboard_and_a_whole_list_cost_the_same_queries_for_a_small_or_large_team(
    login, supervisor, officer, team, whole
):
    address = whole_list() if whole else DASHBOARD
    client = login(supervisor)
    client.get(reverse("home"))
    many_families(officer, team, 11)
    with CaptureQueriesContext(connection) as small:
        client.get(address)
    FamilyFactory.create_batch(40, liaison_officer=officer, team=team)
    with CaptureQueriesContext(connection) as large:
        response = client.get(address)
    assert response.status_code == 200
    assert len(large) == len(small)


def at_noon(days_ago: int) -> datetime:
    """Noon of a day some days ago, local time: the same day whatever the hour the test runs."""
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(12)))


def contact(family, officer, days_ago: int) -> ContactEntry:
    return ContactEntry.objects.create(
        family=family,
        occurred_at=at_noon(days_ago),
        kind=ContactKind.PHONE,
        with_whom="Mother",
        summary="Called",
        created_by=officer,
    )


@pytest.mark.parametrize(("days_ago", "shown"), [(20, False), (21, True)])
def test_no_contact_follows_the_teams_own_limit_to_the_day(login, supervisor, officer, team, days_ago, shown):
    team.contact_limit_days = 20
    team.save()
    family = FamilyFactory(liaison_officer=officer, team=team, referral_on=timezone.localdate() - timedelta(days=90))
    contact(family, officer, days_ago)
    response = login(supervisor).get(DASHBOARD)
    assert (family.pk in listed(response, Attention.NO_CONTACT)) is shown
    whole = login(supervisor).get(whole_list(Attention.NO_CONTACT))
    assert (family.pk in {row.pk for row in whole.context["page"].object_list}) is shown


@pytest.mark.parametrize(("days_ago", "shown"), [(0, False), (1, True)])
def test_a_follow_up_action_is_overdue_from_the_day_after_its_due_date(
    login, supervisor, officer, team, days_ago, shown
):
    family = FamilyFactory(liaison_officer=officer, team=team)
    FollowUpAction.objects.create(
        family=family,
        contact=contact(family, officer, 3),
        description="Call school",
        owner="Officer",
        due_on=timezone.localdate() - timedelta(days=days_ago),
        created_by=officer,
    )
    assert (family.pk in listed(login(supervisor).get(DASHBOARD), Attention.FOLLOW_UP_OVERDUE)) is shown


def varied_team(officer, team) -> None:
    """A team whose families need different kinds of attention, one list longer than ten."""
    many_families(officer, team, 12)
    colleague = UserFactory(role=Role.OFFICER, team=team)
    for days_ago in (13, 14, 15, 40):
        family = FamilyFactory(
            liaison_officer=colleague, team=team, referral_on=timezone.localdate() - timedelta(days=90)
        )
        contact(family, colleague, days_ago)
    family = FamilyFactory(liaison_officer=officer, team=team, referral_on=timezone.localdate() - timedelta(days=90))
    declining(family, officer)
    MissingEpisode.objects.create(
        family=family,
        child=ChildFactory(family=family),
        started_at=timezone.now() - timedelta(days=5),
        ended_at=timezone.now() - timedelta(hours=73),
        created_by=officer,
    )


def test_the_dashboard_lists_what_the_rules_say_of_the_teams_families(login, supervisor, officer, team):
    """The dashboard reads the families its own way (plain rows); every list, its order,
    its total and the officers' counts are what the rules give over the families as the
    caseload reads them."""
    varied_team(officer, team)
    response = login(supervisor).get(DASHBOARD)
    families = list(with_attention(listed_families(families_for(supervisor, SUPERVISE))).order_by("reference"))
    attach_attention(families)
    expected = [(item.kind, [f.pk for f in item.families], item.total) for item in attention_lists(families, first=10)]
    shown = [(item.kind, [f.pk for f in item.families], item.total) for item in response.context["lists"]]
    assert shown == expected
    assert sum(bool(total) for _kind, _pks, total in shown) >= 4
    needing = {load.officer.pk: load.needing_attention for load in response.context["balance"]}
    for officer_id in needing:
        mine = [family for family in families if family.liaison_officer_id == officer_id]
        assert needing[officer_id] == sum(bool(needs_attention(family)) for family in mine)
    for kind in (Attention.PLAN_NOT_ENDORSED, Attention.NO_CONTACT, Attention.CIRCLE):
        whole = login(supervisor).get(whole_list(kind))
        assert [row.pk for row in whole.context["page"].object_list] == [
            f.pk for f in families_needing(kind, families)
        ][:20]
