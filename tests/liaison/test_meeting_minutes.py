"""The minutes of a multi-agency meeting: decisions and actions per item after the
meeting, actions that carry over to the next meeting until marked done, overdue actions
on the dashboards, in the full lists and in the reminders (a count, nothing of the case),
and the list of attending agencies kept when a change replaces it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from families.models import ItemDecision, Meeting, MeetingAction, MeetingAttendance
from families.services.meetings import action_agree, agenda_item_add, agenda_item_withdraw, meeting_schedule
from liaison.accounts.models import Reminder, Role
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import FamilyFactory, UserFactory, as_a_request_reads, confirmed_totp

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MARKER = "MINUTES-MARKER-7731"


def _schedule(keeper, *, held_on=None, attendances=(("police_vice", "Pat Police"), ("school", "Sue School"))):
    return meeting_schedule(
        scheduled_by=keeper,
        kind="mace",
        held_on=held_on or TODAY + timedelta(days=7),
        chair="Chris Chair",
        venue="Town hall",
        attendances=list(attendances),
    )


def _add_item(meeting, keeper, family):
    return agenda_item_add(
        meeting=meeting, added_by=keeper, kind="family", family=family, presenter="Olivia Officer", minutes_allotted=15
    )


def _hold(meeting, days_ago: int = 3) -> Meeting:
    """The meeting took place: its date lies in the past (scheduling refuses a past date)."""
    Meeting.objects.filter(pk=meeting.pk).update(held_on=TODAY - timedelta(days=days_ago))
    meeting.refresh_from_db()
    return meeting


def _action(meeting, keeper, item=None, *, description=MARKER, due_on=None) -> MeetingAction:
    return action_agree(
        meeting=meeting,
        agreed_by=keeper,
        item=item,
        description=description,
        owner_agency="school",
        owner_person="Sue School",
        due_on=due_on or meeting.held_on + timedelta(days=14),
    )


@pytest.fixture(params=["supervisor", "police"])
def keeper(request):
    """Who keeps the meeting: the supervisor of its team, or the police partner of its unit."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def held(keeper, family):
    """A meeting of the keeper's team or unit that took place three days ago, the family on it."""
    meeting = _schedule(keeper)
    item = _add_item(meeting, keeper, family)
    return _hold(meeting), item


@pytest.fixture
def other_supervisor(other_team):
    user = UserFactory(role=Role.SUPERVISOR, team=other_team, full_name="Sara South", email="sara@example.org")
    confirmed_totp(user)
    return user


def _pages(meeting, item, action) -> dict[str, str]:
    return {
        "minutes": reverse("meeting_minutes", args=[meeting.pk]),
        "decision": reverse("meeting_decision_add", args=[meeting.pk, item.pk]),
        "action": reverse("meeting_action_add", args=[meeting.pk, item.pk]),
        "done": reverse("meeting_action_done", args=[meeting.pk, action.pk]),
    }


# Who gets which page


def test_the_keeper_gets_every_page_of_the_minutes(english, keeper, held):
    meeting, item = held
    client = english(keeper)
    for name, url in _pages(meeting, item, _action(meeting, keeper, item)).items():
        assert client.get(url).status_code == 200, name


# Everyone but those who keep the meeting: the family's officer, another team's
# supervisor, another unit's police partner, the parents and a suspected caregiver.
NOT_KEEPERS = ["officer", "other_officer", "other_supervisor", "other_police", "parent", "suspect_caregiver"]


@pytest.mark.parametrize("persona", NOT_KEEPERS)
def test_nobody_else_gets_a_page_of_the_minutes(request, english, keeper, held, persona):
    meeting, item = held
    action = _action(meeting, keeper, item)
    client = english(request.getfixturevalue(persona))
    for name, url in _pages(meeting, item, action).items():
        assert client.get(url).status_code == 404, name
        if name != "minutes":
            assert client.post(url, {"text": "x", "confirm": "on"}).status_code == 404, name
    assert ItemDecision.objects.count() == 0 and MeetingAction.objects.get().done_on is None


def test_the_police_of_the_unit_get_404_for_the_teams_meeting(english, supervisor, police, family):
    meeting = _schedule(supervisor)
    item = _add_item(meeting, supervisor, family)
    _hold(meeting)
    for url in _pages(meeting, item, _action(meeting, supervisor, item)).values():
        assert english(police).get(url).status_code == 404


