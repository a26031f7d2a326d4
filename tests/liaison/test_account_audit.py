"""Every change to an account is in the audit trail with its values before and after,
whether an administrator made it in the admin or something else did: role, team, police
unit, the active flag and the second factor."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.models import NotifyBy, Role
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGE_EVENTS = (AuditAction.ROLE_CHANGED, AuditAction.ACCOUNT_CHANGED, AuditAction.SECOND_FACTOR_CHANGED)


def admin_change(client, user, **fields):
    """Save the account's form in the admin with these fields changed."""
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "team": user.team_id or "",
        "police_unit": user.police_unit_id or "",
        "phone": user.phone,
        "is_active": "on" if user.is_active else "",
    }
    data.update(fields)
    data = {key: value for key, value in data.items() if value != ""}
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


@pytest.fixture
def changes_of():
    """The account changes of a user made during the test itself, not by its fixtures."""
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def changes(user) -> list[AuditEvent]:
        events = AuditEvent.objects.filter(action__in=CHANGE_EVENTS, object_id=str(user.pk), id__gt=last)
        return list(events.order_by("id"))

    return changes


def test_a_team_change_in_the_admin_is_audited_with_before_and_after(
    login, administrator, officer, team, other_team, changes_of
):
    response = admin_change(login(administrator), officer, team=other_team.pk)
    assert response.status_code == 302
    (event,) = changes_of(officer)
    assert event.action == AuditAction.ACCOUNT_CHANGED
    assert (event.actor, event.object_type) == (administrator, "accounts.User")
    assert event.detail["changes"] == {
        "team": {"before": {"id": team.pk, "name": "Team North"}, "after": {"id": other_team.pk, "name": "Team South"}}
    }


def test_a_role_change_in_the_admin_is_audited_with_before_and_after(login, administrator, officer, changes_of):
    assert admin_change(login(administrator), officer, role=Role.SUPERVISOR).status_code == 302
    (event,) = changes_of(officer)
    assert event.action == AuditAction.ROLE_CHANGED and event.actor == administrator
    assert event.detail["changes"] == {"role": {"before": "officer", "after": "supervisor"}}


def test_a_move_to_the_police_changes_role_team_and_unit_in_one_event(
    login, administrator, officer, police_unit, team, changes_of
):
    client = login(administrator)
    assert admin_change(client, officer, role=Role.POLICE, team="", police_unit=police_unit.pk).status_code == 302
    (event,) = changes_of(officer)
    assert event.detail["changes"] == {
        "role": {"before": "officer", "after": "police"},
        "team": {"before": {"id": team.pk, "name": "Team North"}, "after": None},
        "police_unit": {"before": None, "after": {"id": police_unit.pk, "name": "Vice unit North"}},
    }


def test_switching_an_account_off_is_audited(login, administrator, officer, changes_of):
    assert admin_change(login(administrator), officer, is_active="").status_code == 302
    (event,) = changes_of(officer)
    assert event.detail["changes"] == {"is_active": {"before": True, "after": False}}


def test_personal_details_are_recorded_as_changed_without_their_values(login, administrator, officer, changes_of):
    client = login(administrator)
    response = admin_change(client, officer, full_name="Olga Renamed", email="olga@example.org", phone="0612345678")
    assert response.status_code == 302
    (event,) = changes_of(officer)
    assert event.detail["changes"] == {
        "email": {"changed": True},
        "full_name": {"changed": True},
        "phone": {"changed": True},
    }
    stored = str(event.detail)
    for value in ("Olga Renamed", "olga@example.org", "0612345678", "Olivia Officer", "officer@example.org"):
        assert value not in stored


def test_saving_the_form_unchanged_records_nothing(login, administrator, officer, changes_of):
    assert admin_change(login(administrator), officer).status_code == 302
    assert changes_of(officer) == []


def test_a_change_made_outside_the_admin_is_audited_too(officer, other_team, changes_of):
    officer.team = other_team
    officer.notify_by = NotifyBy.NONE
    officer.save()
    (event,) = changes_of(officer)
    assert event.actor is None
    assert event.detail["changes"]["team"]["after"] == {"id": other_team.pk, "name": "Team South"}
    assert event.detail["changes"]["notify_by"] == {"before": "email", "after": "none"}


def test_saves_that_change_nothing_of_the_account_cost_no_event(login, officer, changes_of):
    officer.end_all_sessions()
    login(officer).get("/")
    assert changes_of(officer) == []


def test_a_new_account_is_audited_with_its_role_and_team(team):
    user = UserFactory(role=Role.OFFICER, team=team)
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_CREATED, object_id=str(user.pk))
    assert event.detail["role"] == "officer"
    assert event.detail["changes"]["team"] == {"before": None, "after": {"id": team.pk, "name": "Team North"}}


# The second factor.


def test_removing_an_authenticator_in_the_admin_is_audited(login, administrator, officer, changes_of):
    device = officer.totpdevice_set.get()
    client = login(administrator)
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302
    (event,) = changes_of(officer)
    assert (event.action, event.actor) == (AuditAction.SECOND_FACTOR_CHANGED, administrator)
    assert event.detail["changes"] == {"authenticator": {"before": "confirmed", "after": "none"}}


def test_the_admin_never_shows_an_authenticators_secret(login, administrator, officer):
    device = officer.totpdevice_set.get()
    client = login(administrator)
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert change.status_code == 200
    assert device.key not in change.content.decode() and 'name="key"' not in change.content.decode()
    assert 'name="throttling_failure_timestamp' not in change.content.decode()
    assert client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk])).status_code == 403
    assert client.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk])).status_code == 403


def test_unconfirming_or_moving_an_authenticator_is_audited(administrator, officer, supervisor, changes_of):
    device = officer.totpdevice_set.get()
    device.confirmed = False
    device.save()
    assert changes_of(officer)[-1].detail["changes"] == {
        "authenticator": {"before": "confirmed", "after": "not_confirmed"}
    }
    device.confirmed = True
    device.user = supervisor
    device.save()
    assert changes_of(supervisor)[-1].detail["changes"] == {"authenticator": {"before": "none", "after": "confirmed"}}


def test_enrolling_records_the_new_factor_but_not_the_one_being_set_up(login, team, changes_of):
    parent = UserFactory(role=Role.PARENT)
    client = login(parent)
    client.get(reverse("second_factor_enrol"))
    assert changes_of(parent) == []
    device = TOTPDevice.objects.get(user=parent)
    device.confirmed = True
    device.save()
    kinds = [next(iter(event.detail["changes"])) for event in changes_of(parent)]
    assert kinds == ["authenticator"]


def test_backup_codes_are_a_second_factor_too(officer, changes_of):
    from liaison.accounts.services import backup_codes_issue

    backup_codes_issue(user=officer)
    (event,) = changes_of(officer)
    assert event.detail["changes"] == {"backup_codes": {"before": "none", "after": "confirmed"}}
