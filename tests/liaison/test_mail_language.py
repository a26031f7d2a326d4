"""Every e-mail is written in its recipient's language, never in the language of the
person whose action set it off: a Dutch parent invited by an officer who reads English
gets a Dutch invitation, and the other way round. A person's language is the one they
picked in the language switch while signed in, or the one chosen for them on the
invitation; without either, the site's."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from families.models import HouseholdMember
from liaison.accounts.models import Invitation, Reminder, Role, User
from liaison.audit.models import AuditAction, AuditEvent
from liaison.notifications import (
    notify_break_glass,
    notify_officer,
    notify_parents,
    notify_refused_reads,
    notify_reminders,
)
from tests.factories import PASSWORD, HouseholdMemberFactory
from tests.liaison.test_language import foreign_phrases

pytestmark = pytest.mark.django_db

OTHER = {"nl": "en", "en": "nl"}
# (the recipient's language, the language of the sender's request)
LANGUAGE_PAIRS = [("nl", "en"), ("en", "nl")]


def prefer(user: User, language: str) -> User:
    User.objects.filter(pk=user.pk).update(language=language)
    user.refresh_from_db()
    return user


def assert_written_in(mail, language: str, english: str, dutch: str) -> None:
    text = f"{mail.subject}\n{mail.body}"
    assert (english if language == "en" else dutch) in text
    assert (dutch if language == "en" else english) not in text
    assert foreign_phrases(text, language) == []


# The notifications: (who is told, how, what the mail says in English and in Dutch)
NOTIFICATIONS = {
    "parents": (
        "parent",
        lambda family, user: notify_parents(family),
        "There is something new for you",
        "Er is iets nieuws voor je",
    ),
    "officer": (
        "officer",
        lambda family, user: notify_officer(family),
        "There is something new in your caseload",
        "Er is iets nieuws in je caseload",
    ),
    "reminders": (
        "supervisor",
        lambda family, user: notify_reminders([Reminder.objects.create(user=user, key="test", count=2)]),
        "You have 2 items that need attention",
        "Je hebt 2 punten die aandacht vragen",
    ),
    "break_glass": (
        "supervisor",
        lambda family, user: notify_break_glass([user]),
        "Someone used emergency access",
        "Iemand heeft noodtoegang gebruikt",
    ),
    "refused_reads": (
        "administrator",
        lambda family, user: notify_refused_reads([user]),
        "Someone was refused case files",
        "Iemand is binnen een uur vaak de inzage in dossiers geweigerd",
    ),
}


@pytest.mark.parametrize(("recipient_language", "sender_language"), LANGUAGE_PAIRS)
@pytest.mark.parametrize("kind", NOTIFICATIONS)
def test_each_notification_is_in_the_recipients_language(
    request, family, mailoutbox, kind, recipient_language, sender_language
):
    persona, send, english, dutch = NOTIFICATIONS[kind]
    recipient = prefer(request.getfixturevalue(persona), recipient_language)
    with translation.override(sender_language):
        send(family, recipient)
    (mail,) = [mail for mail in mailoutbox if mail.to == [recipient.email]]
    assert_written_in(mail, recipient_language, english, dutch)


def test_parents_of_one_family_each_get_their_own_language(family, parent, mailoutbox):
    prefer(parent, "en")
    dutch_parent = HouseholdMemberFactory(family=family, user__email="piet@example.org").user
    prefer(dutch_parent, "nl")
    notify_parents(family)
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert_written_in(by_address[parent.email], "en", "There is something new for you", "Er is iets nieuws voor je")
    assert_written_in(
        by_address["piet@example.org"], "nl", "There is something new for you", "Er is iets nieuws voor je"
    )


def test_without_a_choice_a_mail_is_in_the_sites_language(family, officer, mailoutbox, settings):
    assert officer.language == ""
    with translation.override("en"):
        notify_officer(family)
    assert_written_in(
        mailoutbox[-1], "nl", "There is something new in your caseload", "Er is iets nieuws in je caseload"
    )
    settings.LANGUAGE_CODE = "en"
    with translation.override("nl"):
        notify_officer(family)
    assert_written_in(
        mailoutbox[-1], "en", "There is something new in your caseload", "Er is iets nieuws in je caseload"
    )


# The invitation: the inviter chooses the invitee's language


@pytest.fixture
def mira(family) -> HouseholdMember:
    return HouseholdMemberFactory(family=family, full_name="Mira Jansen", relation="mother", user=None)


@pytest.mark.parametrize(("recipient_language", "sender_language"), LANGUAGE_PAIRS)
def test_the_invitation_is_in_the_language_the_inviter_chose(
    login, officer, mira, mailoutbox, recipient_language, sender_language
):
    client = login(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = sender_language
    response = client.post(
        reverse("invitation_create"),
        {"email": "mira@example.org", "role": Role.PARENT, "member": mira.pk, "language": recipient_language},
    )
    assert response.status_code == 302
    assert Invitation.objects.get().language == recipient_language
    (mail,) = mailoutbox
    assert_written_in(
        mail, recipient_language, "An account has been prepared for you", "Er is een account voor je klaargezet"
    )


def test_the_invitation_form_offers_the_sites_language_first(english, officer, mira):
    page = english(officer).get(reverse("invitation_create")).content.decode()
    assert "Language of the e-mails" in page
    assert f'<option value="{settings.LANGUAGE_CODE}" selected>' in page


def test_without_a_choice_the_invitation_is_in_the_sites_language(english, officer, mira, mailoutbox):
    response = english(officer).post(
        reverse("invitation_create"), {"email": "mira@example.org", "role": Role.PARENT, "member": mira.pk}
    )
    assert response.status_code == 302
    assert Invitation.objects.get().language == settings.LANGUAGE_CODE == "nl"
    assert "Er is een account voor je klaargezet" in mailoutbox[0].body


def test_an_unknown_language_is_refused_and_nothing_is_sent(english, officer, mira, mailoutbox):
    response = english(officer).post(
        reverse("invitation_create"),
        {"email": "mira@example.org", "role": Role.PARENT, "member": mira.pk, "language": "de"},
    )
    assert response.status_code == 400
    assert "Choose the language of the e-mails." in response.content.decode()
    assert not Invitation.objects.exists() and mailoutbox == []


def test_the_account_keeps_the_language_of_its_invitation(login, officer, mira, mailoutbox, client):
    login(officer).post(
        reverse("invitation_create"),
        {"email": "mira@example.org", "role": Role.PARENT, "member": mira.pk, "language": "en"},
    )
    link = mailoutbox[0].body.split("/invitation/")[1].split("/")[0]
    password = "a long and fine passphrase 42"
    response = client.post(reverse("invitation_accept", args=[link]), {"password1": password, "password2": password})
    assert response.status_code == 302
    assert User.objects.get(email="mira@example.org").language == "en"


# The language switch keeps the choice of someone signed in


def test_picking_a_language_while_signed_in_keeps_it_on_the_account(login, parent):
    client = login(parent)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    parent.refresh_from_db()
    assert parent.language == "en" and parent.preferred_language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    parent.refresh_from_db()
    assert parent.language == "en"


def test_the_choice_of_language_is_in_the_accounts_changes(login, parent):
    login(parent).post(reverse("set_language"), {"language": "en", "next": "/"})
    event = AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CHANGED).latest("id")
    assert event.detail["changes"] == {"language": {"before": "", "after": "en"}}


# The mails of the sign-in (django-allauth)


@pytest.mark.parametrize(("recipient_language", "sender_language"), LANGUAGE_PAIRS)
def test_the_password_reset_mail_is_in_the_recipients_language(
    client, parent, mailoutbox, recipient_language, sender_language
):
    prefer(parent, recipient_language)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = sender_language
    response = client.post("/accounts/password/reset/", {"email": parent.email})
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert ("Password Reset" in mail.subject) is (recipient_language == "en")
    assert ("Nieuw wachtwoord" in mail.subject) is (recipient_language == "nl")
    assert foreign_phrases(mail.body, recipient_language) == []


def test_signing_in_opens_the_pages_in_the_language_chosen_before(client, parent):
    prefer(parent, "en")
    response = client.post("/accounts/login/", {"login": parent.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_signing_in_without_a_choice_leaves_the_language_alone(client, parent):
    response = client.post("/accounts/login/", {"login": parent.email, "password": PASSWORD})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
