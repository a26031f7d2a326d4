"""Missing episodes: recording that a child went missing, the return and the return
conversation (due within 72 hours), who may read and write them, and a fixed query cost."""

from datetime import timedelta

import factory
import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Child, MissingEpisode
from families.models.household import ChildRole, ExploitationKind, RiskLevel
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db

READERS = ["officer", "supervisor", "police"]
WRITERS = ["officer", "supervisor"]
NO_ACCESS = ["other_officer", "outsider", "parent", "suspect_caregiver", "administrator"]


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    full_name = factory.Sequence(lambda n: f"Child {n}")
    role = ChildRole.EXPLOITED
    exploitation_kind = ExploitationKind.SEXUAL
    risk_level = RiskLevel.HIGH
    risk_set_on = factory.LazyFunction(timezone.localdate)
    created_by = factory.LazyAttribute(lambda o: o.family.liaison_officer)


class MissingEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissingEpisode

    child = factory.SubFactory(ChildFactory)
    family = factory.LazyAttribute(lambda o: o.child.family)
    started_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=2 * n + 10))
    ended_at = factory.LazyAttribute(lambda o: o.started_at + timedelta(hours=20))
    created_by = factory.LazyAttribute(lambda o: o.family.liaison_officer)


@pytest.fixture
def child(family):
    return ChildFactory(family=family, full_name="Lisa")


@pytest.fixture
def sibling(family):
    return ChildFactory(family=family, full_name="Tom", role=ChildRole.SIBLING, exploitation_kind="", risk_level="")


@pytest.fixture
def open_episode(child):
    return MissingEpisodeFactory(child=child, started_at=timezone.now() - timedelta(hours=5), ended_at=None)


@pytest.fixture
def returned_episode(child):
    return MissingEpisodeFactory(
        child=child,
        started_at=timezone.now() - timedelta(hours=30),
        ended_at=timezone.now() - timedelta(hours=6),
        where_found="Station square",
    )


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def case_changes(what: str):
    return AuditEvent.objects.filter(action=AuditAction.CASE_CHANGED, detail__what=what)


