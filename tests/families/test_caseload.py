import pytest
from django.urls import reverse

from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db


def test_officer_sees_their_caseload(login, officer, family):
    response = login(officer).get(reverse("families:caseload"))
    assert response.status_code == 200
    assert family.reference in response.content.decode()


@pytest.mark.parametrize("persona", ["other_officer", "outsider"])
def test_staff_without_the_family_do_not_see_it_in_their_list(request, login, family, persona):
    response = login(request.getfixturevalue(persona)).get(reverse("families:caseload"))
    assert response.status_code == 200
    assert family.reference not in response.content.decode()


@pytest.mark.parametrize("persona", ["parent", "administrator"])
def test_the_caseload_is_not_for_parents_or_administrators(request, login, family, persona):
    response = login(request.getfixturevalue(persona)).get(reverse("families:caseload"))
    assert response.status_code == 404


def test_caseload_search_by_reference_and_name(login, officer, family):
    other = FamilyFactory(liaison_officer=officer, team=officer.team, display_name="Family Bakker")
    client = login(officer)
    body = client.get(reverse("families:caseload"), {"q": "bakker"}).content.decode()
    assert other.reference in body and family.reference not in body
    body = client.get(reverse("families:caseload"), {"q": "nothing-like-this"}).content.decode()
    assert other.reference not in body


def test_caseload_is_paginated_and_costs_constant_queries(login, officer, django_assert_max_num_queries):
    from tests.factories import ChildFactory

    client = login(officer)
    for family in FamilyFactory.create_batch(5, liaison_officer=officer, team=officer.team):
        ChildFactory(family=family)
    with django_assert_max_num_queries(26) as few:
        client.get(reverse("families:caseload"))
    FamilyFactory.create_batch(495, liaison_officer=officer, team=officer.team)
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(reverse("families:caseload"), {"sort": "risk"})
    assert first.context["page"].paginator.num_pages == 20
    assert len(first.context["page"].object_list) == 25
    last = client.get(reverse("families:caseload"), {"page": 20})
    assert len(last.context["page"].object_list) == 25


@pytest.mark.parametrize("sort", ["reference", "name", "status", "risk", "last_contact", "next_contact", "bogus"])
def test_caseload_sorts(login, officer, family, sort):
    response = login(officer).get(reverse("families:caseload"), {"sort": sort})
    assert response.status_code == 200 and family.reference in response.content.decode()


def test_caseload_search_by_childs_name(login, officer, family):
    from tests.factories import ChildFactory

    ChildFactory(family=family, full_name="Zoë Uniquename")
    body = login(officer).get(reverse("families:caseload"), {"q": "uniquename"}).content.decode()
    assert family.reference in body


def test_caseload_never_shows_closed_cases(login, officer, family):
    family.status, family.closing_reason = "closed", "Safe now."
    family.save()
    client = login(officer)
    assert family.reference not in client.get(reverse("families:caseload")).content.decode()
    assert family.reference not in client.get(reverse("families:caseload"), {"closed": "1"}).content.decode()


def test_caseload_shows_what_is_overdue(login, officer, family):
    from datetime import timedelta

    from django.utils import timezone

    from families.models import ContactEntry, FollowUpAction

    contact = ContactEntry.objects.create(
        family=family, occurred_at=timezone.now(), kind="phone", with_whom="mother", summary="s", created_by=officer
    )
    FollowUpAction.objects.create(
        family=family,
        contact=contact,
        description="Call school",
        owner="officer",
        due_on=timezone.localdate() - timedelta(days=2),
        created_by=officer,
    )
    response = login(officer).get(reverse("families:caseload"))
    row = response.context["page"].object_list[0]
    assert row.overdue_follow_ups == 1 and row.last_contact_at is not None


def test_caseload_refuses_post(login, officer):
    assert login(officer).post(reverse("families:caseload")).status_code == 405


def test_family_page_for_each_staff_persona_with_access(login, family, staff_with_access):
    response = login(staff_with_access).get(reverse("families:detail", args=[family.pk]))
    assert response.status_code == 200
    assert family.display_name in response.content.decode()


@pytest.mark.parametrize("persona", ["other_officer", "outsider", "parent", "suspect_caregiver", "administrator"])
def test_family_page_is_404_for_everyone_else(request, login, family, persona):
    response = login(request.getfixturevalue(persona)).get(reverse("families:detail", args=[family.pk]))
    assert response.status_code == 404


def test_family_page_for_an_absent_family_is_the_same_404(login, officer):
    assert login(officer).get(reverse("families:detail", args=[999999])).status_code == 404


def test_family_page_refuses_post(login, officer, family):
    assert login(officer).post(reverse("families:detail", args=[family.pk])).status_code == 405


def test_family_page_title_names_the_family_by_its_reference_only(login, officer, family):
    body = login(officer).get(reverse("families:detail", args=[family.pk])).content.decode()
    title = body.split("<title>")[1].split("</title>")[0]
    assert family.display_name not in title and family.reference in title


