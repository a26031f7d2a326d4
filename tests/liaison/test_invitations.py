"""No public sign-up: staff are invited by administrators and supervisors, parents by
their liaison officer. An invitation link expires and works once."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from families.models import HouseholdMember
from liaison.accounts.models import Invitation, Role, User
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import HouseholdMemberFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Correct-horse-battery-9"


def invite(client: Client, **data):
    return client.post(reverse("invitation_create"), data)


def link_from(mail) -> str:
    return re.search(r"https?://[^/]+(/invitation/[^/\s]+/)", mail.body).group(1)


@pytest.fixture
def mira(family):
    """A mother recorded in the household, without a portal account yet."""
    return HouseholdMemberFactory(family=family, full_name="Mira Jansen", relation="mother", user=None)


def test_officer_invites_a_parent_of_their_family(login, officer, family, mira, mailoutbox):
    response = invite(login(officer), email="Mira@Example.org", role=Role.PARENT, member=mira.pk)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.family, invitation.created_by) == ("mira@example.org", family, officer)
    assert (invitation.member, invitation.full_name, invitation.relation) == (mira, "Mira Jansen", "mother")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert family.display_name not in mail.body and family.reference not in mail.body
    assert family.display_name not in mail.subject
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_SENT, family_id=family.pk).exists()


def test_officer_cannot_invite_a_parent_to_someone_elses_family(login, other_officer, mira):
    response = invite(login(other_officer), email="x@example.org", role=Role.PARENT, member=mira.pk)
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_officer_cannot_invite_staff(login, officer, team):
    response = invite(login(officer), full_name="X", email="x@example.org", role=Role.SUPERVISOR, team=team.pk)
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_supervisor_invites_an_officer_to_their_own_team_only(login, supervisor, other_team, mailoutbox):
    client = login(supervisor)
    assert (
        invite(client, full_name="New", email="new@example.org", role=Role.OFFICER, team=other_team.pk).status_code
        == 400
    )
    response = invite(client, full_name="New", email="new@example.org", role=Role.OFFICER, team=supervisor.team.pk)
    assert response.status_code == 302
    assert Invitation.objects.get().team == supervisor.team


def test_administrator_invites_a_police_partner(login, administrator, police_unit, mailoutbox):
    response = invite(
        login(administrator), full_name="Pol", email="pol@example.org", role=Role.POLICE, police_unit=police_unit.pk
    )
    assert response.status_code == 302


def test_missing_team_gets_a_clear_error_and_saves_nothing(login, administrator, mailoutbox):
    response = invite(login(administrator), full_name="A", email="a@example.org", role=Role.OFFICER)
    assert response.status_code == 400
    assert "team" in response.context["form"].errors
    assert not Invitation.objects.exists() and not mailoutbox


def test_an_existing_account_cannot_be_invited_again(login, administrator, officer):
    response = invite(login(administrator), full_name="A", email=officer.email, role=Role.OFFICER, team=officer.team.pk)
    assert response.status_code == 400
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["police", "parent"])
def test_police_and_parents_cannot_invite(request, login, family, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("invitation_create")).status_code == 404
    assert client.get(reverse("invitation_list")).status_code == 404


def test_accepting_creates_the_account_links_the_member_and_works_once(login, officer, family, mira, mailoutbox):
    invite(login(officer), email="mira@example.org", role=Role.PARENT, member=mira.pk)
    link = link_from(mailoutbox[0])
    visitor = Client()
    assert visitor.get(link).status_code == 200
    response = visitor.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="mira@example.org")
    assert user.role == Role.PARENT and user.check_password(NEW_PASSWORD)
    assert HouseholdMember.objects.get(user=user) == mira
    assert family.household_members.count() == 1
    assert visitor.get(reverse("portal:home")).status_code == 200
    again = Client()
    assert again.get(link).status_code == 404
    assert again.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 404
    assert User.objects.filter(email="mira@example.org").count() == 1


def test_an_expired_invitation_does_not_work(login, supervisor, mailoutbox):
    invite(login(supervisor), full_name="New", email="new@example.org", role=Role.OFFICER, team=supervisor.team.pk)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().post(link_from(mailoutbox[0]), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 404
    assert "no longer valid" in response.content.decode() or "niet meer geldig" in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


def test_a_withdrawn_invitation_does_not_work(login, supervisor, mailoutbox):
    client = login(supervisor)
    invite(client, full_name="New", email="new@example.org", role=Role.OFFICER, team=supervisor.team.pk)
    invitation = Invitation.objects.get()
    assert client.get(reverse("invitation_revoke", args=[invitation.pk])).status_code == 200
    client.post(reverse("invitation_revoke", args=[invitation.pk]))
    assert Client().get(link_from(mailoutbox[0])).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_REVOKED).exists()


def test_only_the_inviter_or_an_administrator_may_withdraw(login, supervisor, other_officer, administrator):
    client = login(supervisor)
    invite(client, full_name="New", email="new@example.org", role=Role.OFFICER, team=supervisor.team.pk)
    invitation = Invitation.objects.get()
    assert login(other_officer).post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 404
    assert login(administrator).get(reverse("invitation_revoke", args=[invitation.pk])).status_code == 200


def test_a_weak_or_mismatched_password_is_refused_and_nothing_is_made(login, supervisor, mailoutbox):
    invite(login(supervisor), full_name="New", email="new@example.org", role=Role.OFFICER, team=supervisor.team.pk)
    link = link_from(mailoutbox[0])
    assert Client().post(link, {"password1": "short", "password2": "short"}).status_code == 400
    assert Client().post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}).status_code == 400
    assert not User.objects.filter(email="new@example.org").exists()
    assert Invitation.objects.get().status == "open"


def test_a_new_staff_member_must_enrol_a_second_factor_after_accepting(login, supervisor, mailoutbox):
    invite(login(supervisor), full_name="New", email="new@example.org", role=Role.OFFICER, team=supervisor.team.pk)
    visitor = Client()
    visitor.post(link_from(mailoutbox[0]), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    response = visitor.get("/families/")
    assert response.status_code == 302 and response.url == reverse("second_factor_enrol")


def test_invitation_list_shows_own_invitations_paginated(login, supervisor, mailoutbox):
    client = login(supervisor)
    invite(client, full_name="New", email="new@example.org", role=Role.OFFICER, team=supervisor.team.pk)
    response = client.get(reverse("invitation_list"))
    assert response.status_code == 200 and "new@example.org" in response.content.decode()
