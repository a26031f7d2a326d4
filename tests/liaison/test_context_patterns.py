"""Hits and patterns of contexts across families (issue 27): police partners and analysts
of a unit see the contexts their families share with other families, how many families
and since when; of a family outside their unit only that it is counted. The CSV is for
police partners. Liaison officers, supervisors and parents never reach it."""

import csv
from datetime import timedelta
from io import StringIO

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import ContextHit, ContextLink
from families.services import contexts as services
from liaison.audit.models import AuditEvent
from tests.factories import PoliceUnitFactory

pytestmark = pytest.mark.django_db

PATTERNS = reverse("context_patterns")
CSV = reverse("context_patterns_csv")
MARKER = "MARKER-A-5521"


def link(family, user, kind="vehicle", label="AB-123-C", **extra) -> ContextLink:
    return services.context_link_record(family=family, created_by=user, kind=kind, label=label, **extra)


@pytest.fixture
def shared_plate(family, officer, other_family, other_officer):
    """Family A (unit North) and family B (unit South) name the same car."""
    link(family, officer, label="AB-123-C", note=MARKER)
    link(other_family, other_officer, label="ab 123 c")
    return ContextHit.objects.get()


@pytest.mark.parametrize("persona", ["analyst", "police", "other_police", "other_analyst"])
def test_police_and_analysts_of_either_unit_see_the_hit(request, english, shared_plate, persona):
    response = english(request.getfixturevalue(persona)).get(PATTERNS)
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row.hit == shared_plate and row.families == 2 and row.label == "AB123C"
    assert [r.hit for r in response.context["new_rows"]] == [shared_plate]
    assert MARKER not in response.content.decode()


def test_the_police_see_their_own_units_families_and_only_a_count_of_the_others(
    english, police, family, other_family, shared_plate
):
    page = english(police).get(PATTERNS).content.decode()
    assert family.reference in page and other_family.reference not in page


def test_an_analyst_sees_counts_not_families(english, analyst, family, other_family, shared_plate):
    page = english(analyst).get(PATTERNS).content.decode()
    assert family.reference not in page and other_family.reference not in page
    assert english(analyst).get(reverse("families:contexts", args=[family.pk])).status_code == 404


def test_a_police_partner_of_a_unit_with_no_family_in_the_hit_sees_nothing(login, outsider, shared_plate):
    for url in (PATTERNS, CSV):
        response = login(outsider).get(url)
        assert response.status_code == 200 and "AB123C" not in response.content.decode()


def test_a_unit_with_no_family_in_the_hit_sees_nothing(english, shared_plate):
    from liaison.accounts.models import Role
    from tests.factories import UserFactory, confirmed_totp

    third = UserFactory(role=Role.ANALYST, police_unit=PoliceUnitFactory(name="East"), email="east@example.org")
    confirmed_totp(third)
    response = english(third).get(PATTERNS)
    assert response.status_code == 200 and response.context["rows"] == []
    assert "AB123C" not in response.content.decode()


@pytest.mark.parametrize("persona", ["officer", "other_officer", "supervisor", "parent", "suspect_caregiver"])
def test_nobody_else_reaches_the_patterns(request, login, shared_plate, persona):
    client = login(request.getfixturevalue(persona))
    for url in (PATTERNS, CSV):
        response = client.get(url)
        assert response.status_code == 404
        assert "AB123C" not in response.content.decode()


def test_the_csv_is_for_police_only(login, analyst, police, family, shared_plate):
    assert login(analyst).get(CSV).status_code == 404
    response = login(police).get(CSV)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(StringIO(response.content.decode())))
    assert rows[1][1:5] == ["AB123C", "2", "2", family.reference]


def test_phone_numbers_and_handles_stay_text_in_the_csv(login, police, family, officer, other_family, other_officer):
    link(family, officer, kind="phone", label="06 1234 5678")
    link(other_family, other_officer, kind="phone", label="0612345678")
    rows = list(csv.reader(StringIO(login(police).get(CSV).content.decode())))
    assert rows[1][1] == "'+31 6 12345678"


def test_the_filter_by_kind(english, analyst, shared_plate, family, officer, other_family, other_officer):
    link(family, officer, kind="handle", label="@bigboy", platform="snapchat")
    link(other_family, other_officer, kind="handle", label="BigBoy", platform="snapchat")
    client = english(analyst)
    assert len(client.get(PATTERNS).context["rows"]) == 2
    assert [r.hit.kind for r in client.get(PATTERNS, {"kind": "handle"}).context["rows"]] == ["handle"]
    assert len(client.get(PATTERNS, {"kind": "ufo"}).context["rows"]) == 2


