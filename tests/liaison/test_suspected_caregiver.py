"""A caregiver marked as suspected gets into nothing: not by signing in, not with an
old invitation, not through a password reset; and their open sessions end. Each refusal
looks like an ordinary failure, so nothing tells them that they were shut out."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from families.services.household import suspicion_mark
from liaison.accounts.models import Invitation, Role, User
from tests.factories import PASSWORD, HouseholdMemberFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Correct-horse-battery-9"


def sign_in(email: str, password: str = PASSWORD):
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response


def test_a_suspected_caregiver_is_refused_like_a_wrong_password(suspect_caregiver, parent):
    _client, refused = sign_in(suspect_caregiver.email)
    _client, wrong = sign_in(parent.email, "not-the-password")
    assert refused.status_code == wrong.status_code == 200
    assert refused.context["form"].errors == wrong.context["form"].errors
    assert "_auth_user_id" not in _client.session


def test_the_other_parent_still_signs_in(suspect_caregiver, parent):
    client, response = sign_in(parent.email)
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_marking_ends_the_sessions_the_caregiver_already_has(login, officer, family):
    member = HouseholdMemberFactory(family=family, full_name="Rik Stepfather", user__email="rik@example.org")
    client = login(member.user)
    assert client.get(reverse("portal:home")).status_code == 200
    suspicion_mark(member=member, marked_by=officer, reason="Child disclosed abuse")
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_no_password_reset_mail_reaches_a_suspected_caregiver(suspect_caregiver, parent, mailoutbox):
    client = Client()
    for email in (suspect_caregiver.email, parent.email):
        response = client.post(reverse("account_reset_password"), {"email": email})
        assert response.status_code == 302
    assert [mail.to for mail in mailoutbox] == [[parent.email]]


def invite_member(login, officer, member, *, email: str):
    return login(officer).post(reverse("invitation_create"), {"email": email, "role": Role.PARENT, "member": member.pk})


def test_an_invitation_sent_before_the_mark_no_longer_works(login, officer, family, mailoutbox):
    member = HouseholdMemberFactory(family=family, full_name="Rik Stepfather", user=None)
    invite_member(login, officer, member, email="rik@example.org")
    link = re.search(r"https?://[^/]+(/invitation/[^/\s]+/)", mailoutbox[0].body).group(1)
    suspicion_mark(member=member, marked_by=officer, reason="Seen with the exploiter")

    response = Client().post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 404
    assert not User.objects.filter(email="rik@example.org").exists()
    assert Invitation.objects.get().revoked_at is not None


def test_a_suspected_caregiver_cannot_be_invited_again(login, officer, family, mailoutbox):
    member = HouseholdMemberFactory(family=family, full_name="Rik Stepfather", user=None, email="rik@example.org")
    suspicion_mark(member=member, marked_by=officer, reason="Seen with the exploiter")
    assert invite_member(login, officer, member, email="other@example.org").status_code == 400
    # Nor as another record of the same family under the same name, nor under their address.
    same_name = HouseholdMemberFactory(family=family, full_name="rik stepfather", user=None)
    assert invite_member(login, officer, same_name, email="new@example.org").status_code == 400
    someone = HouseholdMemberFactory(family=family, full_name="Someone", user=None)
    assert invite_member(login, officer, someone, email="RIK@example.org").status_code == 400
    assert not Invitation.objects.exists()
    assert mailoutbox == []