def test_staff_see_a_warning_for_a_suspected_caregiver(login, officer, family, suspect_caregiver):
    body = login(officer).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "govuk-tag--red" in body


def test_parent_portal_home_shows_their_officer(login, parent, family):
    response = login(parent).get(reverse("portal:home"))
    assert response.status_code == 200
    assert family.liaison_officer.full_name in response.content.decode()


@pytest.mark.parametrize("persona", ["suspect_caregiver", "officer", "police"])
def test_parent_portal_home_is_404_for_others(request, login, family, persona):
    response = login(request.getfixturevalue(persona)).get(reverse("portal:home"))
    assert response.status_code == 404


def test_the_caseload_costs_the_same_queries_for_one_and_thirty_families_and_reads_attention_once(
    login, officer, family
):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(officer)

    def queries() -> list[str]:
        caches["fragments"].clear()  # made anew, as after any change in the team
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("families:caseload")).status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    queries()  # the first request of a session does more (its second factor, its reminders)
    one = queries()
    FamilyFactory.create_batch(29, liaison_officer=officer, team=officer.team)
    thirty = queries()
    assert len(thirty) == len(one)
    # The page's families and the officer's own (their attention lists) are read at once.
    assert sum('"families_contactentry"' in sql for sql in thirty) == 1


@pytest.mark.parametrize(("asked", "shown"), [("2", 2), ("9", 2), ("0", 2), ("x", 1), (None, 1), ("9" * 30, 2)])
def test_the_caseload_shows_the_page_asked_for_or_the_nearest_one(login, officer, asked, shown):
    FamilyFactory.create_batch(30, liaison_officer=officer, team=officer.team)
    response = login(officer).get(reverse("families:caseload"), {"page": asked} if asked else {})
    page = response.context["page"]
    assert (page.number, page.paginator.count, len(page.object_list)) == (shown, 30, 25 if shown == 1 else 5)


def test_the_officer_column_is_for_those_who_see_others_families(login, officer, supervisor, family):
    """An officer's list is their own: no column says whose; a supervisor's says it on every row."""
    header = '<th scope="col" class="govuk-table__header">Liaison officer</th>'
    cell = '<td class="govuk-table__cell">Olivia Officer</td>'
    mine = login(officer).get(reverse("families:caseload"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert header not in mine and cell not in mine
    team = login(supervisor).get(reverse("families:caseload"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert header in team and cell in team


def test_a_second_officer_s_caseload_compiles_nothing_anew(login, officer, family, other_officer, monkeypatch):
    """The page's families with their attention, and what the attention rules read of them,
    are read with statements built and compiled once per process; another officer only
    puts their own ids in them, and sees their own families only, in their own lists."""
    from django.core.cache import caches

    from liaison import compiled

    other = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    monkeypatch.setattr(compiled, "_COMPILED", {})
    compiled_anew = []
    real = compiled.compile_values
    monkeypatch.setattr(compiled, "compile_values", lambda *args: compiled_anew.append(args[-1]) or real(*args))
    first = login(officer).get(reverse("families:caseload"))
    assert [row.pk for row in first.context["page"].object_list] == [family.pk]
    read = " ".join(compiled_anew)
    assert all(name in read for name in ("caseload rows", "review points", "plan statuses", "police waiting"))
    compiled_anew.clear()
    caches["fragments"].clear()
    second = login(other_officer).get(reverse("families:caseload"))
    assert compiled_anew == []
    assert [row.pk for row in second.context["page"].object_list] == [other.pk]
    assert {row.pk for attention in second.context["my_attention"] for row in attention.families} <= {other.pk}


def test_a_police_partner_s_caseload_has_no_own_lists(login, police, family):
    response = login(police).get(reverse("families:caseload"))
    assert [row.pk for row in response.context["page"].object_list] == [family.pk]
    assert response.context["my_attention"] == []


@pytest.mark.parametrize("sort", ["reference", "name", "status", "risk", "last_contact", "next_contact", "bogus"])
def test_the_caseload_s_ids_come_in_the_order_of_its_queryset(officer, supervisor, police, sort):
    """Without a search the ids of the caseload are read with a statement compiled once per
    order; they are those of the queryset, in its order, for every persona."""
    from families.models import FamilyStatus
    from families.selectors.case import caseload, caseload_ids
    from tests.factories import ChildFactory

    for number, family in enumerate(FamilyFactory.create_batch(6, liaison_officer=officer, team=officer.team)):
        ChildFactory(family=family, risk_level=["low", "high", "very_high"][number % 3])
    FamilyFactory(liaison_officer=officer, team=officer.team, status=FamilyStatus.CLOSED, closing_reason="Done")
    for user in (officer, supervisor, police):
        expected = list(caseload(user, sort=sort).values_list("pk", flat=True))
        assert caseload_ids(user, sort=sort) == expected
        assert caseload_ids(user, sort=sort, search="zzz-no-such") == []
