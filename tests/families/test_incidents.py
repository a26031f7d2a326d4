"""Incidents and threats against the family: who may read and record them, the rules for
the time and the police reference, the audit event, and a fixed query cost per page."""

from datetime import timedelta

import factory
import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Incident, IncidentKind
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db

READERS = ["officer", "supervisor", "police"]
WRITERS = ["officer", "supervisor"]
NO_ACCESS = ["other_officer", "outsider", "parent", "suspect_caregiver", "administrator"]


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    occurred_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=n + 1))
    kind = IncidentKind.INTIMIDATION
    description = factory.Sequence(lambda n: f"Scooter outside the house, evening {n}.")
    created_by = factory.LazyAttribute(lambda o: o.family.liaison_officer)


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def incident_post(**overrides) -> dict:
    data = {
        "occurred_at": local_input(timezone.now() - timedelta(hours=3)),
        "kind": IncidentKind.STALKING,
        "description": "A car followed the mother from school to home.",
        "person_of_concern": "Older boy called 'Rico', black scooter",
        "police_reference": "",
    }
    data.update(overrides)
    return data


def case_changes(what: str):
    return AuditEvent.objects.filter(action=AuditAction.CASE_CHANGED, detail__what=what)


# Reading the list


@pytest.mark.parametrize("persona", READERS)
def test_staff_with_access_see_the_incidents(request, english, family, persona):
    IncidentFactory(family=family, description="Threatening messages on Instagram.")
    response = english(request.getfixturevalue(persona)).get(reverse("families:incidents", args=[family.pk]))
    assert response.status_code == 200
    assert "Threatening messages on Instagram." in response.content.decode()


@pytest.mark.parametrize("persona", NO_ACCESS)
def test_everyone_else_gets_404_for_the_incidents(request, english, family, persona):
    response = english(request.getfixturevalue(persona)).get(reverse("families:incidents", args=[family.pk]))
    assert response.status_code == 404


def test_the_incident_list_refuses_post(english, officer, family):
    assert english(officer).post(reverse("families:incidents", args=[family.pk])).status_code == 405


def test_incidents_are_listed_newest_first(english, officer, family):
    old = IncidentFactory(family=family, occurred_at=timezone.now() - timedelta(days=30))
    new = IncidentFactory(family=family, occurred_at=timezone.now() - timedelta(hours=1))
    page = english(officer).get(reverse("families:incidents", args=[family.pk])).context["page"]
    assert list(page.object_list) == [new, old]


def test_the_incident_list_has_an_empty_state(english, officer, family):
    body = english(officer).get(reverse("families:incidents", args=[family.pk])).content.decode()
    assert "No incidents or threats are recorded for this family." in body


def test_only_staff_who_may_change_get_the_record_button(english, officer, police, family):
    url = reverse("families:incidents", args=[family.pk])
    add = reverse("families:incident_add", args=[family.pk])
    assert add in english(officer).get(url).content.decode()
    assert add not in english(police).get(url).content.decode()


def test_incidents_of_another_family_are_not_shown(english, officer, family):
    other = FamilyFactory(liaison_officer=officer, team=officer.team)
    IncidentFactory(family=other, description="Something in the other family.")
    body = english(officer).get(reverse("families:incidents", args=[family.pk])).content.decode()
    assert "Something in the other family." not in body


def test_the_incident_list_is_paginated_by_25(english, officer, family):
    IncidentFactory.create_batch(30, family=family)
    client = english(officer)
    first = client.get(reverse("families:incidents", args=[family.pk]))
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("families:incidents", args=[family.pk]), {"page": 2})
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize("count", [5, 50])
def test_the_incident_list_costs_the_same_queries_for_5_and_50(
    english, officer, family, count, django_assert_max_num_queries
):
    IncidentFactory.create_batch(count, family=family)
    client = english(officer)
    with django_assert_max_num_queries(19):
        response = client.get(reverse("families:incidents", args=[family.pk]))
    assert response.status_code == 200


