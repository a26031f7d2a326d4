"""The contact log: who may read and write it, logging a contact with its follow-up
actions in one step, marking an action as done, and a fixed query cost per page."""

from datetime import timedelta

import factory
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from families.models import ContactEntry, ContactKind, FollowUpAction
from families.selectors.contacts import open_follow_ups
from families.services.contacts import contact_log
from liaison.accounts.models import Role
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import FamilyFactory, UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db

ALLOWED = ["officer", "supervisor"]
REFUSED = ["other_officer", "outsider", "police", "parent", "suspect_caregiver", "administrator"]


class ContactEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactEntry

    occurred_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=n + 1))
    kind = ContactKind.PHONE
    with_whom = "The mother"
    summary = "Talked about the evening phone use."
    created_by = factory.LazyAttribute(lambda o: o.family.liaison_officer)


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpAction

    contact = factory.SubFactory(ContactEntryFactory)
    family = factory.LazyAttribute(lambda o: o.contact.family)
    description = factory.Sequence(lambda n: f"Action {n}")
    owner = "Liaison officer"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    created_by = factory.LazyAttribute(lambda o: o.contact.created_by)


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def contact_post(**overrides) -> dict:
    occurred_at = timezone.now() - timedelta(hours=2)
    data = {
        "occurred_at": local_input(occurred_at),
        "kind": ContactKind.HOME_VISIT,
        "with_whom": "Both parents",
        "summary": "Explained how grooming works; agreed to keep evidence.",
        "next_contact_on": (timezone.localdate(occurred_at) + timedelta(days=7)).isoformat(),
        "follow_ups-TOTAL_FORMS": "3",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "3",
    }
    for row in range(3):
        data.update(
            {f"follow_ups-{row}-description": "", f"follow_ups-{row}-owner": "", f"follow_ups-{row}-due_on": ""}
        )
    data.update(overrides)
    return data


def case_changes(what: str):
    return AuditEvent.objects.filter(action=AuditAction.CASE_CHANGED, detail__what=what)


# Reading the log


