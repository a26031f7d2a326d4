"""Reminders: once a day each officer and supervisor with something that needs attention
gets one reminder and one mail that say only how many; running again sends nothing
twice; the count shows in the menu until the person opens their caseload or dashboard."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families.models import ContactEntry, FamilyStatus, FollowUpAction, ProgressReview
from liaison import notifications
from liaison.accounts.models import NotifyBy, Reminder, Role
from liaison.staff.attention import Attention
from liaison.staff.reminders import reminder_key, unread_reminder
from safety_plans.models import PlanStatus, PlanVersion, SafetyPlan
from tests.factories import ChildFactory, FamilyFactory, UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db


def ago(days: int):
    return timezone.now() - timedelta(days=days)


def calm(family, *, last_contact_days_ago: int = 1):
    """A family with nothing that needs attention, except the contact if it is long ago."""
    officer = family.liaison_officer
    family.referral_on = timezone.localdate() - timedelta(days=60)
    family.save()
    ProgressReview.objects.create(
        family=family,
        reviewed_on=timezone.localdate(),
        understanding_score=3,
        understanding_evidence="e",
        empowerment_score=3,
        empowerment_evidence="e",
        resilience_score=3,
        resilience_evidence="e",
        created_by=officer,
    )
    plan = SafetyPlan.objects.create(family=family, created_by=officer)
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        status=PlanStatus.ACTIVE,
        review_on=timezone.localdate() + timedelta(weeks=12),
        created_by=officer,
        updated_by=officer,
    )
    ContactEntry.objects.create(
        family=family,
        occurred_at=ago(last_contact_days_ago),
        kind="home_visit",
        with_whom="Both parents",
        summary="Talked about the school.",
        created_by=officer,
    )
    return family


def send(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, language="en", stdout=out)
    return out.getvalue()


def mails_to(mailoutbox, user) -> list:
    return [message for message in mailoutbox if message.to == [user.email]]


@pytest.fixture
def quiet(family):
    calm(family, last_contact_days_ago=15)
    return family


# Who is reminded, once


def test_an_officer_without_contact_for_15_days_gets_one_reminder_and_one_mail(quiet, officer, supervisor, mailoutbox):
    summary = send()

    reminder = Reminder.objects.get(user=officer)
    today = timezone.localdate()
    assert reminder.count == 1
    assert reminder.key == reminder_key(today, {(Attention.NO_CONTACT.value, quiet.pk)})
    assert reminder.key.startswith(f"attention:{today.isoformat()}")
    assert reminder.emailed_at is not None and reminder.read_at is None
    (mail,) = mails_to(mailoutbox, officer)
    assert "Je hebt 1 punt dat aandacht vraagt." in mail.body
    assert f"{settings.SITE_URL}{reverse('account_login')}" in mail.body
    assert "om je aandacht" in mail.subject  # in the site's language: the officer chose none
    assert "attention: 2; items: 2; new reminders: 2; e-mailed: 2; already reminded: 0." in summary


def test_a_family_with_recent_contact_gives_no_reminder(family, officer, supervisor, mailoutbox):
    calm(family, last_contact_days_ago=14)
    assert "attention: 0; items: 0; new reminders: 0; e-mailed: 0;" in send()
    assert not Reminder.objects.exists()
    assert mailoutbox == []


def test_running_twice_sends_nothing_twice(quiet, officer, supervisor, mailoutbox):
    send()
    summary = send()
    assert Reminder.objects.filter(user=officer).count() == 1
    assert Reminder.objects.filter(user=supervisor).count() == 1
    assert len(mails_to(mailoutbox, officer)) == 1
    assert len(mails_to(mailoutbox, supervisor)) == 1
    assert "new reminders: 0; e-mailed: 0; already reminded: 2." in summary


def test_a_new_item_later_that_day_makes_a_new_reminder(quiet, officer, mailoutbox):
    send()
    contact = ContactEntry.objects.get(family=quiet)
    FollowUpAction.objects.create(
        family=quiet,
        contact=contact,
        description="Call the school",
        owner="Liaison officer",
        due_on=timezone.localdate() - timedelta(days=1),
        created_by=officer,
    )
    send()
    send()
    reminders = list(Reminder.objects.filter(user=officer).order_by("created_at", "pk"))
    assert [reminder.count for reminder in reminders] == [1, 2]
    assert len({reminder.key for reminder in reminders}) == 2
    first, second = mails_to(mailoutbox, officer)
    assert "Je hebt 1 punt dat aandacht vraagt." in first.body
    assert "Je hebt 2 punten die aandacht vragen." in second.body


def test_the_supervisor_gets_the_count_of_the_whole_team(quiet, officer, supervisor, team, other_officer, mailoutbox):
    colleague = UserFactory(role=Role.OFFICER, team=team, full_name="Chris Colleague")
    calm(FamilyFactory(liaison_officer=colleague, team=team), last_contact_days_ago=20)
    calm(FamilyFactory(liaison_officer=colleague, team=team), last_contact_days_ago=2)
    elsewhere = calm(FamilyFactory(liaison_officer=other_officer, team=other_officer.team), last_contact_days_ago=30)

    send()

    counts = dict(Reminder.objects.values_list("user_id", "count"))
    assert counts == {officer.pk: 1, colleague.pk: 1, supervisor.pk: 2, other_officer.pk: 1}
    (mail,) = mails_to(mailoutbox, supervisor)
    assert "Je hebt 2 punten die aandacht vragen." in mail.body
    assert elsewhere.reference not in mail.body


def test_police_parents_and_administrators_never_get_reminders(
    quiet, supervisor, police, parent, administrator, mailoutbox
):
    UserFactory(role=Role.SUPERVISOR, team=quiet.team, is_active=False, email="gone@example.org")
    send()
    reminded = set(Reminder.objects.values_list("user__role", flat=True))
    assert reminded == {Role.OFFICER, Role.SUPERVISOR}
    for user in (police, parent, administrator):
        assert not Reminder.objects.filter(user=user).exists()
        assert mails_to(mailoutbox, user) == []
    assert all(message.to != ["gone@example.org"] for message in mailoutbox)


def test_closed_families_and_inactive_officers_are_left_out(quiet, officer, supervisor, mailoutbox):
    closed = calm(FamilyFactory(liaison_officer=officer, team=officer.team), last_contact_days_ago=40)
    closed.status, closed.closing_reason = FamilyStatus.CLOSED, "The child is safe."
    closed.save()
    officer.is_active = False
    officer.save()
    send()
    assert not Reminder.objects.filter(user=officer).exists()
    assert Reminder.objects.get(user=supervisor).count == 1


def test_who_chose_no_mail_gets_the_reminder_in_the_app_only(quiet, officer, mailoutbox):
    officer.notify_by = NotifyBy.NONE
    officer.save()
    send()
    reminder = Reminder.objects.get(user=officer)
    assert reminder.emailed_at is None
    assert mails_to(mailoutbox, officer) == []


def test_a_mail_that_could_not_go_out_goes_with_the_next_run(quiet, officer, monkeypatch, mailoutbox):
    class Broken:
        def send_messages(self, messages):
            raise OSError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(notifications, "get_connection", lambda: Broken())
        assert "e-mailed: 0;" in send()
    assert Reminder.objects.get(user=officer).emailed_at is None
    send()
    send()
    assert Reminder.objects.get(user=officer).emailed_at is not None
    assert len(mails_to(mailoutbox, officer)) == 1


def test_a_dry_run_counts_and_saves_and_sends_nothing(quiet, officer, supervisor, mailoutbox):
    summary = send("--dry-run")
    assert summary.startswith("Dry run")
    assert "attention: 2; items: 2; new reminders: 2; already reminded: 0. Nothing was saved or sent." in summary
    assert officer.full_name not in summary and quiet.reference not in summary
    assert not Reminder.objects.exists()
    assert mailoutbox == []


# What a mail says


@override_settings(SITE_URL="https://liaison.example.org")
def test_the_mail_names_no_family_no_reference_no_child_and_no_kind(quiet, officer, supervisor, mailoutbox):
    ChildFactory(family=quiet, full_name="Chantal Childname")
    quiet.display_name = "Family Jansen"
    quiet.save()
    send()
    assert len(mailoutbox) == 2
    forbidden = [
        quiet.reference,
        "Jansen",
        "Chantal",
        "Childname",
        "Olivia",
        "contact",
        "no_contact",
        str(Attention.NO_CONTACT.label),
        f"/families/{quiet.pk}",
    ]
    for message in mailoutbox:
        everything = "\n".join([message.subject, message.body, message.from_email])
        for word in forbidden:
            assert word not in everything, word
        assert "https://liaison.example.org/accounts/login/" in message.body
        assert "Je hebt 1 punt dat aandacht vraagt." in message.body


# A fixed cost


@pytest.mark.parametrize("count", [5, 40])
def test_the_command_costs_the_same_queries_for_5_or_40_families(
    officer, supervisor, team, count, django_assert_max_num_queries
):
    colleague = UserFactory(role=Role.OFFICER, team=team)
    for number in range(count):
        family = FamilyFactory(liaison_officer=officer if number % 2 else colleague, team=team)
        ChildFactory(family=family)
        ContactEntry.objects.create(
            family=family,
            occurred_at=ago(20),
            kind="home_visit",
            with_whom="Mother",
            summary="s",
            created_by=officer,
        )
    with django_assert_max_num_queries(13):
        send()
    assert Reminder.objects.count() == 3


def test_the_cost_does_not_grow_with_the_families(officer, supervisor, team, django_assert_max_num_queries):
    def families(n):
        for _ in range(n):
            calm(FamilyFactory(liaison_officer=officer, team=team), last_contact_days_ago=20)

    families(5)
    with django_assert_max_num_queries(50) as few:
        send()
    Reminder.objects.all().delete()
    families(35)
    with django_assert_max_num_queries(len(few.captured_queries)):
        send()


def test_the_families_are_read_without_their_team(officer, supervisor, team):
    """The rules read the team's contact limit with each family (``with_attention``);
    the team itself is neither read nor made for each of them."""
    calm(FamilyFactory(liaison_officer=officer, team=team), last_contact_days_ago=20)
    with CaptureQueriesContext(connection) as queries:
        send()
    families_read = [query["sql"] for query in queries if query["sql"].startswith('SELECT "families_family"."id"')]
    assert families_read
    assert not any('"accounts_team"."name"' in sql for sql in families_read)


# In the app


def nav_count(response) -> str | None:
    found = re.search(r'href="([^"]+)"><strong>(\d+) items? needs? attention</strong>', response.content.decode())
    return found.groups() if found else None


def test_the_menu_shows_the_count_until_the_officer_opens_the_caseload(english, quiet, officer):
    send()
    client = english(officer)
    elsewhere = reverse("families:shared_waiting")
    assert nav_count(client.get(elsewhere)) == (reverse("families:caseload"), "1")
    assert nav_count(client.get(reverse("families:detail", args=[quiet.pk]))) == (reverse("families:caseload"), "1")

    caseload = client.get(reverse("families:caseload"))

    assert caseload.status_code == 200
    assert nav_count(caseload) is None
    assert Reminder.objects.get(user=officer).read_at is not None
    assert nav_count(client.get(elsewhere)) is None


def test_the_supervisor_is_sent_to_the_dashboard_and_reads_it_there(english, quiet, supervisor):
    send()
    client = english(supervisor)
    assert nav_count(client.get(reverse("families:caseload"))) == (reverse("dashboard"), "1")
    assert Reminder.objects.get(user=supervisor).read_at is None
    assert nav_count(client.get(reverse("dashboard"))) is None
    assert Reminder.objects.get(user=supervisor).read_at is not None


def test_the_menu_shows_the_newest_unread_reminder(english, officer):
    Reminder.objects.create(user=officer, key="attention:old", count=4)
    Reminder.objects.create(user=officer, key="attention:new", count=7)
    assert nav_count(english(officer).get(reverse("families:shared_waiting")))[1] == "7"


def test_the_count_costs_one_query_and_none_for_people_without_reminders(
    officer, police, parent, administrator, django_assert_num_queries
):
    Reminder.objects.create(user=officer, key="attention:x", count=3)
    with django_assert_num_queries(1):
        assert unread_reminder(officer)["count"] == 3
    for user in (police, parent, administrator):
        with django_assert_num_queries(0):
            assert unread_reminder(user) is None


def test_a_reminder_of_someone_else_never_shows(english, officer, team):
    colleague = UserFactory(role=Role.OFFICER, team=team)
    confirmed_totp(colleague)
    Reminder.objects.create(user=colleague, key="attention:x", count=3)
    assert nav_count(english(officer).get(reverse("families:shared_waiting"))) is None


def test_the_page_that_reads_the_reminders_does_not_ask_for_them_again(english, quiet, officer):
    send()
    client = english(officer)
    with CaptureQueriesContext(connection) as captured:
        caseload = client.get(reverse("families:caseload"))
    statements = [query["sql"] for query in captured.captured_queries]

    assert nav_count(caseload) is None
    assert not any(sql.startswith('SELECT "accounts_reminder"') for sql in statements)
    assert len([sql for sql in statements if sql.startswith('UPDATE "accounts_reminder"')]) == 1


def test_the_header_reads_the_count_with_the_person_and_no_query_of_its_own(english, officer):
    Reminder.objects.create(user=officer, key="attention:old", count=4)
    Reminder.objects.create(user=officer, key="attention:read", count=9, read_at=timezone.now())
    client = english(officer)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("families:shared_waiting"))

    assert nav_count(page)[1] == "4"
    assert not any(query["sql"].startswith('SELECT "accounts_reminder"') for query in captured.captured_queries)