def test_the_incident_pages_name_the_family_by_its_reference_only_and_have_no_inline_style_or_script(
    english, officer, family
):
    client = english(officer)
    for name in ("families:incidents", "families:incident_add"):
        body = client.get(reverse(name, args=[family.pk])).content.decode()
        title = body.split("<title>")[1].split("</title>")[0]
        assert family.display_name not in title and family.reference in title
        assert "style=" not in body
        assert "<script>" not in body


# Recording an incident


@pytest.mark.parametrize("persona", WRITERS)
def test_staff_who_may_change_see_the_incident_form(request, english, family, persona):
    response = english(request.getfixturevalue(persona)).get(reverse("families:incident_add", args=[family.pk]))
    assert response.status_code == 200
    assert 'type="datetime-local"' in response.content.decode()


@pytest.mark.parametrize("persona", ["police", *NO_ACCESS])
def test_everyone_else_gets_404_for_the_incident_form(request, english, family, persona):
    client = english(request.getfixturevalue(persona))
    url = reverse("families:incident_add", args=[family.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, incident_post(reported_to_police="on", police_reference="X1")).status_code == 404
    assert not Incident.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_the_incident_form_refuses_other_methods(english, officer, family, method):
    response = getattr(english(officer), method)(reverse("families:incident_add", args=[family.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("persona", WRITERS)
def test_recording_an_incident_saves_it_and_writes_the_audit_trail(request, english, family, persona):
    user = request.getfixturevalue(persona)
    response = english(user).post(
        reverse("families:incident_add", args=[family.pk]),
        incident_post(reported_to_police="on", police_reference="  2026-123456  "),
    )
    assert response.status_code == 302
    assert response.url == reverse("families:incidents", args=[family.pk])
    incident = Incident.objects.get()
    assert incident.family == family
    assert incident.created_by == user
    assert incident.kind == IncidentKind.STALKING
    assert incident.reported_to_police is True
    assert incident.police_reference == "2026-123456"
    event = case_changes("incident_logged").get()
    assert event.actor == user
    assert event.family_id == family.pk
    assert event.object_id == str(incident.pk)


def test_an_incident_without_a_person_of_concern_or_report_is_fine(english, officer, family):
    response = english(officer).post(
        reverse("families:incident_add", args=[family.pk]), incident_post(person_of_concern="")
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.person_of_concern == ""
    assert incident.reported_to_police is False


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"occurred_at": local_input(timezone.now() + timedelta(days=1))},
            "The date cannot be in the future.",
        ),
        ({"occurred_at": "yesterday evening"}, "Enter a real date and time"),
        ({"occurred_at": ""}, "Give the date and time."),
        ({"kind": ""}, "Choose what kind of incident it was."),
        ({"description": "   "}, "Describe what happened."),
        (
            {"reported_to_police": "on", "police_reference": ""},
            "Give the police reference, or untick &#x27;reported to police&#x27; if it was not reported.",
        ),
        (
            {"police_reference": "2026-99"},
            "Only give a police reference when it was reported to the police",
        ),
    ],
)
def test_bad_input_shows_the_error_and_saves_nothing(english, officer, family, overrides, message):
    response = english(officer).post(reverse("families:incident_add", args=[family.pk]), incident_post(**overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "govuk-error-summary" in body
    assert not Incident.objects.exists()
    assert not case_changes("incident_logged").exists()


def test_a_future_time_is_refused_by_the_service_too(officer, family):
    from django.core.exceptions import ValidationError

    from families.services.events import incident_log

    with pytest.raises(ValidationError) as error:
        incident_log(
            family=family,
            created_by=officer,
            occurred_at=timezone.now() + timedelta(hours=2),
            kind=IncidentKind.OTHER,
            description="Typed the wrong year.",
            police_reference="X",
        )
    assert set(error.value.message_dict) == {"occurred_at", "police_reference"}
    assert not Incident.objects.exists()


def test_an_incident_form_for_another_family_is_404(english, officer, other_officer):
    foreign = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    response = english(officer).post(reverse("families:incident_add", args=[foreign.pk]), incident_post())
    assert response.status_code == 404
    assert not Incident.objects.exists()
