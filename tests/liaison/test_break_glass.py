"""Emergency access: an officer or supervisor outside the family's work reads it for one
hour on a stated reason, never changes it; it is marked in the audit trail and the
family's supervisors hear of it without learning which family."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from liaison.access import CHANGE, EDIT_PLAN, SUPERVISE, VIEW, families_for
from liaison.accounts.models import BreakGlassAccess, Role
from liaison.audit.models import AuditAction, AuditEvent
from liaison.staff.services import break_glass_grant
from tests.factories import FamilyFactory, UserFactory
from tests.liaison.conftest import CASE_MARKER

pytestmark = pytest.mark.django_db

URL = "/emergency-access/"
REASON = "On call tonight: the family's officer cannot be reached and a child is missing."
MARKER = CASE_MARKER


def ask(client, family, reason=REASON, reference=None):
    return client.post(URL, {"reference": reference or family.reference, "reason": reason})


def test_the_link_on_the_caseload_is_for_officers_and_supervisors(english, officer, supervisor, police):
    for user, shown in ((officer, True), (supervisor, True), (police, False)):
        body = english(user).get(reverse("families:caseload")).content.decode()
        assert (URL in body) is shown, user


@pytest.mark.parametrize("persona", ["officer", "other_officer", "supervisor", "other_supervisor"])
def test_officers_and_supervisors_get_the_form_with_its_warning(request, english, persona):
    response = english(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Why do you need emergency access?" in body
    assert "supervisors are told at once" in body


@pytest.mark.parametrize("persona", ["police", "parent", "administrator", "outsider"])
def test_police_parents_and_administrators_cannot_use_it(request, english, family, persona):
    client = english(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert ask(client, family).status_code == 404
    assert not BreakGlassAccess.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS).exists()


@pytest.mark.parametrize("persona", ["police", "parent", "administrator"])
def test_the_service_refuses_them_too(request, family, persona):
    with pytest.raises(PermissionDenied):
        break_glass_grant(user=request.getfixturevalue(persona), family=family, reason=REASON)
    assert not BreakGlassAccess.objects.exists()


def test_a_wrong_method_is_refused(english, other_officer):
    assert english(other_officer).delete(URL).status_code == 405


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Enter why you need emergency access to this family"),
        ("      ", "Enter why you need emergency access to this family"),
        ("just looking", "The reason must be at least 20 characters"),
        ("   nineteen chars!!   ", "The reason must be at least 20 characters"),
    ],
)
def test_without_a_real_reason_nothing_is_granted(english, other_officer, family, reason, message, mailoutbox):
    client = english(other_officer)
    response = ask(client, family, reason=reason)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert not BreakGlassAccess.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS).exists()
    assert mailoutbox == []
    assert client.get(reverse("families:detail", args=[family.pk])).status_code == 404


def test_an_unknown_reference_says_only_that_there_is_no_such_family(english, other_officer, family, mailoutbox):
    response = ask(english(other_officer), family, reference="PL-1999-99999")
    assert response.status_code == 404
    assert "No family with this reference" in response.content.decode()
    assert not BreakGlassAccess.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("persona", ["other_officer", "other_supervisor"])
def test_with_a_reason_another_team_reads_the_family_but_never_changes_it(request, english, family, persona):
    user = request.getfixturevalue(persona)
    client = english(user)
    assert client.get(reverse("families:detail", args=[family.pk])).status_code == 404

    response = ask(client, family, reference=f"  {family.reference.lower()} ")
    assert response.status_code == 302
    assert response.url == reverse("families:detail", args=[family.pk])

    detail = client.get(reverse("families:detail", args=[family.pk]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "Emergency access until" in body
    assert "read only" in body
    assert "Family Jansen" in body
    assert client.get(reverse("families:contacts", args=[family.pk])).status_code == 200
    assert client.get(reverse("families:edit", args=[family.pk])).status_code == 404
    assert client.post(reverse("families:edit", args=[family.pk]), {"display_name": "X"}).status_code == 404
    for action in (CHANGE, SUPERVISE, EDIT_PLAN):
        assert not families_for(user, action).filter(pk=family.pk).exists(), action


def test_the_grant_lasts_one_hour_and_then_the_family_is_gone(english, other_officer, family):
    client = english(other_officer)
    before = timezone.now()
    ask(client, family)
    access = BreakGlassAccess.objects.get()
    assert access.user == other_officer
    assert access.family == family
    assert access.reason == REASON
    assert before <= access.granted_at <= timezone.now()
    assert access.expires_at - access.granted_at == timedelta(hours=1)
    assert client.get(reverse("families:detail", args=[family.pk])).status_code == 200

    BreakGlassAccess.objects.filter(pk=access.pk).update(
        granted_at=timezone.now() - timedelta(hours=2), expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(reverse("families:detail", args=[family.pk])).status_code == 404
    assert not families_for(other_officer, VIEW).filter(pk=family.pk).exists()


def test_the_service_takes_the_moment_it_is_granted(other_officer, family):
    an_hour_ago = timezone.now() - timedelta(hours=1, minutes=1)
    access = break_glass_grant(user=other_officer, family=family, reason=REASON, now=an_hour_ago)
    assert access.expires_at == an_hour_ago + timedelta(hours=1)
    assert not families_for(other_officer, VIEW).filter(pk=family.pk).exists()


def test_emergency_access_of_police_parents_or_administrators_opens_nothing(police, parent, administrator):
    """Even a grant row made by hand gives these roles nothing: the policy only looks for
    it for officers and supervisors."""
    elsewhere = FamilyFactory()
    for user in (police, parent, administrator):
        BreakGlassAccess.objects.create(
            user=user, family=elsewhere, reason=REASON, expires_at=timezone.now() + timedelta(hours=1)
        )
        assert not families_for(user, VIEW).filter(pk=elsewhere.pk).exists(), user.role


def test_the_grant_is_in_the_audit_trail_with_the_reason(english, other_officer, supervisor, family):
    ask(english(other_officer), family)
    access = BreakGlassAccess.objects.get()
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert event.actor == other_officer
    assert event.family_id == family.pk
    assert event.object_type == "accounts.BreakGlassAccess"
    assert event.object_id == str(access.pk)
    assert event.detail["reason"] == REASON
    assert event.detail["told"] == [supervisor.pk]


def test_reads_under_emergency_access_are_marked_and_usual_reads_are_not(english, officer, other_officer, family):
    english(officer).get(reverse("families:detail", args=[family.pk]))
    usual = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, actor=officer).latest("id")
    assert "break_glass" not in usual.detail

    client = english(other_officer)
    ask(client, family)
    client.get(reverse("families:contacts", args=[family.pk]))
    read = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, actor=other_officer).latest("id")
    assert read.family_id == family.pk
    assert read.detail["path"] == reverse("families:contacts", args=[family.pk])
    assert read.detail["break_glass"] is True
    assert read.detail["break_glass_access"] == BreakGlassAccess.objects.get().pk


def test_a_read_the_usual_access_allows_is_not_marked_even_with_a_grant(english, officer, team):
    """Team view lets the officer read a colleague's family anyway: the read rests on that,
    not on the emergency access they also hold."""
    team.team_view = True
    team.save()
    colleague_family = FamilyFactory(liaison_officer=UserFactory(role=Role.OFFICER, team=team), team=team)
    BreakGlassAccess.objects.create(
        user=officer, family=colleague_family, reason=REASON, expires_at=timezone.now() + timedelta(hours=1)
    )
    response = english(officer).get(reverse("families:detail", args=[colleague_family.pk]))
    assert response.status_code == 200
    assert "Emergency access until" not in response.content.decode()
    read = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, actor=officer).latest("id")
    assert "break_glass" not in read.detail


def test_the_supervisors_get_one_mail_each_that_names_nothing(
    english, other_officer, supervisor, other_supervisor, marked_family, mailoutbox
):
    second = UserFactory(role=Role.SUPERVISOR, team=supervisor.team, email="second@example.org", notify_by="none")
    UserFactory(role=Role.SUPERVISOR, team=supervisor.team, email="gone@example.org", is_active=False)
    ask(english(other_officer), marked_family)
    assert sorted(message.to[0] for message in mailoutbox) == [second.email, supervisor.email]
    assert all(len(message.to) == 1 and not message.cc and not message.bcc for message in mailoutbox)
    message = mailoutbox[0]
    assert "noodtoegang" in message.body  # in the site's language: the supervisors chose none
    everything = "\n".join([message.subject, message.body])
    for word in (
        marked_family.reference,
        marked_family.display_name,
        "Jansen",
        MARKER,
        REASON,
        "On call",
        other_officer.full_name,
        other_officer.email,
        marked_family.liaison_officer.full_name,
        f"/families/{marked_family.pk}",
    ):
        assert word not in everything, word


def test_someone_who_already_reads_the_family_is_just_sent_to_it(english, officer, family, mailoutbox):
    response = ask(english(officer), family)
    assert response.status_code == 302
    assert response.url == reverse("families:detail", args=[family.pk])
    assert not BreakGlassAccess.objects.exists()
    assert mailoutbox == []


def test_a_supervisor_sees_who_used_emergency_access_to_the_team_lately(
    english, other_officer, supervisor, other_supervisor, family
):
    ask(english(other_officer), family)
    body = english(supervisor).get(URL).content.decode()
    assert other_officer.full_name in body
    assert family.reference in body
    assert "On call tonight" in body
    assert reverse("family_access_log", args=[family.pk]) in body
    assert "On call tonight" not in english(other_supervisor).get(URL).content.decode()


def test_another_team_supervisor_under_emergency_access_does_not_see_who_looked(english, other_supervisor, family):
    client = english(other_supervisor)
    ask(client, family)
    body = client.get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "Who looked at this file" not in body
    assert client.get(reverse("family_access_log", args=[family.pk])).status_code == 404


def test_the_database_refuses_a_grant_without_a_reason(other_officer, family):
    with pytest.raises(IntegrityError):
        BreakGlassAccess.objects.create(
            user=other_officer, family=family, reason="short", expires_at=timezone.now() + timedelta(hours=1)
        )