@pytest.mark.parametrize("persona", ALLOWED)
def test_staff_of_the_family_see_the_contact_log(request, english, family, persona):
    contact = ContactEntryFactory(family=family, with_whom="Grandmother")
    FollowUpActionFactory(contact=contact, description="Call the school about absences")
    response = english(request.getfixturevalue(persona)).get(reverse("families:contacts", args=[family.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Grandmother" in body
    assert "Call the school about absences" in body


@pytest.mark.parametrize("persona", REFUSED)
def test_everyone_else_gets_404_on_the_contact_log(request, english, family, persona):
    ContactEntryFactory(family=family)
    response = english(request.getfixturevalue(persona)).get(reverse("families:contacts", args=[family.pk]))
    assert response.status_code == 404


def test_the_contact_log_refuses_post(english, officer, family):
    assert english(officer).post(reverse("families:contacts", args=[family.pk])).status_code == 405


def test_the_contact_log_has_an_empty_state_and_names_the_family_by_reference_only(english, officer, family):
    body = english(officer).get(reverse("families:contacts", args=[family.pk])).content.decode()
    assert "No contacts have been logged for this family yet." in body
    assert "There are no open follow-up actions." in body
    title = body.split("<title>")[1].split("</title>")[0]
    assert family.display_name not in title and family.reference in title


def test_contacts_are_newest_first_and_paginated(english, officer, family):
    now = timezone.now()
    contacts = [ContactEntryFactory(family=family, occurred_at=now - timedelta(days=day)) for day in range(30)]
    client = english(officer)
    first = client.get(reverse("families:contacts", args=[family.pk]))
    shown = list(first.context["page"].object_list)
    assert len(shown) == 25
    assert shown[0] == contacts[0]
    assert [c.occurred_at for c in shown] == sorted((c.occurred_at for c in shown), reverse=True)
    second = client.get(reverse("families:contacts", args=[family.pk]), {"page": 2})
    assert list(second.context["page"].object_list) == contacts[25:]


def test_open_follow_ups_list_overdue_first_and_say_so_in_text(english, officer, family):
    today = timezone.localdate()
    contact = ContactEntryFactory(family=family)
    later = FollowUpActionFactory(contact=contact, description="Later action", due_on=today + timedelta(days=3))
    overdue = FollowUpActionFactory(contact=contact, description="Overdue action", due_on=today - timedelta(days=2))
    due_today = FollowUpActionFactory(contact=contact, description="Due today", due_on=today)
    FollowUpActionFactory(
        contact=contact, description="Done action", due_on=today - timedelta(days=9), completed_at=timezone.now()
    )
    response = english(officer).get(reverse("families:contacts", args=[family.pk]))
    listed = response.context["open_follow_ups"]
    assert listed == [overdue, due_today, later]
    assert [action.is_overdue for action in listed] == [True, False, False]
    body = response.content.decode()
    assert body.index("Overdue action") < body.index("Due today") < body.index("Later action")
    assert "Overdue</strong>" in body
    assert "Done</strong>" in body


# The page shows 25 contacts with their follow-ups and all open actions: the bound holds
# for 5 and for 50 contacts because rows are fetched in a fixed number of queries
# (PostgreSQL adds one query: the audit chain's advisory lock).
LIST_QUERY_BOUND = 21  # PostgreSQL adds the audit lock


@pytest.mark.parametrize("total", [5, 50])
def test_the_log_costs_the_same_queries_for_5_or_50_contacts(
    english, officer, family, django_assert_max_num_queries, total
):
    for contact in ContactEntryFactory.create_batch(total, family=family):
        FollowUpActionFactory.create_batch(2, contact=contact)
    client = english(officer)
    with django_assert_max_num_queries(LIST_QUERY_BOUND):
        response = client.get(reverse("families:contacts", args=[family.pk]))
    assert response.status_code == 200
    assert len(response.context["open_follow_ups"]) == 2 * total


# Logging a contact


@pytest.mark.parametrize("persona", ALLOWED)
def test_staff_who_change_the_case_see_the_contact_form(request, english, family, persona):
    response = english(request.getfixturevalue(persona)).get(reverse("families:contact_add", args=[family.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'type="datetime-local"' in body
    assert 'name="follow_ups-2-description"' in body
    assert 'name="follow_ups-3-description"' not in body


@pytest.mark.parametrize("persona", REFUSED)
def test_everyone_else_gets_404_on_the_contact_form(request, english, family, persona):
    client = english(request.getfixturevalue(persona))
    url = reverse("families:contact_add", args=[family.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, contact_post()).status_code == 404
    assert not ContactEntry.objects.exists()


def test_a_team_colleague_with_team_view_may_read_but_not_log(english, officer, family):
    officer.team.team_view = True
    officer.team.save()
    colleague = UserFactory(role=Role.OFFICER, team=officer.team)
    confirmed_totp(colleague)
    client = english(colleague)
    contacts = client.get(reverse("families:contacts", args=[family.pk]))
    assert contacts.status_code == 200
    assert reverse("families:contact_add", args=[family.pk]) not in contacts.content.decode()
    assert client.get(reverse("families:contact_add", args=[family.pk])).status_code == 404


def test_the_contact_form_refuses_other_methods(english, officer, family):
    assert english(officer).put(reverse("families:contact_add", args=[family.pk])).status_code == 405


def test_logging_a_contact_saves_it_with_its_follow_ups_and_audits_it(english, officer, family):
    due = timezone.localdate() + timedelta(days=5)
    data = contact_post(
        **{
            "follow_ups-0-description": "Ask the school for the attendance record",
            "follow_ups-0-owner": "Liaison officer",
            "follow_ups-0-due_on": due.isoformat(),
            "follow_ups-2-description": "Keep the screenshots",
            "follow_ups-2-owner": "The mother",
            "follow_ups-2-due_on": due.isoformat(),
        }
    )
    response = english(officer).post(reverse("families:contact_add", args=[family.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("families:contacts", args=[family.pk])
    contact = ContactEntry.objects.get()
    assert (contact.family, contact.created_by, contact.kind) == (family, officer, ContactKind.HOME_VISIT)
    assert contact.next_contact_on == timezone.localdate(contact.occurred_at) + timedelta(days=7)
    actions = list(contact.follow_ups.order_by("description"))
    assert [(a.description, a.owner, a.due_on, a.family) for a in actions] == [
        ("Ask the school for the attendance record", "Liaison officer", due, family),
        ("Keep the screenshots", "The mother", due, family),
    ]
    event = case_changes("contact_logged").get()
    assert (event.actor, event.family_id, event.object_id) == (officer, family.pk, str(contact.pk))
    assert event.detail["follow_ups"] == 2


def test_a_contact_without_follow_ups_is_fine_and_blank_rows_are_ignored(english, officer, family):
    data = contact_post(**{"follow_ups-1-description": "   ", "follow_ups-2-owner": " "})
    response = english(officer).post(reverse("families:contact_add", args=[family.pk]), data)
    assert response.status_code == 302
    assert ContactEntry.objects.count() == 1
    assert not FollowUpAction.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"occurred_at": local_input(timezone.now() + timedelta(days=1))},
            "The date cannot be in the future.",
        ),
        (
            {"next_contact_on": timezone.localdate().isoformat(), "occurred_at": local_input(timezone.now())},
            "The next planned contact must be after the date of this contact.",
        ),
        ({"summary": ""}, "Fill in “Summary”."),
        ({"kind": "gossip"}, "Select a valid choice."),
        (
            {"follow_ups-1-description": "Call the youth care worker", "follow_ups-1-owner": "Officer"},
            "Follow-up action 2: Give a due date for this action.",
        ),
        (
            {
                "follow_ups-0-description": "Call the youth care worker",
                "follow_ups-0-due_on": timezone.localdate().isoformat(),
            },
            "Follow-up action 1: Say who does this action.",
        ),
        (
            {"follow_ups-0-owner": "The father"},
            "Follow-up action 1: Describe the action, or leave the whole row empty.",
        ),
        ({"follow_ups-TOTAL_FORMS": "4", "follow_ups-3-description": "One too many"}, "Please submit at most 3 forms."),
    ],
)
def test_bad_input_gives_a_clear_error_and_saves_nothing(english, officer, family, overrides, message):
    response = english(officer).post(reverse("families:contact_add", args=[family.pk]), contact_post(**overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert message in body
    assert not ContactEntry.objects.exists()
    assert not FollowUpAction.objects.exists()
    assert not case_changes("contact_logged").exists()


def test_the_service_writes_nothing_when_one_follow_up_is_incomplete(officer, family):
    with pytest.raises(ValidationError):
        contact_log(
            family=family,
            created_by=officer,
            occurred_at=timezone.now(),
            kind=ContactKind.PHONE,
            with_whom="The mother",
            summary="Short call.",
            follow_ups=[
                {"description": "Complete", "owner": "Officer", "due_on": timezone.localdate()},
                {"description": "No due date", "owner": "Officer", "due_on": None},
            ],
        )
    assert not ContactEntry.objects.exists()
    assert not FollowUpAction.objects.exists()


def test_the_database_refuses_a_follow_up_without_due_date(family):
    contact = ContactEntryFactory(family=family)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpAction.objects.create(
            family=family, contact=contact, description="x", owner="y", due_on=None, created_by=contact.created_by
        )


def test_the_database_refuses_a_follow_up_without_owner(family):
    contact = ContactEntryFactory(family=family)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpAction.objects.create(
            family=family,
            contact=contact,
            description="x",
            owner="",
            due_on=timezone.localdate(),
            created_by=contact.created_by,
        )


# Marking a follow-up action as done


@pytest.fixture
def action(family):
    return FollowUpActionFactory(contact=ContactEntryFactory(family=family), description="Phone the school")


@pytest.mark.parametrize("persona", ALLOWED)
def test_staff_who_change_the_case_see_the_confirmation(request, english, family, action, persona):
    url = reverse("families:follow_up_done", args=[family.pk, action.pk])
    response = english(request.getfixturevalue(persona)).get(url)
    assert response.status_code == 200
    assert "Phone the school" in response.content.decode()
    action.refresh_from_db()
    assert action.completed_at is None


@pytest.mark.parametrize("persona", REFUSED)
def test_everyone_else_gets_404_on_marking_done(request, english, family, action, persona):
    client = english(request.getfixturevalue(persona))
    url = reverse("families:follow_up_done", args=[family.pk, action.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    action.refresh_from_db()
    assert action.completed_at is None


def test_marking_done_refuses_other_methods(english, officer, family, action):
    url = reverse("families:follow_up_done", args=[family.pk, action.pk])
    assert english(officer).delete(url).status_code == 405


def test_an_action_of_another_family_is_404(english, officer, family):
    elsewhere = FamilyFactory(liaison_officer=officer, team=officer.team)
    foreign = FollowUpActionFactory(contact=ContactEntryFactory(family=elsewhere))
    response = english(officer).post(reverse("families:follow_up_done", args=[family.pk, foreign.pk]))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.completed_at is None


@pytest.mark.parametrize("persona", ALLOWED)
def test_marking_done_records_who_and_when_and_audits(request, english, family, action, persona):
    user = request.getfixturevalue(persona)
    response = english(user).post(reverse("families:follow_up_done", args=[family.pk, action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.completed_by == user
    assert action.completed_at is not None
    event = case_changes("follow_up_done").get()
    assert (event.actor, event.family_id, event.object_id) == (user, family.pk, str(action.pk))
    assert action not in open_follow_ups(family)


def test_an_action_already_done_gives_a_clear_message(english, officer, supervisor, family, action):
    done_at = timezone.now() - timedelta(days=1)
    FollowUpAction.objects.filter(pk=action.pk).update(completed_at=done_at, completed_by=supervisor)
    client = english(officer)
    url = reverse("families:follow_up_done", args=[family.pk, action.pk])
    assert "This action is already done." in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 400
    assert "This action was already marked as done on" in response.content.decode()
    assert supervisor.full_name in response.content.decode()
    action.refresh_from_db()
    assert (action.completed_at, action.completed_by) == (done_at, supervisor)
    assert not case_changes("follow_up_done").exists()
