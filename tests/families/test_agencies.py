"""The agency timeline: who may see and change it, the two figures that show how often
the family had to start again with a new worker, a change of worker in one step, ending
an involvement, and a fixed query cost per page."""

from datetime import timedelta

import factory
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from families.models import Agency, AgencyInvolvement
from families.selectors.agencies import changes_since, workers_met
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db

READERS = ["officer", "supervisor", "police"]
NOT_READERS = ["other_officer", "outsider", "parent", "suspect_caregiver", "administrator"]
WRITERS = ["officer", "supervisor"]
NOT_WRITERS = ["police", *NOT_READERS]


class AgencyInvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyInvolvement

    agency = Agency.YOUTH_CARE
    agency_detail = "District team East"
    worker_name = factory.Sequence(lambda n: f"Worker {n}")
    worker_contact = "06 1234 5678"
    started_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    created_by = factory.LazyAttribute(lambda o: o.family.liaison_officer)


@pytest.fixture
def involvement(family):
    return AgencyInvolvementFactory(family=family, worker_name="Anna de Vries")


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def case_changes(what: str):
    return AuditEvent.objects.filter(action=AuditAction.CASE_CHANGED, detail__what=what)


# The timeline


@pytest.mark.parametrize("persona", READERS)
def test_staff_linked_to_the_family_see_the_agencies(request, english, family, involvement, persona):
    response = english(request.getfixturevalue(persona)).get(reverse("families:agencies", args=[family.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Anna de Vries" in body
    assert "Current worker" in body


@pytest.mark.parametrize("persona", NOT_READERS)
def test_everyone_else_gets_404_on_the_agencies(request, english, family, involvement, persona):
    response = english(request.getfixturevalue(persona)).get(reverse("families:agencies", args=[family.pk]))
    assert response.status_code == 404


def test_police_see_no_links_to_change_the_agencies(english, police, family, involvement):
    body = english(police).get(reverse("families:agencies", args=[family.pk])).content.decode()
    assert reverse("families:agency_add", args=[family.pk]) not in body
    assert reverse("families:agency_change_worker", args=[family.pk, involvement.pk]) not in body


def test_the_agencies_page_refuses_post(english, officer, family):
    assert english(officer).post(reverse("families:agencies", args=[family.pk])).status_code == 405


def test_the_agencies_page_has_an_empty_state_and_names_the_family_by_reference_only(english, officer, family):
    response = english(officer).get(reverse("families:agencies", args=[family.pk]))
    body = response.content.decode()
    assert "No agencies have been recorded for this family yet." in body
    assert (response.context["timeline"].workers_met, response.context["timeline"].changes_last_year) == (0, 0)
    title = body.split("<title>")[1].split("</title>")[0]
    assert family.display_name not in title and family.reference in title


@pytest.fixture
def history(family):
    """Youth care changed worker twice (once more than a year ago), Veilig Thuis once
    recently; the school kept one worker; the police worker has the same name (other case)
    as the first youth care worker; one involvement has no name."""
    make = AgencyInvolvementFactory
    return {
        "youth_1": make(
            family=family,
            agency=Agency.YOUTH_CARE,
            worker_name="Anna de Vries",
            started_on=days_ago(800),
            ended_on=days_ago(400),
        ),
        "youth_2": make(
            family=family,
            agency=Agency.YOUTH_CARE,
            worker_name="Bram Smit",
            started_on=days_ago(400),
            ended_on=days_ago(100),
        ),
        "youth_3": make(family=family, agency=Agency.YOUTH_CARE, worker_name="Carla Bos", started_on=days_ago(100)),
        "school": make(family=family, agency=Agency.SCHOOL, worker_name="Dirk Visser", started_on=days_ago(1000)),
        "police": make(family=family, agency=Agency.POLICE_VICE, worker_name="ANNA DE VRIES ", started_on=days_ago(50)),
        "vt_1": make(
            family=family,
            agency=Agency.VEILIG_THUIS,
            worker_name="Eva Mulder",
            started_on=days_ago(200),
            ended_on=days_ago(20),
        ),
        "vt_2": make(family=family, agency=Agency.VEILIG_THUIS, worker_name="Fleur Dekker", started_on=days_ago(20)),
        "nameless": make(family=family, agency=Agency.OTHER, worker_name="", started_on=days_ago(10)),
    }


def test_the_figures_count_distinct_workers_and_recent_changes(english, officer, family, history):
    response = english(officer).get(reverse("families:agencies", args=[family.pk]))
    timeline = response.context["timeline"]
    # Anna (twice, other case), Bram, Carla, Dirk, Eva, Fleur; the nameless one is not counted.
    assert timeline.workers_met == 6
    # Carla (100 days ago) and Fleur (20 days ago); Bram started more than 365 days ago.
    assert timeline.changes_last_year == 2
    assert [group.agency for group in timeline.agencies] == [
        Agency.POLICE_VICE,
        Agency.YOUTH_CARE,
        Agency.VEILIG_THUIS,
        Agency.SCHOOL,
        Agency.OTHER,
    ]
    youth = timeline.agencies[1].involvements
    assert youth == [history["youth_1"], history["youth_2"], history["youth_3"]]
    assert [i.is_current for i in youth] == [False, False, True]
    body = response.content.decode()
    assert body.index("Anna de Vries") < body.index("Bram Smit") < body.index("Carla Bos")


def test_a_change_counts_only_after_an_earlier_worker_at_the_same_agency():
    today = timezone.localdate()
    first = AgencyInvolvement(agency=Agency.SCHOOL, worker_name="A", started_on=today - timedelta(days=10))
    same_day = AgencyInvolvement(agency=Agency.SCHOOL, worker_name="B", started_on=today - timedelta(days=10))
    other_agency = AgencyInvolvement(agency=Agency.HEALTH_CARE, worker_name="a", started_on=today - timedelta(days=5))
    involvements = [first, same_day, other_agency]
    assert changes_since(involvements, today - timedelta(days=365), today) == 0
    later = AgencyInvolvement(agency=Agency.SCHOOL, worker_name="C", started_on=today - timedelta(days=1))
    assert changes_since([*involvements, later], today - timedelta(days=365), today) == 1
    assert workers_met([*involvements, later]) == 3


# The figures and rows come from one query over the involvements: the bound holds for 5
# and for 50 involvements (PostgreSQL adds one query: the audit chain's advisory lock).
PAGE_QUERY_BOUND = 18  # PostgreSQL adds the audit lock


@pytest.mark.parametrize("total", [5, 50])
def test_the_page_costs_the_same_queries_for_5_or_50_involvements(
    english, officer, family, django_assert_max_num_queries, total
):
    agencies = list(Agency.values)
    for number in range(total):
        AgencyInvolvementFactory(family=family, agency=agencies[number % len(agencies)], started_on=days_ago(number))
    client = english(officer)
    with django_assert_max_num_queries(PAGE_QUERY_BOUND):
        response = client.get(reverse("families:agencies", args=[family.pk]))
    assert response.status_code == 200
    assert response.context["timeline"].workers_met == total


# Adding an involvement


def involvement_post(**overrides) -> dict:
    data = {
        "agency": Agency.SCHOOL,
        "agency_detail": "Het Lyceum",
        "worker_name": "Gert Kok",
        "worker_contact": "mentor@school.example",
        "started_on": days_ago(14).isoformat(),
        "ended_on": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", WRITERS)
def test_staff_who_change_the_case_add_an_involvement(request, english, family, persona):
    user = request.getfixturevalue(persona)
    client = english(user)
    url = reverse("families:agency_add", args=[family.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, involvement_post())
    assert response.status_code == 302
    assert response.url == reverse("families:agencies", args=[family.pk])
    added = AgencyInvolvement.objects.get()
    assert (added.family, added.agency, added.worker_name, added.started_on, added.ended_on, added.created_by) == (
        family,
        Agency.SCHOOL,
        "Gert Kok",
        days_ago(14),
        None,
        user,
    )
    event = case_changes("agency_involvement_added").get()
    assert (event.actor, event.family_id, event.object_id) == (user, family.pk, str(added.pk))


@pytest.mark.parametrize("persona", NOT_WRITERS)
def test_everyone_else_gets_404_on_adding(request, english, family, persona):
    client = english(request.getfixturevalue(persona))
    url = reverse("families:agency_add", args=[family.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, involvement_post()).status_code == 404
    assert not AgencyInvolvement.objects.exists()


def test_adding_refuses_other_methods(english, officer, family):
    assert english(officer).put(reverse("families:agency_add", args=[family.pk])).status_code == 405


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ended_on": days_ago(20).isoformat()}, "The end date cannot be before the start date."),
        ({"started_on": (timezone.localdate() + timedelta(days=3)).isoformat()}, "The date cannot be in the future."),
        ({"worker_name": ""}, "Fill in “Named worker”."),
        ({"agency": "secret_service"}, "Select a valid choice."),
        ({"started_on": "31-31-2024"}, "Enter a real date, for example 14-03-2026."),
    ],
)
def test_adding_with_bad_input_gives_a_clear_error_and_saves_nothing(english, officer, family, overrides, message):
    response = english(officer).post(reverse("families:agency_add", args=[family.pk]), involvement_post(**overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert message in body
    assert not AgencyInvolvement.objects.exists()
    assert not case_changes("agency_involvement_added").exists()


def test_the_database_refuses_an_end_before_the_start(family):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyInvolvementFactory(family=family, started_on=days_ago(5), ended_on=days_ago(6))


# Changing the worker


@pytest.mark.parametrize("persona", WRITERS)
def test_a_change_of_worker_ends_the_old_and_starts_the_new_in_one_step(request, english, family, involvement, persona):
    user = request.getfixturevalue(persona)
    client = english(user)
    url = reverse("families:agency_change_worker", args=[family.pk, involvement.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Anna de Vries" in page.content.decode()
    changed_on = days_ago(2)
    response = client.post(
        url, {"changed_on": changed_on.isoformat(), "worker_name": "Bram Smit", "worker_contact": "b@example.org"}
    )
    assert response.status_code == 302
    involvement.refresh_from_db()
    assert involvement.ended_on == changed_on
    successor = AgencyInvolvement.objects.exclude(pk=involvement.pk).get()
    assert (successor.agency, successor.worker_name, successor.started_on, successor.ended_on) == (
        involvement.agency,
        "Bram Smit",
        changed_on,
        None,
    )
    assert successor.created_by == user
    event = case_changes("agency_worker_changed").get()
    assert (event.actor, event.family_id, event.object_id) == (user, family.pk, str(successor.pk))
    assert event.detail["previous"] == involvement.pk
    timeline = client.get(reverse("families:agencies", args=[family.pk])).context["timeline"]
    assert [i.is_current for i in timeline.agencies[0].involvements] == [False, True]
    assert timeline.changes_last_year == 1


@pytest.mark.parametrize("persona", NOT_WRITERS)
def test_everyone_else_gets_404_on_changing_the_worker(request, english, family, involvement, persona):
    client = english(request.getfixturevalue(persona))
    url = reverse("families:agency_change_worker", args=[family.pk, involvement.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"changed_on": days_ago(0).isoformat(), "worker_name": "X"}).status_code == 404
    assert AgencyInvolvement.objects.count() == 1


def test_changing_the_worker_refuses_other_methods(english, officer, family, involvement):
    url = reverse("families:agency_change_worker", args=[family.pk, involvement.pk])
    assert english(officer).delete(url).status_code == 405


def test_an_involvement_of_another_family_is_404(english, officer, family):
    elsewhere = AgencyInvolvementFactory(family=FamilyFactory(liaison_officer=officer, team=officer.team))
    client = english(officer)
    for name in ("families:agency_change_worker", "families:agency_end"):
        assert client.get(reverse(name, args=[family.pk, elsewhere.pk])).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.ended_on is None


def test_changing_the_worker_of_an_ended_involvement_is_refused(english, officer, family):
    ended = AgencyInvolvementFactory(family=family, started_on=days_ago(60), ended_on=days_ago(10))
    client = english(officer)
    url = reverse("families:agency_change_worker", args=[family.pk, ended.pk])
    assert "has already ended" in client.get(url).content.decode()
    response = client.post(url, {"changed_on": days_ago(1).isoformat(), "worker_name": "New Worker"})
    assert response.status_code == 400
    assert "This involvement already ended on" in response.content.decode()
    assert AgencyInvolvement.objects.count() == 1
    ended.refresh_from_db()
    assert ended.ended_on == days_ago(10)
    assert not case_changes("agency_worker_changed").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"changed_on": days_ago(31).isoformat(), "worker_name": "New Worker"}, "The date cannot be before this"),
        (
            {"changed_on": (timezone.localdate() + timedelta(days=1)).isoformat(), "worker_name": "New Worker"},
            "The date cannot be in the future.",
        ),
        ({"changed_on": days_ago(1).isoformat(), "worker_name": ""}, "Fill in “New named worker”."),
        (
            {"changed_on": days_ago(1).isoformat(), "worker_name": "anna DE vries"},
            "The new worker has the same name as the current worker.",
        ),
    ],
)
def test_changing_the_worker_with_bad_input_saves_nothing(english, officer, family, involvement, data, message):
    url = reverse("families:agency_change_worker", args=[family.pk, involvement.pk])
    response = english(officer).post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert message in body
    involvement.refresh_from_db()
    assert involvement.ended_on is None
    assert AgencyInvolvement.objects.count() == 1


# Ending an involvement


@pytest.mark.parametrize("persona", WRITERS)
def test_ending_an_involvement_asks_then_ends_it(request, english, family, involvement, persona):
    user = request.getfixturevalue(persona)
    client = english(user)
    url = reverse("families:agency_end", args=[family.pk, involvement.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "End the involvement" in page.content.decode()
    involvement.refresh_from_db()
    assert involvement.ended_on is None
    response = client.post(url, {"ended_on": days_ago(1).isoformat()})
    assert response.status_code == 302
    involvement.refresh_from_db()
    assert involvement.ended_on == days_ago(1)
    event = case_changes("agency_involvement_ended").get()
    assert (event.actor, event.family_id, event.object_id) == (user, family.pk, str(involvement.pk))


@pytest.mark.parametrize("persona", NOT_WRITERS)
def test_everyone_else_gets_404_on_ending(request, english, family, involvement, persona):
    client = english(request.getfixturevalue(persona))
    url = reverse("families:agency_end", args=[family.pk, involvement.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"ended_on": days_ago(1).isoformat()}).status_code == 404
    involvement.refresh_from_db()
    assert involvement.ended_on is None


def test_ending_refuses_other_methods(english, officer, family, involvement):
    assert english(officer).put(reverse("families:agency_end", args=[family.pk, involvement.pk])).status_code == 405


@pytest.mark.parametrize(
    ("ended_on", "message"),
    [
        (days_ago(31), "The date cannot be before this worker started on"),
        (timezone.localdate() + timedelta(days=1), "The date cannot be in the future."),
        (None, "Give the date."),
    ],
)
def test_ending_with_bad_input_saves_nothing(english, officer, family, involvement, ended_on, message):
    url = reverse("families:agency_end", args=[family.pk, involvement.pk])
    response = english(officer).post(url, {"ended_on": ended_on.isoformat() if ended_on else ""})
    assert response.status_code == 400
    assert message in response.content.decode()
    involvement.refresh_from_db()
    assert involvement.ended_on is None
    assert not case_changes("agency_involvement_ended").exists()


def test_ending_an_ended_involvement_is_refused(english, officer, family):
    ended = AgencyInvolvementFactory(family=family, started_on=days_ago(60), ended_on=days_ago(10))
    response = english(officer).post(
        reverse("families:agency_end", args=[family.pk, ended.pk]), {"ended_on": days_ago(1).isoformat()}
    )
    assert response.status_code == 400
    assert "This involvement already ended on" in response.content.decode()
    ended.refresh_from_db()
    assert ended.ended_on == days_ago(10)