def test_an_item_or_action_of_another_meeting_is_404(english, keeper, held, family):
    meeting, _item = held
    elsewhere = _schedule(keeper, held_on=TODAY + timedelta(days=3))
    other_item = _add_item(elsewhere, keeper, family)
    later_action = _action(_hold(elsewhere, days_ago=1), keeper, other_item)
    client = english(keeper)
    assert client.get(reverse("meeting_decision_add", args=[meeting.pk, other_item.pk])).status_code == 404
    # An action of a later meeting is not carried over to an earlier one.
    assert client.get(reverse("meeting_action_done", args=[meeting.pk, later_action.pk])).status_code == 404


def test_a_withdrawn_item_takes_no_minutes(english, keeper, family):
    meeting = _schedule(keeper)
    item = _add_item(meeting, keeper, family)
    agenda_item_withdraw(item=item, withdrawn_by=keeper)
    _hold(meeting)
    assert english(keeper).get(reverse("meeting_decision_add", args=[meeting.pk, item.pk])).status_code == 404


@pytest.mark.parametrize("name", ["meeting_overdue_actions", "meeting_notes_not_sent"])
@pytest.mark.parametrize("persona", ["officer", "parent", "suspect_caregiver", "analyst"])
def test_the_full_lists_are_for_keepers_only(request, english, name, persona):
    assert english(request.getfixturevalue(persona)).get(reverse(name)).status_code == 404


@pytest.mark.parametrize("method", ["put", "delete"])
def test_a_method_the_pages_do_not_take_gets_405(english, keeper, held, method):
    meeting, item = held
    for url in _pages(meeting, item, _action(meeting, keeper, item)).values():
        assert getattr(english(keeper), method)(url).status_code == 405


# Recording the minutes


def test_the_keeper_records_a_decision_and_it_shows_in_the_minutes(english, keeper, held):
    meeting, item = held
    client = english(keeper)
    response = client.post(reverse("meeting_decision_add", args=[meeting.pk, item.pk]), {"text": f"{MARKER} decided"})
    assert response.status_code == 302 and response.url == reverse("meeting_minutes", args=[meeting.pk])
    decision = ItemDecision.objects.get()
    assert decision.item == item and decision.created_by == keeper
    assert AuditEvent.objects.filter(action=AuditAction.MEETING_CHANGED, detail__what="decision_recorded").exists()
    assert f"{MARKER} decided" in client.get(response.url).content.decode()


def test_the_keeper_agrees_an_action_with_owner_and_due_date(english, keeper, held):
    meeting, item = held
    due = meeting.held_on + timedelta(days=30)
    data = {"description": MARKER, "owner_agency": "school", "owner_person": "Sue School", "due_on": due.isoformat()}
    response = english(keeper).post(reverse("meeting_action_add", args=[meeting.pk, item.pk]), data)
    assert response.status_code == 302
    action = MeetingAction.objects.get()
    assert (action.item, action.owner_agency, action.owner_person, action.due_on) == (item, "school", "Sue School", due)
    page = english(keeper).get(reverse("meeting_minutes", args=[meeting.pk])).content.decode()
    assert MARKER in page and "Sue School" in page


def _action_data(meeting, **overrides) -> dict:
    data = {
        "description": MARKER,
        "owner_agency": "school",
        "owner_person": "Sue School",
        "due_on": (meeting.held_on + timedelta(days=14)).isoformat(),
    }
    return data | overrides


@pytest.mark.parametrize(
    ("page", "overrides", "message"),
    [
        ("decision", {"text": "   "}, "Write the decision."),
        ("decision", {"text": "Agreed\x07"}, "control character"),
        ("action", {"description": ""}, "Say what is to be done."),
        ("action", {"description": "Call\x1bschool"}, "control character"),
        ("action", {"owner_person": "Sue\x00"}, "control character"),
        ("action", {"owner_agency": "mafia"}, "Choose the agency that owns the action."),
        ("action", {"owner_person": ""}, "Give the name of the person who does it."),
        ("action", {"due_on": ""}, "Give the date by which it is done."),
        ("action", {"due_on": "before"}, "The due date cannot be before the meeting."),
        ("action", {"due_on": "after"}, "The due date can be at most a year after the meeting."),
        ("action", {"due_on": "9999-01-01"}, "at most 5 years ahead"),
    ],
)
def test_bad_input_is_refused_with_nothing_saved(english, keeper, held, page, overrides, message):
    meeting, item = held
    if overrides.get("due_on") == "before":
        overrides["due_on"] = (meeting.held_on - timedelta(days=1)).isoformat()
    if overrides.get("due_on") == "after":
        overrides["due_on"] = (meeting.held_on + timedelta(days=366)).isoformat()
    if page == "decision":
        url, data = reverse("meeting_decision_add", args=[meeting.pk, item.pk]), {"text": "ok"} | overrides
    else:
        url, data = reverse("meeting_action_add", args=[meeting.pk, item.pk]), _action_data(meeting, **overrides)
    events = AuditEvent.objects.filter(action=AuditAction.MEETING_CHANGED).count()
    response = english(keeper).post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "There is a problem" in body
    assert not ItemDecision.objects.exists() and not MeetingAction.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.MEETING_CHANGED).count() == events