def test_a_hit_older_than_a_week_is_not_new_and_ended_links_drop_out(
    english, analyst, shared_plate, family, other_family
):
    ContextHit.objects.update(first_seen_at=timezone.now() - timedelta(days=8))
    response = english(analyst).get(PATTERNS)
    assert response.context["new_rows"] == [] and len(response.context["rows"]) == 1
    second = ContextLink.objects.get(family=other_family)
    services.context_link_end(link=second, ended_by=second.created_by, base_revision=1, reason="Mistaken.")
    assert english(analyst).get(PATTERNS).context["rows"] == []


def test_reading_the_patterns_is_in_the_audit_trail(login, analyst, shared_plate):
    login(analyst).get(PATTERNS)
    assert AuditEvent.objects.filter(actor=analyst, detail__page="context_patterns").exists()


def test_an_analyst_lands_on_the_patterns(login, analyst):
    response = login(analyst).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == PATTERNS


def test_the_page_is_paginated_at_a_fixed_number_of_queries(
    english, analyst, officer, other_officer, family, other_family, django_assert_max_num_queries
):
    client = english(analyst)
    link(family, officer, label="AA01")
    link(other_family, other_officer, label="AA01")
    with django_assert_max_num_queries(40) as counted:
        client.get(PATTERNS)
    few = len(counted.captured_queries)
    for number in range(29):
        link(family, officer, label=f"ZZ{number:02d}")
        link(other_family, other_officer, label=f"ZZ{number:02d}")
    with django_assert_max_num_queries(few):
        response = client.get(PATTERNS)
    assert response.context["page"].paginator.count == 30 and len(response.context["rows"]) == 25


@pytest.fixture
def hits_per_unit(family, officer, other_family, other_officer, police_unit, other_unit, shared_plate):
    """Besides the car both units' families name: a phone only unit North's families name,
    and a handle only unit South's families name."""
    from tests.factories import FamilyFactory

    north = FamilyFactory(liaison_officer=officer, team=officer.team, police_unit=police_unit)
    south = FamilyFactory(liaison_officer=other_officer, team=other_officer.team, police_unit=other_unit)
    for owner, user in ((family, officer), (north, officer)):
        link(owner, user, kind="phone", label="06 1234 5678")
    for owner, user in ((other_family, other_officer), (south, other_officer)):
        link(owner, user, kind="handle", label="@southside", platform="instagram")
    return {"both": "AB123C", "north": "+31 6 12345678", "south": "@southside"}


def shown(response) -> set[str]:
    return {row.label for row in response.context["rows"]}


def test_serving_one_unit_hides_the_unit_filter_and_another_unit_is_ignored(
    english, analyst, other_unit, hits_per_unit
):
    client = english(analyst)
    response = client.get(PATTERNS)
    assert response.context["units"] == [] and 'name="unit"' not in response.content.decode()
    assert shown(response) == {hits_per_unit["both"], hits_per_unit["north"]}
    elsewhere = client.get(PATTERNS, {"unit": other_unit.pk})
    assert shown(elsewhere) == shown(response)
    assert hits_per_unit["south"] not in elsewhere.content.decode()


def test_the_policy_gives_the_units_a_person_serves(analyst, police, officer, supervisor, police_unit):
    from liaison.access import context_hits_units

    assert context_hits_units(analyst) == (police_unit.pk,) == context_hits_units(police)
    assert context_hits_units(officer) == () == context_hits_units(supervisor)


@pytest.mark.parametrize("persona", ["analyst", "police"])
def test_someone_serving_two_units_filters_by_unit(
    request, monkeypatch, english, police_unit, other_unit, hits_per_unit, persona
):
    monkeypatch.setattr("liaison.staff.contexts.context_hits_units", lambda user: (police_unit.pk, other_unit.pk))
    client = english(request.getfixturevalue(persona))
    every = client.get(PATTERNS)
    page = every.content.decode()
    assert 'name="unit"' in page and police_unit.name in page and other_unit.name in page
    assert shown(every) == set(hits_per_unit.values())
    assert shown(client.get(PATTERNS, {"unit": other_unit.pk})) == {hits_per_unit["both"], hits_per_unit["south"]}
    assert shown(client.get(PATTERNS, {"unit": police_unit.pk})) == {hits_per_unit["both"], hits_per_unit["north"]}
    assert shown(client.get(PATTERNS, {"unit": "x"})) == set(hits_per_unit.values())
    if persona == "police":
        rows = list(csv.reader(StringIO(client.get(CSV, {"unit": other_unit.pk}).content.decode())))[1:]
        assert {row[1] for row in rows} == {hits_per_unit["both"], "'" + hits_per_unit["south"]}
