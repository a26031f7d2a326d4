"""Notifications say only that there is something new: to the parents who may see the
portal and chose e-mail (never a suspected caregiver), and to the family's officer."""

import pytest
from django.test import override_settings

from families.models import PortalMessage
from liaison import notifications
from liaison.access import PORTAL, families_for
from liaison.accounts.models import NotifyBy, Role
from liaison.audit.models import AuditEvent
from liaison.notifications import notify_officer, notify_parents
from tests.factories import ChildFactory, FamilyFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db

MARKER = "MARKER-do-not-mail-7731"


@pytest.fixture
def marked_family(family, officer, parent, suspect_caregiver):
    """A family full of things a mail must never carry."""
    ChildFactory(family=family, full_name="Chantal Childname")
    PortalMessage.objects.create(family=family, text=f"{MARKER} message text", from_parent=False, created_by=officer)
    family.referral_note = f"{MARKER} referral"
    family.save()
    return family


def forbidden_words(family) -> list[str]:
    words = [MARKER, family.reference, family.display_name, "Jansen", "Chantal", "Childname"]
    for member in family.household_members.select_related("user"):
        words += [member.full_name, *member.full_name.split()]
    words += [family.liaison_officer.full_name, *family.liaison_officer.full_name.split()]
    return [word for word in words if word]


def assert_contentless(message, family) -> None:
    everything = "\n".join([message.subject, message.body, message.from_email, *map(str, message.extra_headers)])
    for word in forbidden_words(family):
        assert word not in everything, word
    assert f"/families/{family.pk}" not in everything


def test_parents_who_chose_e_mail_get_one_mail_each(marked_family, parent, mailoutbox):
    second = HouseholdMemberFactory(family=marked_family, full_name="Piet Parent", user__email="piet@example.org").user
    notified = notify_parents(marked_family)
    assert notified == [parent.pk, second.pk]
    assert sorted(message.to[0] for message in mailoutbox) == ["parent@example.org", "piet@example.org"]
    assert all(len(message.to) == 1 and not message.cc and not message.bcc for message in mailoutbox)


def test_a_suspected_caregiver_never_gets_a_mail_even_when_all_else_holds(marked_family, suspect_caregiver, mailoutbox):
    assert suspect_caregiver.is_active
    assert suspect_caregiver.role == Role.PARENT
    assert suspect_caregiver.notify_by == NotifyBy.EMAIL
    notified = notify_parents(marked_family)
    assert suspect_caregiver.pk not in notified
    assert all("suspect@example.org" not in message.to for message in mailoutbox)


def test_suspected_in_one_family_means_no_mail_from_any_family(marked_family, suspect_caregiver, mailoutbox):
    """A suspicion shuts out the person, not one record: a caregiver suspected in one
    family is told nothing about another family either."""
    elsewhere = FamilyFactory()
    HouseholdMemberFactory(family=elsewhere, user=suspect_caregiver)
    assert suspect_caregiver.pk not in notify_parents(marked_family)
    assert notify_parents(elsewhere) == []
    assert all(suspect_caregiver.email not in message.to for message in mailoutbox)


def test_only_people_the_portal_lets_in_are_ever_told(marked_family, mailoutbox):
    HouseholdMemberFactory(family=marked_family, user__notify_by=NotifyBy.NONE)
    HouseholdMemberFactory(family=marked_family, user__is_active=False)
    HouseholdMemberFactory(family=marked_family, user=None, email="no-account@example.org")
    HouseholdMemberFactory(family=FamilyFactory(), user__email="other-family@example.org")
    for user_pk in notify_parents(marked_family):
        user = marked_family.household_members.get(user_id=user_pk).user
        assert families_for(user, PORTAL).filter(pk=marked_family.pk).exists()
        assert user.notify_by == NotifyBy.EMAIL
    assert [message.to for message in mailoutbox] == [["parent@example.org"]]


def test_no_one_to_tell_sends_nothing_and_records_nothing(family, suspect_caregiver, mailoutbox):
    assert notify_parents(family) == []
    family.liaison_officer.notify_by = NotifyBy.NONE
    family.liaison_officer.save()
    assert notify_officer(family) == []
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(detail__what="notification_sent").exists()


def test_the_officer_is_told_about_something_new_in_the_caseload(marked_family, officer, mailoutbox):
    assert notify_officer(marked_family) == [officer.pk]
    (message,) = mailoutbox
    assert message.to == ["officer@example.org"]
    assert "caseload" in message.subject
    assert_contentless(message, marked_family)


def test_an_inactive_officer_gets_nothing(marked_family, officer, mailoutbox):
    officer.is_active = False
    officer.save()
    assert notify_officer(marked_family) == []
    assert mailoutbox == []


@override_settings(PORTAL_PRODUCT_NAME="Weerbericht", SITE_URL="https://portal.example.org")
def test_mails_say_nothing_but_something_new_and_where_to_sign_in(marked_family, officer, mailoutbox):
    notify_parents(marked_family)
    notify_officer(marked_family)
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert_contentless(message, marked_family)
        assert "https://portal.example.org/accounts/login/" in message.body
        assert message.from_email.startswith("Weerbericht <")
    parent_mail = mailoutbox[0]
    assert "Weerbericht" in parent_mail.subject
    assert "caseload" not in parent_mail.body


def test_who_was_told_is_recorded_by_id_only(marked_family, parent, mailoutbox):
    notify_parents(marked_family)
    event = AuditEvent.objects.get(detail__what="notification_sent")
    assert event.family_id == marked_family.pk
    assert event.detail == {"what": "notification_sent", "to": [parent.pk]}


def test_a_mail_server_that_is_down_does_not_break_the_caller(marked_family, monkeypatch, mailoutbox):
    class Broken:
        def send_messages(self, messages):
            raise OSError("connection refused")

    monkeypatch.setattr(notifications, "get_connection", lambda: Broken())
    assert notify_parents(marked_family) == []
    assert not AuditEvent.objects.filter(detail__what="notification_sent").exists()
