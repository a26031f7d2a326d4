"""The pages of multi-agency meetings: scheduling, changing (409 when stale), the agenda,
and the list a page at a time in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import AgendaItem, Meeting
from families.services.meetings import action_agree, meeting_schedule
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import FamilyFactory, UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db

NEXT_WEEK = timezone.localdate() + timedelta(days=7)


def _form(**overrides) -> dict:
    data = {
        "kind": "mace",
        "held_on": NEXT_WEEK.isoformat(),
        "starts_at_time": "14:30",
        "venue": "Town hall",
        "chair": "Chris Chair",
        "agencies": ["police_vice", "school"],
        "people_police_vice": "Pat Police",
        "people_school": "Sue School",
    }
    return data | overrides


def _meeting(user, **overrides) -> Meeting:
    values = {
        "scheduled_by": user,
        "kind": "strategy",
        "held_on": NEXT_WEEK,
        "chair": "Chris Chair",
        "venue": "Police station",
        "attendances": [("youth_care", "")],
    }
    return meeting_schedule(**values | overrides)


@pytest.mark.parametrize("persona", ["supervisor", "police"])
def test_a_keeper_schedules_a_meeting_with_its_agencies(english, request, persona):
    user = request.getfixturevalue(persona)
    response = english(user).post(reverse("meeting_schedule"), _form())
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("meeting", args=[meeting.pk])
    assert dict(meeting.attendances.values_list("agency", "people")) == {
        "police_vice": "Pat Police",
        "school": "Sue School",
    }
    page = english(user).get(response.url).content.decode()
    assert "Town hall" in page and "Sue School" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"agencies": []}, "Choose at least one attending agency."),
        ({"venue": ""}, "Give the place of the meeting, or say that it is online."),
        ({"held_on": (timezone.localdate() - timedelta(days=1)).isoformat()}, "cannot be in the past"),
        ({"chair": ""}, "Give the name of the chair."),
        ({"starts_at_time": "25:99"}, "Give the time as hours and minutes"),
    ],
)
def test_bad_input_is_refused_with_nothing_saved(english, supervisor, overrides, message):
    response = english(supervisor).post(reverse("meeting_schedule"), _form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_stale_change_is_refused_with_409(english, supervisor):
    meeting = _meeting(supervisor)
    client = english(supervisor)
    url = reverse("meeting_edit", args=[meeting.pk])
    assert client.post(url, _form(base_revision=1, chair="First")).status_code == 302
    response = client.post(url, _form(base_revision=1, chair="Second"))
    assert response.status_code == 409
    assert "Someone else changed this meeting" in response.content.decode()
    assert Meeting.objects.get().chair == "First"


def test_only_families_of_the_team_go_on_the_agenda(english, supervisor, family, other_officer):
    meeting = _meeting(supervisor)
    elsewhere = FamilyFactory(liaison_officer=other_officer)
    client = english(supervisor)
    url = reverse("meeting_item_add", args=[meeting.pk])
    item = {"kind": "family", "presenter": "Olivia Officer", "minutes_allotted": "15"}
    refused = client.post(url, item | {"family": elsewhere.pk})
    assert refused.status_code == 400 and not AgendaItem.objects.exists()
    assert elsewhere.reference not in client.get(url).content.decode()
    assert client.post(url, item | {"family": family.pk}).status_code == 302
    assert AgendaItem.objects.get().family == family


def test_a_context_item_without_a_context_is_refused(english, supervisor):
    meeting = _meeting(supervisor)
    url = reverse("meeting_item_add", args=[meeting.pk])
    response = english(supervisor).post(url, {"kind": "context", "presenter": "A", "minutes_allotted": "5"})
    assert response.status_code == 400 and not AgendaItem.objects.exists()


def test_reading_a_meeting_is_logged_with_its_families(english, supervisor, family):
    meeting = _meeting(supervisor)
    AgendaItem.objects.create(
        meeting=meeting,
        kind="family",
        family=family,
        presenter="O",
        minutes_allotted=5,
        position=1,
        created_by=supervisor,
    )
    english(supervisor).get(reverse("meeting", args=[meeting.pk]))
    event = AuditEvent.objects.filter(action=AuditAction.CASE_LIST_VIEWED).latest("occurred_at")
    assert event.detail["meeting"] == meeting.pk and event.detail["families"] == [family.pk]


def test_the_list_is_paginated_in_a_fixed_number_of_queries(english, supervisor, django_assert_max_num_queries):
    for days in range(25):
        _meeting(supervisor, held_on=NEXT_WEEK + timedelta(days=days))
    client = english(supervisor)
    with django_assert_max_num_queries(14):
        first = client.get(reverse("meetings"))
    assert first.status_code == 200 and "25 meetings" in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()


def test_the_meeting_page_costs_a_fixed_number_of_queries(english, supervisor, officer, django_assert_max_num_queries):
    meeting = _meeting(supervisor)
    for position in range(1, 8):
        family = FamilyFactory(liaison_officer=officer)
        AgendaItem.objects.create(
            meeting=meeting,
            kind="family",
            family=family,
            presenter="O",
            minutes_allotted=5,
            position=position,
            created_by=supervisor,
        )
    client = english(supervisor)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("meeting", args=[meeting.pk]))
    assert response.status_code == 200


def _overdue_action(user, description: str):
    meeting = _meeting(user)
    Meeting.objects.filter(pk=meeting.pk).update(held_on=timezone.localdate() - timedelta(days=20))
    meeting.refresh_from_db()
    return action_agree(
        meeting=meeting,
        agreed_by=user,
        description=description,
        owner_agency="school",
        owner_person="Sue School",
        due_on=timezone.localdate() - timedelta(days=1),
    )


def test_overdue_actions_show_on_the_supervisors_dashboard_and_meetings(english, supervisor, other_team):
    _overdue_action(supervisor, "OVERDUE-TEAM-ACTION")
    other_supervisor = UserFactory(role="supervisor", team=other_team)
    confirmed_totp(other_supervisor)
    _overdue_action(other_supervisor, "OVERDUE-OTHER-TEAM")
    client = english(supervisor)
    for url in (reverse("dashboard"), reverse("meetings")):
        page = client.get(url).content.decode()
        assert "OVERDUE-TEAM-ACTION" in page and "OVERDUE-OTHER-TEAM" not in page


def test_overdue_actions_show_for_the_police_partner(english, police, supervisor):
    _overdue_action(police, "OVERDUE-UNIT-ACTION")
    _overdue_action(supervisor, "OVERDUE-TEAM-ACTION")
    page = english(police).get(reverse("meetings")).content.decode()
    assert "OVERDUE-UNIT-ACTION" in page and "OVERDUE-TEAM-ACTION" not in page


def test_a_note_not_yet_sent_shows_with_its_due_date(english, supervisor, family):
    meeting = _meeting(supervisor)
    AgendaItem.objects.create(
        meeting=meeting,
        kind="family",
        family=family,
        presenter="O",
        minutes_allotted=5,
        position=1,
        created_by=supervisor,
    )
    client = english(supervisor)
    assert "Notes for the parents not yet sent" not in client.get(reverse("dashboard")).content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(held_on=timezone.localdate() - timedelta(days=10))
    page = client.get(reverse("dashboard")).content.decode()
    assert "Notes for the parents not yet sent" in page and family.reference in page and "Late" in page
