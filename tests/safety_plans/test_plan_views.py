"""The plan in the family case, per persona: who reads, who writes, who endorses."""

import pytest
from django.urls import reverse

from safety_plans.models import PlanStatement, PlanStatus, PlanVersion, Visibility
from tests.safety_plans.conftest import HIDDEN_MARKERS

pytestmark = pytest.mark.django_db


def plan_url(family, name="safety_plans:plan", *args):
    return reverse(name, args=[family.pk, *args])


def test_empty_state_offers_to_start(login, officer, family):
    response = login(officer).get(plan_url(family))
    assert response.status_code == 200
    assert reverse("safety_plans:start", args=[family.pk]).encode() in response.content


def test_staff_with_access_read_the_plan(login, staff_with_access, filled_draft, family):
    response = login(staff_with_access).get(plan_url(family))
    assert response.status_code == 200
    assert b"FORPARENTS-sign" in response.content
    assert b"STAFFONLY-concern" in response.content


def test_police_only_parts_are_for_the_police_alone(login, officer, supervisor, police, filled_draft, family):
    assert b"POLICEONLY-concern" in login(police).get(plan_url(family)).content
    for person in (officer, supervisor):
        content = login(person).get(plan_url(family)).content
        assert b"POLICEONLY" not in content


@pytest.mark.parametrize("persona", ["other_officer", "outsider", "parent", "suspect_caregiver", "administrator"])
def test_others_get_404(login, request, persona, filled_draft, family):
    client = login(request.getfixturevalue(persona))
    assert client.get(plan_url(family)).status_code == 404
    assert client.post(plan_url(family, "safety_plans:start")).status_code == 404


def test_wrong_method_is_405(login, officer, family):
    assert login(officer).get(plan_url(family, "safety_plans:start")).status_code == 405
    assert login(officer).get(plan_url(family, "safety_plans:share")).status_code == 405


def test_officer_starts_and_writes_a_draft(login, officer, family):
    client = login(officer)
    assert client.post(plan_url(family, "safety_plans:start")).status_code == 302
    version = PlanVersion.objects.get(plan__family=family)
    response = client.post(
        plan_url(family, "safety_plans:part_add", "statement"),
        {
            "base_revision": version.revision,
            "section": "warning_signs",
            "text": "Comes home late",
            "visibility": "parents",
        },
    )
    assert response.status_code == 302
    assert PlanStatement.objects.get(version=version).text == "Comes home late"


def test_stale_save_is_refused_and_the_text_stays_on_screen(login, officer, police, draft, family):
    client = login(officer)
    url = plan_url(family, "safety_plans:part_add", "statement")
    first = {"base_revision": 1, "section": "warning_signs", "text": "First", "visibility": "parents"}
    assert client.post(url, first).status_code == 302
    second = {**first, "text": "Second, from an older page"}
    response = client.post(url, second)
    assert response.status_code == 409
    assert b"Second, from an older page" in response.content
    assert PlanStatement.objects.filter(version=draft).count() == 1


def test_bad_input_saves_nothing(login, officer, draft, family):
    response = login(officer).post(
        plan_url(family, "safety_plans:part_add", "police_action"),
        {"base_revision": 1, "kind": "address_marker", "description": "Marker", "owner": "", "status": "agreed"},
    )
    assert response.status_code == 400
    assert "owner" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.revision == 1


def test_officer_may_not_write_police_only(login, officer, draft, family):
    response = login(officer).post(
        plan_url(family, "safety_plans:part_add", "statement"),
        {"base_revision": 1, "section": "warning_signs", "text": "x", "visibility": Visibility.POLICE},
    )
    assert response.status_code == 400
    assert not PlanStatement.objects.exists()


def test_police_write_only_the_police_parts(login, police, draft, family):
    client = login(police)
    assert client.get(plan_url(family, "safety_plans:part_add", "statement")).status_code == 404
    assert client.get(plan_url(family, "safety_plans:part_add", "police_action")).status_code == 200


def test_police_endorse_an_agreed_plan(login, police, officer, agreed_plan, family):
    assert login(officer).get(plan_url(family, "safety_plans:endorse")).status_code == 404
    response = login(police).post(plan_url(family, "safety_plans:endorse"), {"note": "Backed."})
    assert response.status_code == 302
    agreed_plan.refresh_from_db()
    assert agreed_plan.status == PlanStatus.ACTIVE


def test_the_plan_page_costs_the_same_queries_however_long_the_plan(
    login, officer, filled_draft, family, django_assert_max_num_queries
):
    client = login(officer)
    client.get(plan_url(family))
    with django_assert_max_num_queries(40):
        response = client.get(plan_url(family))
    assert response.status_code == 200
    assert all(marker.encode() not in response.content for marker in HIDDEN_MARKERS[1:])


def caseload_row(client, family):
    response = client.get(reverse("families:caseload"))
    return next(row for row in response.context["page"].object_list if row.pk == family.pk)


def test_caseload_flags_a_plan_waiting_for_the_police(login, officer, agreed_plan, family):
    row = caseload_row(login(officer), family)
    assert row.plan_awaiting_endorsement and row.plan_not_endorsed
    assert not row.plan_review_overdue


def test_caseload_flags_an_active_plan_past_its_review_date(login, supervisor, active_plan, family):
    PlanVersion.objects.filter(pk=active_plan.pk).update(review_on=active_plan.created_at.date().replace(year=2020))
    row = caseload_row(login(supervisor), family)
    assert row.plan_review_overdue
    assert not row.plan_not_endorsed and not row.plan_awaiting_endorsement
