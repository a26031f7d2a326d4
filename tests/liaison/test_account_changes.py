"""Changes to accounts, listed for a second administrator: who changed whose account and
each value before and after. Only verified administrators see the page."""

import pytest
from django.urls import reverse

from liaison.accounts.models import Role
from tests.factories import TeamFactory, UserFactory, confirmed_totp
from tests.liaison.test_account_audit import admin_change

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("administrator", 200),
        ("officer", 404),
        ("other_officer", 404),
        ("supervisor", 404),
        ("police", 404),
        ("parent", 404),
        ("suspect_caregiver", 404),
        ("outsider", 404),
    ],
)
def test_only_verified_administrators_see_the_account_changes(request, english, persona, status):
    client = english(request.getfixturevalue(persona))
    assert client.get(reverse("account_changes")).status_code == status


def test_an_administrator_without_the_second_factor_does_not_see_them(english, administrator, officer, other_team):
    officer.team = other_team
    officer.save()
    response = english(administrator, verified=False).get(reverse("account_changes"))
    assert response.status_code != 200
    assert b"Team South" not in response.content


def test_a_wrong_method_is_refused(english, administrator):
    assert english(administrator).post(reverse("account_changes")).status_code == 405


def test_a_second_administrator_sees_role_and_team_changes(english, login, administrator, officer, team, other_team):
    second = UserFactory(role=Role.ADMINISTRATOR, full_name="Bea Second", email="bea@example.org")
    confirmed_totp(second)
    admin_change(login(administrator), officer, team=other_team.pk)
    officer.refresh_from_db()
    admin_change(login(administrator), officer, role=Role.SUPERVISOR)
    body = english(second).get(reverse("account_changes")).content.decode()
    assert "Olivia Officer" in body and "Ada Admin" in body
    assert "Team: Team North → Team South" in body
    assert "Role: Liaison officer → Supervisor" in body


def test_the_access_filter_leaves_out_personal_details(english, administrator, officer, other_team):
    officer.phone = "0612345678"
    officer.save()
    officer.team = other_team
    officer.save()
    client = english(administrator)
    everything = client.get(reverse("account_changes")).content.decode()
    assert "Phone number: changed" in everything
    access = client.get(reverse("account_changes"), {"kind": "access"}).content.decode()
    assert "Phone number: changed" not in access
    assert "Team: Team North → Team South" in access


def test_the_list_is_in_dutch_too(login, administrator, officer, other_team):
    officer.team = other_team
    officer.save()
    body = login(administrator).get(reverse("account_changes"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Wijzigingen van accounts" in body
    assert "Team North → Team South" in body


def test_the_list_costs_a_fixed_number_of_queries(english, administrator, django_assert_max_num_queries):
    teams = [TeamFactory(name=f"Team {number}") for number in range(2)]
    for number in range(30):
        user = UserFactory(role=Role.OFFICER, team=teams[0], email=f"o{number}@example.org")
        user.team = teams[1]
        user.save()
    client = english(administrator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("account_changes"), {"page": 2})
    assert response.status_code == 200
