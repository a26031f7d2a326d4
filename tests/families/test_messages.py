"""The message thread between the parents and their officer, per persona: who reads and
writes it, bad input, read marking, contentless notifications, and fixed query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families.models import FamilyStatus, PortalMessage
from families.services.messages import MESSAGE_MAX_LENGTH
from liaison.accounts.models import NotifyBy, Role
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import FamilyFactory, HouseholdMemberFactory, UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db

PORTAL_THREAD = reverse("portal:messages")
PORTAL_NOTIFICATIONS = reverse("portal:notifications")
SECRET = "SECRET-the-van-is-back-on-Tuesday"


def case_thread(family) -> str:
    return reverse("families:messages", args=[family.pk])


def message(family, author, text="Hello", *, from_parent: bool) -> PortalMessage:
    return PortalMessage.objects.create(family=family, text=text, from_parent=from_parent, created_by=author)


@pytest.fixture
def other_parent():
    """A parent of another family, with their own thread."""
    return HouseholdMemberFactory(family=FamilyFactory(), full_name="Olga Otherfamily").user


@pytest.fixture
def colleague(team):
    """An officer of the same team, who may read (not change) the family under team view."""
    team.team_view = True
    team.save()
    user = UserFactory(role=Role.OFFICER, team=team, full_name="Cora Colleague")
    confirmed_totp(user)
    return user


# Who sees which page.


def test_parent_sees_their_own_thread_oldest_first(english, parent, officer, family):
    message(family, parent, "First from me", from_parent=True)
    message(family, officer, "Then the officer", from_parent=False)
    response = english(parent).get(PORTAL_THREAD)
    assert response.status_code == 200
    assert [m.text for m in response.context["thread"]] == ["First from me", "Then the officer"]
    body = response.content.decode()
    assert body.index("First from me") < body.index("Then the officer")
    assert ">You<" in body and "Olivia Officer" in body
    assert f"up to {MESSAGE_MAX_LENGTH} characters" in body


def test_a_parent_of_another_family_never_sees_this_thread(login, other_parent, officer, family):
    message(family, officer, SECRET, from_parent=False)
    client = login(other_parent)
    response = client.get(PORTAL_THREAD)
    assert response.status_code == 200
    assert response.context["thread"] == []
    assert SECRET.encode() not in response.content
    assert client.get(case_thread(family)).status_code == 404


@pytest.mark.parametrize("url", [PORTAL_THREAD, PORTAL_NOTIFICATIONS])
def test_a_suspected_caregiver_gets_404_on_every_portal_message_page(login, suspect_caregiver, family, officer, url):
    message(family, officer, SECRET, from_parent=False)
    client = login(suspect_caregiver)
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "hello", "notify_by": NotifyBy.NONE}).status_code == 404
    assert client.get(case_thread(family)).status_code == 404
    assert PortalMessage.objects.count() == 1
    suspect_caregiver.refresh_from_db()
    assert suspect_caregiver.notify_by == NotifyBy.EMAIL


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police", "outsider", "administrator"])
@pytest.mark.parametrize("url", [PORTAL_THREAD, PORTAL_NOTIFICATIONS])
def test_staff_have_no_portal_message_pages(login, request, family, persona, url):
    assert login(request.getfixturevalue(persona)).get(url).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "supervisor", "colleague"])
def test_liaison_staff_read_the_thread(english, request, family, parent, persona):
    message(family, parent, SECRET, from_parent=True)
    response = english(request.getfixturevalue(persona)).get(case_thread(family))
    assert response.status_code == 200
    assert SECRET in response.content.decode()
    assert f"{parent.full_name} (parent)" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["police", "outsider", "other_officer", "administrator", "parent", "suspect_caregiver"]
)
def test_everyone_else_gets_404_on_the_staff_thread(login, request, family, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(case_thread(family)).status_code == 404
    assert client.post(case_thread(family), {"text": "hello"}).status_code == 404
    assert not PortalMessage.objects.exists()


def test_police_never_see_the_messages_part_of_the_case(login, police, family):
    response = login(police).get(reverse("families:detail", args=[family.pk]))
    assert response.status_code == 200
    assert case_thread(family) not in response.content.decode()


def test_the_officer_finds_messages_in_the_case_navigation(login, officer, family):
    response = login(officer).get(reverse("families:detail", args=[family.pk]))
    assert case_thread(family) in response.content.decode()


@pytest.mark.parametrize("url_name", ["portal:messages", "portal:notifications"])
def test_wrong_method_on_portal_pages(login, parent, url_name):
    client = login(parent)
    assert client.put(reverse(url_name)).status_code == 405
    assert client.delete(reverse(url_name)).status_code == 405


def test_wrong_method_on_the_staff_thread(login, officer, family):
    assert login(officer).delete(case_thread(family)).status_code == 405


# Writing.


def test_parent_sends_a_message_and_is_redirected(login, parent, family):
    client = login(parent)
    response = client.post(PORTAL_THREAD, {"text": f"  {SECRET}  "})
    assert response.status_code == 302 and response.url == PORTAL_THREAD
    sent = PortalMessage.objects.get()
    assert (sent.text, sent.from_parent, sent.created_by, sent.family) == (SECRET, True, parent, family)
    event = AuditEvent.objects.get(detail__what="portal_message_sent")
    assert event.action == AuditAction.CASE_CHANGED and event.family_id == family.pk
    assert SECRET not in str(event.detail)


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_staff_who_may_change_the_case_reply(login, request, family, persona):
    author = request.getfixturevalue(persona)
    response = login(author).post(case_thread(family), {"text": "We will call you tomorrow."})
    assert response.status_code == 302
    reply = PortalMessage.objects.get()
    assert (reply.from_parent, reply.created_by) == (False, author)


def test_a_colleague_with_team_view_reads_but_cannot_reply(login, colleague, family):
    client = login(colleague)
    response = client.get(case_thread(family))
    assert response.status_code == 200 and not response.context["can_reply"]
    assert b'name="text"' not in response.content
    assert client.post(case_thread(family), {"text": "hello"}).status_code == 404
    assert not PortalMessage.objects.exists()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "Write your message."),
        ("   \n  ", "Write your message."),
        ("x" * (MESSAGE_MAX_LENGTH + 1), "Your message is too long"),
    ],
)
@pytest.mark.parametrize("side", ["parent", "officer"])
def test_bad_messages_get_a_clear_error_save_nothing_and_keep_the_text(english, request, family, side, text, error):
    url = PORTAL_THREAD if side == "parent" else case_thread(family)
    response = english(request.getfixturevalue(side)).post(url, {"text": text})
    assert response.status_code == 400
    assert error in response.context["form"].errors["text"][0]
    body = response.content.decode()
    assert "govuk-error-summary" in body and error in body
    assert text.strip() in body
    assert not PortalMessage.objects.exists()


def test_a_message_of_exactly_the_limit_is_accepted(login, parent):
    assert login(parent).post(PORTAL_THREAD, {"text": "x" * MESSAGE_MAX_LENGTH}).status_code == 302
    assert len(PortalMessage.objects.get().text) == MESSAGE_MAX_LENGTH


def test_nothing_more_can_be_sent_once_the_case_is_closed(login, english, parent, officer, family):
    family.status, family.closing_reason = FamilyStatus.CLOSED, "Goals reached"
    family.save()
    client = english(parent)
    response = client.post(PORTAL_THREAD, {"text": "Are you there?"})
    assert response.status_code == 400
    assert "closed" in response.content.decode()
    assert not response.context["can_send"]
    assert login(officer).post(case_thread(family), {"text": "late reply"}).status_code == 404
    assert not PortalMessage.objects.exists()


# Reading.


def test_opening_the_thread_marks_the_officers_messages_read(login, parent, officer, family):
    mine = message(family, parent, from_parent=True)
    theirs = message(family, officer, from_parent=False)
    login(parent).get(PORTAL_THREAD)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert theirs.read_at is not None
    assert mine.read_at is None


def test_the_officer_reading_marks_the_parents_messages_read_a_supervisor_does_not(
    login, officer, supervisor, parent, family
):
    theirs = message(family, parent, from_parent=True)
    login(supervisor).get(case_thread(family))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    login(officer).get(case_thread(family))
    theirs.refresh_from_db()
    assert theirs.read_at is not None


def test_the_parents_home_shows_how_many_new_messages_wait(english, parent, officer, family):
    message(family, officer, from_parent=False)
    message(family, officer, from_parent=False)
    client = english(parent)
    response = client.get(reverse("portal:home"))
    assert response.context["unread_messages"] == 2
    assert "You have 2 new messages" in response.content.decode()
    assert PORTAL_THREAD in response.content.decode()
    client.get(PORTAL_THREAD)
    assert client.get(reverse("portal:home")).context["unread_messages"] == 0


def test_the_caseload_counts_unread_messages_for_liaison_staff_only(english, officer, police, parent, family):
    message(family, parent, from_parent=True)
    officer_page = english(officer).get(reverse("families:caseload"))
    assert officer_page.context["page"].object_list[0].unread_messages == 1
    assert "1 unread message" in officer_page.content.decode()
    police_page = english(police).get(reverse("families:caseload"))
    assert not hasattr(police_page.context["page"].object_list[0], "unread_messages")
    assert "unread message" not in police_page.content.decode()


# Notifications.


def test_a_parents_message_tells_the_officer_and_no_one_else(
    login, parent, suspect_caregiver, family, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(parent).post(PORTAL_THREAD, {"text": SECRET})
    assert [m.to for m in mailoutbox] == [["officer@example.org"]]
    assert_contentless(mailoutbox[0], family)


def test_a_reply_tells_the_parents_who_chose_e_mail_never_the_suspect(
    login, officer, parent, suspect_caregiver, family, mailoutbox, django_capture_on_commit_callbacks
):
    quiet = HouseholdMemberFactory(family=family, full_name="Quinn Quiet", user__notify_by=NotifyBy.NONE).user
    with django_capture_on_commit_callbacks(execute=True):
        login(officer).post(case_thread(family), {"text": SECRET})
    recipients = [m.to for m in mailoutbox]
    assert recipients == [["parent@example.org"]]
    assert [suspect_caregiver.email] not in recipients and [quiet.email] not in recipients
    assert_contentless(mailoutbox[0], family)


def test_no_mail_goes_out_when_the_message_is_refused(
    login, parent, family, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(parent).post(PORTAL_THREAD, {"text": ""})
    assert mailoutbox == []


def test_parents_are_told_once_until_they_have_read_it(
    login, officer, parent, family, mailoutbox, django_capture_on_commit_callbacks
):
    officer_client = login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(case_thread(family), {"text": "First"})
        officer_client.post(case_thread(family), {"text": "Second"})
    assert len(mailoutbox) == 1
    login(parent).get(PORTAL_THREAD)
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(case_thread(family), {"text": "Third"})
    assert len(mailoutbox) == 2


def assert_contentless(mail_message, family) -> None:
    everything = f"{mail_message.subject}\n{mail_message.body}\n{mail_message.from_email}"
    words = [SECRET, family.reference, family.display_name, "Jansen", "Olivia", "Officer", "Mia", "Parent", "Sid"]
    for member in family.household_members.select_related("user"):
        words += [member.full_name, member.user.full_name if member.user else member.full_name]
    for word in words:
        assert word not in everything, word


# Choosing how to be told.


def test_the_notification_page_explains_plainly(english, parent):
    response = english(parent).get(PORTAL_NOTIFICATIONS)
    assert response.status_code == 200
    body = response.content.decode()
    assert "The e-mail only says there is something new. It never says what, or from whom." in body
    assert response.context["form"]["notify_by"].value() == NotifyBy.EMAIL


def test_a_parent_turns_e_mails_off_and_is_no_longer_told(
    login, parent, officer, family, mailoutbox, django_capture_on_commit_callbacks
):
    response = login(parent).post(PORTAL_NOTIFICATIONS, {"notify_by": NotifyBy.NONE})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.notify_by == NotifyBy.NONE
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_CHANGED, detail__changes__has_key="notify_by")
    assert event.actor == parent
    assert event.detail["changes"]["notify_by"] == {"before": NotifyBy.EMAIL, "after": NotifyBy.NONE}
    with django_capture_on_commit_callbacks(execute=True):
        login(officer).post(case_thread(family), {"text": "Hello"})
    assert mailoutbox == []


@pytest.mark.parametrize("choice", ["", "sms", "carrier-pigeon"])
def test_a_bad_choice_gets_a_clear_error_and_changes_nothing(english, parent, choice):
    response = english(parent).post(PORTAL_NOTIFICATIONS, {"notify_by": choice})
    assert response.status_code == 400
    assert "Choose how you want to hear" in response.content.decode()
    parent.refresh_from_db()
    assert parent.notify_by == NotifyBy.EMAIL
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CHANGED).exists()


# Query counts.


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("side", ["parent", "officer"])
def test_the_thread_costs_the_same_queries_for_3_or_30_messages(login, request, family, parent, officer, side):
    client = login(request.getfixturevalue(side))
    url = PORTAL_THREAD if side == "parent" else case_thread(family)
    for number in range(3):
        message(family, parent if number % 2 else officer, f"message {number}", from_parent=bool(number % 2))
    count_queries(client, url)  # warm the session and anything cached once per client
    few = count_queries(client, url)
    for number in range(3, 30):
        message(family, parent if number % 2 else officer, f"message {number}", from_parent=bool(number % 2))
    assert count_queries(client, url) == few