def test_the_last_day_of_the_year_after_the_meeting_is_accepted(english, keeper, held):
    meeting, item = held
    due = meeting.held_on + timedelta(days=365)
    response = english(keeper).post(
        reverse("meeting_action_add", args=[meeting.pk, item.pk]), _action_data(meeting, due_on=due.isoformat())
    )
    assert response.status_code == 302 and MeetingAction.objects.get().due_on == due


def test_before_the_meeting_nothing_is_minuted_and_the_page_says_why(english, keeper, family):
    meeting = _schedule(keeper)
    item = _add_item(meeting, keeper, family)
    client = english(keeper)
    minutes = client.get(reverse("meeting_minutes", args=[meeting.pk])).content.decode()
    assert "The meeting has not taken place yet." in minutes
    assert reverse("meeting_decision_add", args=[meeting.pk, item.pk]) not in minutes
    form = client.get(reverse("meeting_decision_add", args=[meeting.pk, item.pk])).content.decode()
    assert "Decisions and actions are recorded from the day of the meeting" in form
    for url, data in (
        (reverse("meeting_decision_add", args=[meeting.pk, item.pk]), {"text": "Early"}),
        (reverse("meeting_action_add", args=[meeting.pk, item.pk]), _action_data(meeting)),
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert "The meeting has not taken place yet." in response.content.decode()
    assert not ItemDecision.objects.exists() and not MeetingAction.objects.exists()


def test_a_cancelled_meeting_takes_no_minutes(english, keeper, held):
    meeting, item = held
    Meeting.objects.filter(pk=meeting.pk).update(cancelled_at=timezone.now())
    response = english(keeper).post(reverse("meeting_decision_add", args=[meeting.pk, item.pk]), {"text": "Late"})
    assert response.status_code == 400 and "The meeting was cancelled." in response.content.decode()
    assert not ItemDecision.objects.exists()


# Actions carry over until done


def _done(client, meeting, action, **overrides):
    data = {"done_on": TODAY.isoformat(), "confirm": "on"} | overrides
    return client.post(reverse("meeting_action_done", args=[meeting.pk, action.pk]), data)


def test_an_open_action_carries_over_to_every_next_meeting_until_done(english, keeper, held):
    meeting, item = held
    action = _action(meeting, keeper, item)
    next_meeting, after_that = _schedule(keeper), _schedule(keeper, held_on=TODAY + timedelta(days=30))
    client = english(keeper)
    for later in (next_meeting, after_that):
        page = client.get(reverse("meeting", args=[later.pk])).content.decode()
        assert MARKER in page and reverse("meeting_action_done", args=[later.pk, action.pk]) in page
        assert MARKER in client.get(reverse("meeting_minutes", args=[later.pk])).content.decode()
    response = _done(client, next_meeting, action)
    assert response.status_code == 302 and response.url == reverse("meeting", args=[next_meeting.pk])
    action.refresh_from_db()
    assert action.done_on == TODAY and action.done_by == keeper
    for later in (next_meeting, after_that):
        assert MARKER not in client.get(reverse("meeting", args=[later.pk])).content.decode()
    # Still in the minutes of the meeting that agreed it, as done.
    assert "Done on" in client.get(reverse("meeting_minutes", args=[meeting.pk])).content.decode()


def test_an_action_of_another_team_is_not_carried_over(english, supervisor, other_supervisor, family, other_family):
    theirs = _hold(_schedule(other_supervisor))
    _action(theirs, other_supervisor, description="OTHER-TEAM-ACTION")
    ours = _schedule(supervisor)
    assert "OTHER-TEAM-ACTION" not in english(supervisor).get(reverse("meeting", args=[ours.pk])).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"confirm": ""}, "Tick the box to confirm that the action is done."),
        ({"done_on": ""}, "Give the date it was done."),
        ({"done_on": "tomorrow"}, "cannot be in the future"),
        ({"done_on": "before"}, "The date cannot be before the meeting that agreed the action."),
    ],
)
def test_marking_done_without_confirmation_or_a_right_date_is_refused(english, keeper, held, overrides, message):
    meeting, item = held
    action = _action(meeting, keeper, item)
    if overrides.get("done_on") == "tomorrow":
        # Asked now, not at collection: a run that passes midnight must still give tomorrow.
        overrides["done_on"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    if overrides.get("done_on") == "before":
        overrides["done_on"] = (meeting.held_on - timedelta(days=1)).isoformat()
    response = _done(english(keeper), meeting, action, **overrides)
    assert response.status_code == 400 and message in response.content.decode()
    action.refresh_from_db()
    assert action.done_on is None


def test_an_action_is_marked_done_once(english, keeper, held):
    meeting, item = held
    action = _action(meeting, keeper, item)
    client = english(keeper)
    assert _done(client, meeting, action).status_code == 302
    response = _done(client, meeting, action, done_on=(TODAY - timedelta(days=1)).isoformat())
    assert response.status_code == 400 and "already marked done" in response.content.decode()
    action.refresh_from_db()
    assert action.done_on == TODAY


# Overdue actions: dashboards, the full list, reminders


def _overdue(meeting, keeper, item=None, *, description=MARKER) -> MeetingAction:
    action = _action(meeting, keeper, item, description=description)
    MeetingAction.objects.filter(pk=action.pk).update(due_on=TODAY - timedelta(days=1))
    return action


def test_overdue_actions_show_on_the_keepers_page_and_the_full_list(english, keeper, held, other_police):
    meeting, item = held
    _overdue(meeting, keeper, item)
    page = "dashboard" if keeper.role == Role.SUPERVISOR else "meetings"
    client = english(keeper)
    assert MARKER in client.get(reverse(page)).content.decode()
    assert MARKER in client.get(reverse("meeting_overdue_actions")).content.decode()
    elsewhere = english(other_police).get(reverse("meeting_overdue_actions"))
    assert elsewhere.status_code == 200 and MARKER not in elsewhere.content.decode()


def test_overdue_actions_show_on_the_keepers_caseload_never_an_officers(english, keeper, held, officer):
    """The caseload is where a police partner lands: their overdue actions are there too."""
    meeting, item = held
    _overdue(meeting, keeper, item)
    assert MARKER in english(keeper).get(reverse("families:caseload")).content.decode()
    assert MARKER not in english(officer).get(reverse("families:caseload")).content.decode()


def test_the_dashboard_shows_the_first_few_and_links_to_every_overdue_action_a_page_at_a_time(
    english, supervisor, family, django_assert_max_num_queries
):
    meeting = _schedule(supervisor)
    item = _add_item(meeting, supervisor, family)
    _hold(meeting, days_ago=20)
    for number in range(25):
        _overdue(meeting, supervisor, item, description=f"OVERDUE-{number:02d}")
    client = english(supervisor)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "25 actions past their due date" in dashboard
    assert "See all 25 overdue actions" in dashboard and reverse("meeting_overdue_actions") in dashboard
    assert "OVERDUE-09" in dashboard and "OVERDUE-10" not in dashboard
    with django_assert_max_num_queries(14):
        first = client.get(reverse("meeting_overdue_actions"))
    assert "Page 1 of 2" in first.content.decode() and "OVERDUE-19" in first.content.decode()
    second = client.get(reverse("meeting_overdue_actions"), {"page": 2}).content.decode()
    assert "OVERDUE-24" in second and "OVERDUE-00" not in second


def test_what_of_the_meetings_waits_is_compiled_once_and_reads_each_keeper_s_own(
    supervisor, other_supervisor, family, officer, monkeypatch
):
    """The overdue actions and the notes not sent, with how many of each, are read with
    statements compiled once per process; another team's supervisor only puts their own
    ids in them, and sees their own team's only."""
    from liaison import compiled
    from liaison.staff.meeting_attention import meeting_attention

    meeting = _schedule(supervisor)
    item = _add_item(meeting, supervisor, family)
    _hold(meeting, days_ago=10)
    for number in range(12):
        _overdue(meeting, supervisor, item, description=f"OVERDUE-{number:02d}")
    other_meeting = _hold(_schedule(other_supervisor), days_ago=10)
    _overdue(other_meeting, other_supervisor, description="THEIRS")
    monkeypatch.setattr(compiled, "_COMPILED", {})
    compiled_anew = []
    real = compiled.compile_values
    monkeypatch.setattr(compiled, "compile_values", lambda *args: compiled_anew.append(args[-1]) or real(*args))
    mine = meeting_attention(as_a_request_reads(supervisor))
    assert (len(mine["overdue_actions"]), mine["overdue_action_count"]) == (10, 12)
    assert [action.description for action in mine["overdue_actions"]][:2] == ["OVERDUE-00", "OVERDUE-01"]
    assert (mine["notes_not_sent_count"], mine["notes_not_sent"][0].family.reference) == (1, family.reference)
    assert len(compiled_anew) == 2
    theirs = meeting_attention(as_a_request_reads(other_supervisor))
    assert len(compiled_anew) == 2
    assert [action.description for action in theirs["overdue_actions"]] == ["THEIRS"]
    assert (theirs["overdue_action_count"], theirs["notes_not_sent_count"]) == (1, 0)


def test_notes_not_sent_are_listed_a_page_at_a_time(english, supervisor, officer):
    for _number in range(12):
        meeting = _schedule(supervisor)
        _add_item(meeting, supervisor, FamilyFactory(liaison_officer=officer))
        _hold(meeting, days_ago=10)
    client = english(supervisor)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "12 notes due two working days" in dashboard and "See all 12 notes not yet sent" in dashboard
    full = client.get(reverse("meeting_notes_not_sent")).content.decode()
    assert full.count("Late") == 12


def _send_reminders() -> None:
    call_command("send_reminders", language="en", stdout=StringIO())


def test_the_keepers_are_reminded_of_overdue_actions_with_nothing_of_the_case(
    keeper, held, officer, family, mailoutbox
):
    meeting, item = held
    _send_reminders()
    before = Reminder.objects.filter(user=keeper).values_list("count", flat=True).first() or 0
    mailoutbox.clear()
    _overdue(meeting, keeper, item)
    _send_reminders()
    assert Reminder.objects.filter(user=keeper).order_by("-pk").first().count == before + 1
    (mail,) = [mail for mail in mailoutbox if mail.to == [keeper.email]]
    text = f"{mail.subject}\n{mail.body}"
    for detail in (MARKER, "Sue School", "Chris Chair", "Town hall", family.reference, family.display_name):
        assert detail not in text


def test_an_overdue_action_adds_to_the_keepers_reminder_only(supervisor, police, other_supervisor, family):
    meeting = _hold(_schedule(supervisor))
    _send_reminders()
    before = Reminder.objects.filter(user=supervisor).values_list("count", flat=True).first() or 0
    _overdue(meeting, supervisor)
    _send_reminders()
    assert Reminder.objects.filter(user=supervisor).order_by("-pk").first().count == before + 1
    # The team's meeting is not the unit's, nor the other team's.
    assert not Reminder.objects.filter(user=other_supervisor).exists()
    assert not Reminder.objects.filter(user=police).exists()


def test_a_done_or_not_yet_due_action_is_not_reminded(police, family):
    meeting = _hold(_schedule(police))
    _action(meeting, police)
    done = _overdue(meeting, police)
    MeetingAction.objects.filter(pk=done.pk).update(done_on=TODAY, done_by=police)
    _send_reminders()
    assert not Reminder.objects.filter(user=police).exists()


@pytest.mark.parametrize("count", [2, 20])
def test_the_reminders_cost_the_same_queries_however_many_actions_are_overdue(
    supervisor, police, count, django_assert_max_num_queries
):
    for keeper in (supervisor, police):
        meeting = _hold(_schedule(keeper))
        for _number in range(count):
            _overdue(meeting, keeper)
    with django_assert_max_num_queries(13):
        _send_reminders()
    assert Reminder.objects.get(user=supervisor).count == Reminder.objects.get(user=police).count == count


# A fixed number of queries


def _minutes_of(meeting, keeper, officer, items: int) -> None:
    for _number in range(items):
        item = _add_item(meeting, keeper, FamilyFactory(liaison_officer=officer, police_unit=keeper.police_unit))
        Meeting.objects.filter(pk=meeting.pk).update(held_on=TODAY - timedelta(days=1))
        meeting.refresh_from_db()
        ItemDecision.objects.create(item=item, text="Decided", created_by=keeper)
        _action(meeting, keeper, item)
        Meeting.objects.filter(pk=meeting.pk).update(held_on=TODAY + timedelta(days=7))
        meeting.refresh_from_db()
    _hold(meeting, days_ago=1)


@pytest.mark.parametrize("items", [1, 8])
def test_the_minutes_page_costs_a_fixed_number_of_queries(
    english, supervisor, officer, items, django_assert_max_num_queries
):
    earlier = _hold(_schedule(supervisor), days_ago=30)
    for _number in range(items):
        _action(earlier, supervisor)
    meeting = _schedule(supervisor)
    _minutes_of(meeting, supervisor, officer, items)
    client = english(supervisor)
    with django_assert_max_num_queries(17):
        response = client.get(reverse("meeting_minutes", args=[meeting.pk]))
    assert response.status_code == 200 and response.content.decode().count("Decided") == items


# The list of attending agencies is kept when a change replaces it


def test_a_change_ends_the_replaced_attendances_and_keeps_them(english, supervisor):
    meeting = _schedule(supervisor)
    data = {
        "base_revision": 1,
        "kind": "mace",
        "held_on": meeting.held_on.isoformat(),
        "venue": "Town hall",
        "chair": "Chris Chair",
        "agencies": ["police_vice", "youth_care"],
        "people_police_vice": "Piet Politie",
        "people_youth_care": "Yara Youth",
    }
    client = english(supervisor)
    assert client.post(reverse("meeting_edit", args=[meeting.pk]), data).status_code == 302
    rows = MeetingAttendance.objects.filter(meeting=meeting)
    assert sorted(rows.current().values_list("agency", "people")) == [
        ("police_vice", "Piet Politie"),
        ("youth_care", "Yara Youth"),
    ]
    ended = sorted(rows.filter(ended_at__isnull=False).values_list("agency", "people"))
    assert ended == [("police_vice", "Pat Police"), ("school", "Sue School")]
    page = client.get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert "Yara Youth" in page and "Piet Politie" in page
    assert "Sue School" not in page and "Pat Police" not in page
    assert client.get(reverse("meeting_pack", args=[meeting.pk, "school"])).status_code == 404
    event = AuditEvent.objects.filter(detail__what="meeting_changed").get()
    assert event.detail["agencies_added"] == ["youth_care"]
    assert event.detail["agencies_removed"] == ["school"]
    assert event.detail["people_changed"] == ["police_vice"]
    assert event.detail["fields"] == []
    assert "Yara" not in str(event.detail) and "Sue" not in str(event.detail)


def test_a_change_that_keeps_the_list_ends_nothing(english, supervisor):
    meeting = _schedule(supervisor)
    data = {
        "base_revision": 1,
        "kind": "strategy",
        "held_on": meeting.held_on.isoformat(),
        "venue": "Police station",
        "chair": "Chris Chair",
        "agencies": ["police_vice", "school"],
        "people_police_vice": "Pat Police",
        "people_school": "Sue School",
    }
    assert english(supervisor).post(reverse("meeting_edit", args=[meeting.pk]), data).status_code == 302
    assert not MeetingAttendance.objects.filter(ended_at__isnull=False).exists()
    event = AuditEvent.objects.filter(detail__what="meeting_changed").get()
    assert event.detail["fields"] == ["kind", "venue"]
    assert event.detail["agencies_added"] == event.detail["agencies_removed"] == []


def test_an_agency_taken_off_and_put_back_has_one_current_row(supervisor):
    from families.services.meetings import meeting_change

    meeting = _schedule(supervisor)
    values = {"kind": "mace", "held_on": meeting.held_on, "chair": "Chris Chair", "venue": "Town hall"}
    meeting = meeting_change(
        meeting=meeting, changed_by=supervisor, base_revision=1, attendances=[("police_vice", "")], **values
    )
    meeting_change(
        meeting=meeting,
        changed_by=supervisor,
        base_revision=2,
        attendances=[("police_vice", ""), ("school", "Sue School")],
        **values,
    )
    assert MeetingAttendance.objects.filter(meeting=meeting, agency="school").count() == 2
    assert MeetingAttendance.objects.filter(meeting=meeting, agency="school").current().count() == 1
