"""Comparing two versions of the plan in the family case, per persona."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from safety_plans import services
from safety_plans.comparison import Change
from safety_plans.models import PlanStatement, Visibility

pytestmark = pytest.mark.django_db


def compare_url(family, query: str = "") -> str:
    return reverse("safety_plans:compare", args=[family.pk]) + query


@pytest.fixture
def new_version(active_plan, family, officer):
    """Version 2, copied from the active version 1, with one statement reworded."""
    draft = services.plan_version_start(family=family, created_by=officer)
    # Encrypted text cannot be looked up in SQL: find the statement in Python.
    part = next(part for part in PlanStatement.objects.filter(version=draft) if part.text == "FORPARENTS-sign")
    part.text = "FORPARENTS-signal"
    services.plan_part_save(version=draft, part=part, base_revision=draft.revision, actor=officer)
    draft.refresh_from_db()
    return draft


def test_staff_with_access_compare(login, staff_with_access, new_version, family):
    response = login(staff_with_access).get(compare_url(family))
    assert response.status_code == 200
    assert (response.context["left"].number, response.context["right"].number) == (1, 2)


@pytest.mark.parametrize("persona", ["other_officer", "outsider", "parent", "suspect_caregiver", "administrator"])
def test_others_get_404(login, request, persona, new_version, family):
    assert login(request.getfixturevalue(persona)).get(compare_url(family)).status_code == 404


def test_post_is_405(login, officer, new_version, family):
    assert login(officer).post(compare_url(family)).status_code == 405


def test_the_plan_page_links_to_the_comparison(login, officer, new_version, family):
    response = login(officer).get(reverse("safety_plans:plan", args=[family.pk]))
    assert compare_url(family).encode() in response.content


def test_police_only_parts_are_compared_for_the_police_alone(login, officer, supervisor, police, new_version, family):
    assert b"POLICEONLY-concern" in login(police).get(compare_url(family)).content
    for person in (officer, supervisor):
        response = login(person).get(compare_url(family))
        assert b"POLICEONLY" not in response.content
        assert b"STAFFONLY-concern" in response.content


def test_a_changed_statement_shows_both_texts_with_the_words_marked(login, officer, new_version, family):
    response = login(officer).get(compare_url(family))
    content = response.content.decode()
    assert "FORPARENTS-<del>" in content
    assert "FORPARENTS-<ins>" in content
    (row,) = [row for section in response.context["sections"] for row in section.rows if row.change != "unchanged"]
    assert row.change == Change.CHANGED
    assert "sign<span" in row.left and "signal<span" in row.right
    assert response.context["total_changes"] == 1


def test_versions_can_be_picked_either_way_round(login, officer, new_version, family):
    response = login(officer).get(compare_url(family, "?a=2&b=1"))
    assert response.status_code == 200
    assert (response.context["left"].number, response.context["right"].number) == (2, 1)


def test_a_version_that_does_not_exist_is_404(login, officer, new_version, family):
    client = login(officer)
    assert client.get(compare_url(family, "?a=1&b=7")).status_code == 404
    assert client.get(compare_url(family, "?a=9")).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?a=abc&b=2", "Choose a version from the list."),
        ("?a=0&b=2", "Choose a version from the list."),
        ("?a=2&b=2", "Choose two different versions."),
    ],
)
def test_bad_choice_is_explained_and_the_defaults_shown(login, officer, new_version, family, query, message):
    response = login(officer).get(compare_url(family, query))
    assert response.status_code == 400
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        assert [text for _anchor, text in response.context["form"].error_list] == [translation.gettext(message)]
    assert b"govuk-error-summary" in response.content
    assert (response.context["left"].number, response.context["right"].number) == (1, 2)


def test_empty_params_fall_back_to_the_defaults(login, officer, new_version, family):
    response = login(officer).get(compare_url(family, "?a=&b="))
    assert response.status_code == 200
    assert (response.context["left"].number, response.context["right"].number) == (1, 2)


def test_a_plan_with_one_version_has_nothing_to_compare(login, officer, filled_draft, family):
    response = login(officer).get(compare_url(family))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert b"<table" not in response.content


def test_no_plan_has_nothing_to_compare(login, officer, family):
    response = login(officer).get(compare_url(family))
    assert response.status_code == 200
    assert response.context["form"] is None


def test_the_comparison_costs_the_same_queries_however_long_the_plan(
    login, officer, new_version, family, django_assert_max_num_queries
):
    client = login(officer)
    client.get(compare_url(family))
    with CaptureQueriesContext(connection) as short_plan:
        client.get(compare_url(family))
    for number in range(10):
        services.plan_part_save(
            version=new_version,
            part=PlanStatement(
                version=new_version, section="siblings", text=f"Sibling line {number}", visibility=Visibility.PARENTS
            ),
            base_revision=new_version.revision,
            actor=officer,
        )
        new_version.refresh_from_db()
    with django_assert_max_num_queries(len(short_plan)):
        response = client.get(compare_url(family))
    assert response.status_code == 200
    assert response.context["total_changes"] == 11
    with django_assert_max_num_queries(40):
        client.get(compare_url(family))
