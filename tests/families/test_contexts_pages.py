"""The contexts of a family on its pages (issue 27): staff of the family and its police
partners see and record them; parents, a suspected caregiver, other officers and outsiders
get 404. Family B's officer learns nothing of family A: not the context, not the family,
not a count; only that the police were told of a link. A stale review answers 409."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import ContextHit, ContextKey, ContextLink
from families.services import contexts as services

pytestmark = pytest.mark.django_db

RECORDERS = ["officer", "supervisor", "police"]
NOT_ALLOWED = ["parent", "suspect_caregiver", "other_officer", "outsider", "analyst", "other_police"]
MARKER = "MARKER-A-7731"


def list_url(family) -> str:
    return reverse("families:contexts", args=[family.pk])


def add_url(family, kind="vehicle") -> str:
    return reverse("families:context_add", args=[family.pk, kind])


def review_url(link) -> str:
    return reverse("families:context_review", args=[link.family_id, link.pk])


def end_url(link) -> str:
    return reverse("families:context_end", args=[link.family_id, link.pk])


def plate(family, user, label="AB-123-C", **extra) -> ContextLink:
    return services.context_link_record(family=family, created_by=user, kind="vehicle", label=label, **extra)


def review_on(days=365) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.mark.parametrize("persona", RECORDERS)
def test_staff_and_police_of_the_family_record_review_and_end(request, english, family, persona):
    client = english(request.getfixturevalue(persona))
    assert client.get(list_url(family)).status_code == 200
    response = client.post(add_url(family), {"label": "ab 123 c", "note": "Grey Golf", "review_on": review_on()})
    assert response.status_code == 302
    link = ContextLink.objects.get()
    assert (link.label, link.note, link.family) == ("AB123C", "Grey Golf", family)
    page = client.get(list_url(family)).content.decode()
    assert "AB123C" in page and "Grey Golf" in page
    assert client.post(review_url(link), {"base_revision": 1, "review_on": review_on(200)}).status_code == 302
    assert client.post(end_url(link), {"base_revision": 2, "reason": "A neighbour's car."}).status_code == 302
    link.refresh_from_db()
    assert link.is_ended and link.revision == 3
    assert "A neighbour" in client.get(list_url(family)).content.decode()


@pytest.mark.parametrize("persona", NOT_ALLOWED)
def test_nobody_else_reaches_the_contexts(
    request, login, family, officer, other_family, analyst, other_police, persona
):
    link = plate(family, officer, note=MARKER)
    client = login(request.getfixturevalue(persona))
    assert client.get(list_url(family)).status_code == 404
    assert client.post(add_url(family), {"label": "XY999", "review_on": review_on()}).status_code == 404
    assert client.post(review_url(link), {"base_revision": 1, "review_on": review_on()}).status_code == 404
    assert client.post(end_url(link), {"base_revision": 1, "reason": "x"}).status_code == 404
    assert ContextLink.objects.count() == 1 and not ContextLink.objects.filter(ended_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("kind", "values", "field", "message"),
    [
        ("vehicle", {"label": ""}, "label", "Fill in “Number plate”."),
        ("vehicle", {"label": "A*"}, "label", "Give the number plate as letters and digits"),
        ("phone", {"label": "12"}, "label", "Give a phone number that exists"),
        ("handle", {"label": "@big"}, "platform", "Choose the platform of the handle."),
        ("place", {"label": "Park Zuid"}, "place_kind", "Choose the kind of place."),
        ("vehicle", {"label": "AB123C", "review_on": "2001-01-01"}, "review_on", "cannot be in the past"),
        ("vehicle", {"label": "AB123C", "review_on": ""}, "review_on", "Give the review date."),
        ("person", {"label": "Kev\x00"}, "label", "invisible control character"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    english, officer, family, kind, values, field, message
):
    response = english(officer).post(add_url(family, kind), {"review_on": review_on(), **values})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not ContextLink.objects.exists() and not ContextKey.objects.exists()


def test_an_unknown_kind_is_not_found(login, officer, family):
    assert login(officer).get(add_url(family, "ufo")).status_code == 404


def test_each_kind_asks_only_its_own_questions(english, officer, family):
    client = english(officer)
    person = client.get(add_url(family, "person")).context["form"]
    place = client.get(add_url(family, "place")).context["form"]
    handle = client.get(add_url(family, "handle")).context["form"]
    assert "aliases" in person.fields and "platform" not in person.fields and "area" not in person.fields
    assert {"place_kind", "area"} <= set(place.fields) and "aliases" not in place.fields
    assert "platform" in handle.fields and "place_kind" not in handle.fields


def test_a_stale_review_is_refused_with_409(english, officer, supervisor, family):
    link = plate(family, officer)
    services.context_link_review(link=link, reviewed_by=supervisor, base_revision=1, review_on=None)
    response = english(officer).post(review_url(link), {"base_revision": 1, "review_on": review_on(100)})
    assert response.status_code == 409
    assert "Someone else changed this context" in response.content.decode()
    assert response.context["form"].data["base_revision"] == 2


def test_an_ended_context_cannot_be_reviewed_or_ended_again(login, officer, family):
    link = plate(family, officer)
    services.context_link_end(link=link, ended_by=officer, base_revision=1, reason="Gone.")
    client = login(officer)
    assert client.get(review_url(link)).status_code == 404
    assert client.get(end_url(link)).status_code == 404


def test_a_context_of_another_family_is_not_found_through_this_family(
    login, officer, family, other_family, other_officer
):
    link = plate(other_family, other_officer)
    client = login(officer)
    wrong = reverse("families:context_review", args=[family.pk, link.pk])
    assert client.get(wrong).status_code == 404


def test_family_b_officer_learns_nothing_of_family_a_but_that_the_police_were_told(
    english, officer, family, other_officer, other_family
):
    plate(family, officer, label="AB-123-C", note=MARKER)
    client = english(other_officer)
    before = client.get(list_url(other_family)).content.decode()
    assert "The police have been told" not in before
    response = client.post(add_url(other_family), {"label": "ab123c", "review_on": review_on()}, follow=True)
    assert ContextHit.objects.count() == 1
    page = response.content.decode()
    assert "The police have been told of a link" in page
    for secret in (MARKER, family.reference, family.display_name, officer.full_name, "2 families", "two families"):
        assert secret not in page
    # Family A's own officer sees the same line, and nothing of family B.
    page_a = english(officer).get(list_url(family)).content.decode()
    assert "The police have been told of a link" in page_a and other_family.reference not in page_a


@pytest.mark.parametrize("persona", ["parent", "suspect_caregiver"])
def test_parents_never_see_contexts_or_that_matching_exists(
    request, login, family, officer, other_family, other_officer, persona
):
    plate(family, officer, note=MARKER)
    plate(other_family, other_officer)
    client = login(request.getfixturevalue(persona))
    response = client.get(reverse("portal:home"))
    page = response.content.decode()
    assert MARKER not in page and "AB123C" not in page and "context" not in page.lower()


def test_the_list_is_paginated_and_costs_the_same_queries_for_1_or_30(
    english, officer, family, django_assert_max_num_queries
):
    client = english(officer)
    plate(family, officer, label="AA11")
    with django_assert_max_num_queries(60) as counted:
        assert client.get(list_url(family)).status_code == 200
    few = len(counted.captured_queries)
    for number in range(29):
        plate(family, officer, label=f"ZZ{number:02d}")
    with django_assert_max_num_queries(few):
        response = client.get(list_url(family))
    assert response.context["page"].paginator.num_pages == 2
    assert len(response.context["page"].object_list) == 25
    assert client.get(list_url(family) + "?page=2").context["page"].number == 2


def overview_url(family) -> str:
    return reverse("families:detail", args=[family.pk])


def test_the_case_overview_says_the_police_were_told_as_the_contexts_tab_does(
    english, officer, family, other_officer, other_family
):
    told = "The police have been told of a link between a context of this family and another family."
    client_b = english(other_officer)
    plate(other_family, other_officer, label="ab 123 c")
    # Family B's overview is made and kept before family A names the same car.
    assert told not in client_b.get(overview_url(other_family)).content.decode()
    plate(family, officer, label="AB-123-C", note=MARKER)
    overview_b = client_b.get(overview_url(other_family)).content.decode()
    tab_b = client_b.get(list_url(other_family)).content.decode()
    assert told in overview_b and told in tab_b
    for secret in (MARKER, family.reference, family.display_name, officer.full_name, "AB123C"):
        assert secret not in overview_b
    assert told in english(officer).get(overview_url(family)).content.decode()


def test_the_case_overview_says_nothing_without_a_link(english, officer, family, other_officer, other_family):
    plate(family, officer, label="AB-123-C")
    plate(other_family, other_officer, label="XY-999-Z")
    assert "The police have been told" not in english(officer).get(overview_url(family)).content.decode()