def missing_post(child, **overrides) -> dict:
    data = {
        "child": str(child.pk),
        "started_at": local_input(timezone.now() - timedelta(hours=4)),
        "reported_to_police": "on",
        "police_reference": "VM-2026-001",
        "ended_at": "",
        "where_found": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# The list


@pytest.mark.parametrize("persona", READERS)
def test_staff_with_access_see_the_missing_episodes(request, english, family, returned_episode, persona):
    response = english(request.getfixturevalue(persona)).get(reverse("families:missing", args=[family.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lisa" in body and "Station square" in body


@pytest.mark.parametrize("persona", NO_ACCESS)
def test_everyone_else_gets_404_for_the_missing_episodes(request, english, family, persona):
    response = english(request.getfixturevalue(persona)).get(reverse("families:missing", args=[family.pk]))
    assert response.status_code == 404


def test_the_missing_list_refuses_post(english, officer, family):
    assert english(officer).post(reverse("families:missing", args=[family.pk])).status_code == 405


def test_the_missing_list_has_an_empty_state(english, officer, family):
    body = english(officer).get(reverse("families:missing", args=[family.pk])).content.decode()
    assert "No missing episodes are recorded for this family." in body


def test_a_child_still_missing_is_shown_first_and_in_words(english, officer, family, returned_episode, open_episode):
    response = english(officer).get(reverse("families:missing", args=[family.pk]))
    assert response.context["missing_now"] == [open_episode]
    assert list(response.context["page"].object_list) == [returned_episode]
    body = response.content.decode()
    assert "A child of this family is missing now." in body
    assert body.index("Still missing") < body.index("Station square")
    assert reverse("families:missing_return", args=[family.pk, open_episode.pk]) in body


def test_the_return_conversation_is_overdue_73_hours_after_the_return(english, officer, family, child):
    episode = MissingEpisodeFactory(
        child=child, started_at=timezone.now() - timedelta(hours=80), ended_at=timezone.now() - timedelta(hours=73)
    )
    client = english(officer)
    url = reverse("families:missing", args=[family.pk])
    body = client.get(url).content.decode()
    assert "Overdue" in body and "was due by" in body
    response = client.post(
        reverse("families:return_conversation", args=[family.pk, episode.pk]),
        {"held_at": local_input(timezone.now() - timedelta(minutes=5)), "note": "Talked at home; she was in Utrecht."},
    )
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "Overdue" not in body
    assert "Held on" in body
    assert case_changes("return_conversation_recorded").get().detail["overdue"] is True


def test_the_return_conversation_is_due_and_not_overdue_within_72_hours(english, officer, family, returned_episode):
    body = english(officer).get(reverse("families:missing", args=[family.pk])).content.decode()
    assert "Overdue" not in body
    assert "Due" in body
    expected = timezone.localtime(returned_episode.ended_at + timedelta(hours=72))
    assert f"by {expected.day} " in body


@pytest.mark.parametrize("count", [5, 50])
def test_the_missing_list_costs_the_same_queries_for_5_and_50(
    english, officer, family, child, count, django_assert_max_num_queries
):
    MissingEpisodeFactory.create_batch(count, child=child)
    MissingEpisodeFactory(child=ChildFactory(family=family), ended_at=None, started_at=timezone.now())
    client = english(officer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("families:missing", args=[family.pk]))
    assert response.status_code == 200


def test_the_missing_pages_name_the_family_by_its_reference_only_and_have_no_inline_style_or_script(
    english, officer, family, open_episode, returned_episode
):
    client = english(officer)
    urls = [
        reverse("families:missing", args=[family.pk]),
        reverse("families:missing_add", args=[family.pk]),
        reverse("families:missing_return", args=[family.pk, open_episode.pk]),
        reverse("families:return_conversation", args=[family.pk, returned_episode.pk]),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        title = body.split("<title>")[1].split("</title>")[0]
        assert family.display_name not in title and family.reference in title
        assert "style=" not in body
        assert "<script>" not in body


# Recording a missing episode


@pytest.mark.parametrize("persona", WRITERS)
def test_staff_who_may_change_see_the_missing_form_with_the_children_of_the_family(
    request, english, family, child, sibling, persona
):
    other_child = ChildFactory(family=FamilyFactory(), full_name="Not of this family")
    response = english(request.getfixturevalue(persona)).get(reverse("families:missing_add", args=[family.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lisa" in body and "Tom (sibling)" in body
    assert other_child.full_name not in body


@pytest.mark.parametrize("persona", ["police", *NO_ACCESS])
def test_everyone_else_gets_404_for_the_missing_form(request, english, family, child, persona):
    client = english(request.getfixturevalue(persona))
    url = reverse("families:missing_add", args=[family.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, missing_post(child)).status_code == 404
    assert not MissingEpisode.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_missing_form_refuses_other_methods(english, officer, family, method):
    response = getattr(english(officer), method)(reverse("families:missing_add", args=[family.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("persona", WRITERS)
def test_recording_a_missing_sibling_saves_it_and_writes_the_audit_trail(request, english, family, sibling, persona):
    user = request.getfixturevalue(persona)
    response = english(user).post(reverse("families:missing_add", args=[family.pk]), missing_post(sibling))
    assert response.status_code == 302
    episode = MissingEpisode.objects.get()
    assert (episode.family, episode.child, episode.created_by) == (family, sibling, user)
    assert episode.ended_at is None and episode.police_reference == "VM-2026-001"
    event = case_changes("missing_logged").get()
    assert event.actor == user and event.family_id == family.pk and event.object_id == str(episode.pk)


def test_an_episode_can_be_recorded_with_its_return(english, officer, family, child):
    response = english(officer).post(
        reverse("families:missing_add", args=[family.pk]),
        missing_post(
            child,
            started_at=local_input(timezone.now() - timedelta(days=2)),
            ended_at=local_input(timezone.now() - timedelta(days=1)),
            where_found="At a friend's flat",
            reported_to_police=None,
            police_reference="",
        ),
    )
    assert response.status_code == 302
    episode = MissingEpisode.objects.get()
    assert episode.ended_at is not None and episode.where_found == "At a friend's flat"
    assert episode.reported_to_police is False


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"started_at": local_input(timezone.now() + timedelta(hours=2))},
            "The date cannot be in the future.",
        ),
        ({"started_at": ""}, "Give the date and time."),
        ({"police_reference": ""}, "Give the police reference"),
        ({"reported_to_police": None}, "Only give a police reference when it was reported to the police"),
        (
            {
                "started_at": local_input(timezone.now() - timedelta(hours=2)),
                "ended_at": local_input(timezone.now() - timedelta(hours=3)),
            },
            "The child cannot return before going missing.",
        ),
        ({"where_found": "Station"}, "Give the date and time the child returned, or leave"),
    ],
)
def test_bad_missing_input_shows_the_error_and_saves_nothing(english, officer, family, child, overrides, message):
    response = english(officer).post(
        reverse("families:missing_add", args=[family.pk]), missing_post(child, **overrides)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "govuk-error-summary" in body
    assert not MissingEpisode.objects.exists()
    assert not case_changes("missing_logged").exists()


def test_a_child_of_another_family_cannot_be_chosen(english, officer, family, child):
    foreign_child = ChildFactory(family=FamilyFactory(liaison_officer=officer, team=officer.team))
    response = english(officer).post(reverse("families:missing_add", args=[family.pk]), missing_post(foreign_child))
    assert response.status_code == 400
    assert "Choose a child of this family." in response.content.decode()
    assert not MissingEpisode.objects.exists()


def test_a_child_already_missing_cannot_go_missing_twice(english, officer, family, child, open_episode):
    response = english(officer).post(reverse("families:missing_add", args=[family.pk]), missing_post(child))
    assert response.status_code == 400
    assert "This child is already recorded as missing." in response.content.decode()
    assert MissingEpisode.objects.count() == 1


# Recording the return


def test_recording_the_return_saves_it_and_writes_the_audit_trail(english, officer, family, open_episode):
    response = english(officer).post(
        reverse("families:missing_return", args=[family.pk, open_episode.pk]),
        {"ended_at": local_input(timezone.now() - timedelta(hours=1)), "where_found": "Came home by herself"},
    )
    assert response.status_code == 302
    open_episode.refresh_from_db()
    assert open_episode.ended_at is not None and open_episode.where_found == "Came home by herself"
    event = case_changes("missing_returned").get()
    assert event.actor == officer and event.object_id == str(open_episode.pk)


@pytest.mark.parametrize("persona", WRITERS)
def test_staff_who_may_change_see_the_return_form(request, english, family, open_episode, persona):
    url = reverse("families:missing_return", args=[family.pk, open_episode.pk])
    assert english(request.getfixturevalue(persona)).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["police", *NO_ACCESS])
def test_everyone_else_gets_404_for_the_return_form(request, english, family, open_episode, persona):
    client = english(request.getfixturevalue(persona))
    url = reverse("families:missing_return", args=[family.pk, open_episode.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"ended_at": local_input(timezone.now())}).status_code == 404
    open_episode.refresh_from_db()
    assert open_episode.ended_at is None


def test_the_return_form_refuses_other_methods(english, officer, family, open_episode):
    url = reverse("families:missing_return", args=[family.pk, open_episode.pk])
    assert english(officer).delete(url).status_code == 405


def test_an_episode_of_another_family_is_404_through_this_family(english, officer, family):
    other_family = FamilyFactory(liaison_officer=officer, team=officer.team)
    foreign = MissingEpisodeFactory(child=ChildFactory(family=other_family), ended_at=None)
    client = english(officer)
    for name in ("families:missing_return", "families:return_conversation"):
        response = client.post(reverse(name, args=[family.pk, foreign.pk]), {"ended_at": local_input(timezone.now())})
        assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.ended_at is None


@pytest.mark.parametrize(
    ("ended_at", "message"),
    [
        (lambda episode: episode.started_at - timedelta(hours=1), "The child cannot return before going missing."),
        (lambda episode: timezone.now() + timedelta(hours=1), "The date cannot be in the future."),
        (lambda episode: None, "Give the date and time."),
    ],
)
def test_a_bad_return_shows_the_error_and_saves_nothing(english, officer, family, open_episode, ended_at, message):
    moment = ended_at(open_episode)
    response = english(officer).post(
        reverse("families:missing_return", args=[family.pk, open_episode.pk]),
        {"ended_at": local_input(moment) if moment else "", "where_found": "Park"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    open_episode.refresh_from_db()
    assert open_episode.ended_at is None and open_episode.where_found == ""
    assert not case_changes("missing_returned").exists()


def test_a_return_is_recorded_only_once(english, officer, family, returned_episode):
    before = returned_episode.ended_at
    response = english(officer).post(
        reverse("families:missing_return", args=[family.pk, returned_episode.pk]),
        {"ended_at": local_input(timezone.now() - timedelta(minutes=1))},
    )
    assert response.status_code == 400
    assert "The return of this episode is already recorded." in response.content.decode()
    returned_episode.refresh_from_db()
    assert returned_episode.ended_at == before


# Recording the return conversation


def test_recording_the_return_conversation_saves_it_and_writes_the_audit_trail(
    english, officer, family, returned_episode
):
    response = english(officer).post(
        reverse("families:return_conversation", args=[family.pk, returned_episode.pk]),
        {"held_at": local_input(timezone.now() - timedelta(hours=1)), "note": "She was taken to a party in Arnhem."},
    )
    assert response.status_code == 302
    returned_episode.refresh_from_db()
    assert returned_episode.return_conversation_at is not None
    assert returned_episode.return_conversation_note == "She was taken to a party in Arnhem."
    event = case_changes("return_conversation_recorded").get()
    assert event.actor == officer and event.detail["overdue"] is False


@pytest.mark.parametrize("persona", ["police", *NO_ACCESS])
def test_everyone_else_gets_404_for_the_return_conversation(request, english, family, returned_episode, persona):
    client = english(request.getfixturevalue(persona))
    url = reverse("families:return_conversation", args=[family.pk, returned_episode.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"held_at": local_input(timezone.now()), "note": "x"}).status_code == 404
    returned_episode.refresh_from_db()
    assert returned_episode.return_conversation_at is None


def test_the_return_conversation_form_refuses_other_methods(english, officer, family, returned_episode):
    url = reverse("families:return_conversation", args=[family.pk, returned_episode.pk])
    assert english(officer).put(url).status_code == 405


def test_the_return_conversation_is_refused_without_a_return(english, officer, family, open_episode):
    client = english(officer)
    url = reverse("families:return_conversation", args=[family.pk, open_episode.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Record the return first" in page.content.decode()
    response = client.post(url, {"held_at": local_input(timezone.now()), "note": "Talked on the phone."})
    assert response.status_code == 400
    assert "The child&#x27;s return is not recorded yet. Record the return first" in response.content.decode()
    open_episode.refresh_from_db()
    assert open_episode.return_conversation_at is None
    assert not case_changes("return_conversation_recorded").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            lambda episode: {"held_at": local_input(episode.ended_at - timedelta(hours=2)), "note": "Talked."},
            "The return conversation cannot be held before the child returned.",
        ),
        (
            lambda episode: {"held_at": local_input(timezone.now() + timedelta(days=1)), "note": "Talked."},
            "The date cannot be in the future.",
        ),
        (
            lambda episode: {"held_at": local_input(timezone.now()), "note": "  "},
            "Write down what was said in the return conversation.",
        ),
    ],
)
def test_a_bad_return_conversation_shows_the_error_and_saves_nothing(
    english, officer, family, returned_episode, data, message
):
    response = english(officer).post(
        reverse("families:return_conversation", args=[family.pk, returned_episode.pk]), data(returned_episode)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    returned_episode.refresh_from_db()
    assert returned_episode.return_conversation_at is None
    assert not case_changes("return_conversation_recorded").exists()


def test_a_return_conversation_is_recorded_only_once(english, officer, family, returned_episode):
    returned_episode.return_conversation_at = timezone.now() - timedelta(hours=1)
    returned_episode.return_conversation_note = "First conversation."
    returned_episode.save()
    response = english(officer).post(
        reverse("families:return_conversation", args=[family.pk, returned_episode.pk]),
        {"held_at": local_input(timezone.now()), "note": "Second try."},
    )
    assert response.status_code == 400
    returned_episode.refresh_from_db()
    assert returned_episode.return_conversation_note == "First conversation."
