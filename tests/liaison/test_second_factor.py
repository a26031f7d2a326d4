"""Staff need a verified TOTP device before any case page; parents may add one."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.models import BackupCode, Role
from liaison.accounts.second_factor import backup_device_for
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police", "administrator"])
def test_staff_are_sent_to_verify_before_any_page(request, login, family, persona):
    client = login(request.getfixturevalue(persona), verified=False)
    for url in ["/", "/families/", f"/families/{family.pk}/", "/invitations/", "/security/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("second_factor_verify"), url


def test_staff_without_a_device_are_sent_to_enrol(login, team):
    newcomer = UserFactory(role=Role.OFFICER, team=team)
    response = login(newcomer).get("/families/")
    assert response.status_code == 302 and response.url == reverse("second_factor_enrol")


def test_enrolment_shows_a_qr_code_and_the_secret_as_text(login, team):
    newcomer = UserFactory(role=Role.OFFICER, team=team)
    response = login(newcomer).get(reverse("second_factor_enrol"))
    body = response.content.decode()
    assert "<svg" in body
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    assert response.context["secret"].replace(" ", "") in body.replace(" ", "")
    assert device.config_url


def test_enrolment_with_the_right_code_gives_ten_hashed_backup_codes(login, team):
    newcomer = UserFactory(role=Role.OFFICER, team=team)
    client = login(newcomer)
    client.get(reverse("second_factor_enrol"))
    device = TOTPDevice.objects.get(user=newcomer)
    response = client.post(reverse("second_factor_enrol"), {"token": current_code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = BackupCode.objects.filter(device__user=newcomer).values_list("code_hash", flat=True)
    assert not set(codes) & set(stored)
    assert client.get("/families/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_ENROLLED, actor=newcomer).exists()


def test_enrolment_with_a_wrong_code_saves_nothing(login, team):
    newcomer = UserFactory(role=Role.OFFICER, team=team)
    client = login(newcomer)
    client.get(reverse("second_factor_enrol"))
    response = client.post(reverse("second_factor_enrol"), {"token": "000000"})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()
    assert not BackupCode.objects.filter(device__user=newcomer).exists()


def test_verify_with_the_current_code_opens_case_pages(login, officer, family):
    client = login(officer, verified=False)
    device = officer.totpdevice_set.get()
    response = client.post(reverse("second_factor_verify"), {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get(f"/families/{family.pk}/").status_code == 200


def test_a_totp_code_cannot_be_used_twice(login, officer):
    device = officer.totpdevice_set.get()
    code = current_code(device)
    first = login(officer, verified=False)
    assert first.post(reverse("second_factor_verify"), {"token": code}).status_code == 302
    second = login(officer, verified=False)
    response = second.post(reverse("second_factor_verify"), {"token": code})
    assert response.status_code == 400
    assert second.get("/families/").status_code == 302


def test_wrong_code_gets_a_clear_error_and_is_audited(english, officer):
    client = english(officer, verified=False)
    response = client.post(reverse("second_factor_verify"), {"token": "123"})
    assert response.status_code == 400
    assert "not right" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_FAILED).exists()


def test_an_empty_code_is_refused(login, officer):
    response = login(officer, verified=False).post(reverse("second_factor_verify"), {"token": ""})
    assert response.status_code == 400


def test_a_backup_code_works_once(login, officer):
    codes = backup_device_for(officer).issue_codes(10)
    first = login(officer, verified=False)
    assert first.post(reverse("second_factor_verify"), {"token": codes[0]}).status_code == 302
    assert first.get("/families/").status_code == 200
    second = login(officer, verified=False)
    assert second.post(reverse("second_factor_verify"), {"token": codes[0]}).status_code == 400
    assert second.post(reverse("second_factor_verify"), {"token": codes[1]}).status_code == 302
    assert backup_device_for(officer).remaining == 8


def test_new_backup_codes_replace_the_old_ones(login, officer):
    old = backup_device_for(officer).issue_codes(10)
    client = login(officer)
    response = client.post(reverse("backup_codes_regenerate"))
    assert len(response.context["codes"]) == 10
    assert login(officer, verified=False).post(reverse("second_factor_verify"), {"token": old[0]}).status_code == 400


def test_parents_need_no_second_factor_until_they_enrol_one(login, parent, family):
    client = login(parent)
    assert client.get(reverse("portal:home")).status_code == 200
    client.get(reverse("second_factor_enrol"))
    device = TOTPDevice.objects.get(user=parent)
    client.post(reverse("second_factor_enrol"), {"token": current_code(device)})
    later = Client()
    later.force_login(parent, backend="liaison.accounts.authentication.AuthenticationBackend")
    response = later.get(reverse("portal:home"))
    assert response.status_code == 302 and response.url == reverse("second_factor_verify")


def test_the_admin_is_only_for_verified_administrators(login, administrator, officer):
    assert login(administrator).get("/admin/").status_code == 200
    assert login(administrator, verified=False).get("/admin/").status_code == 302
    response = login(officer).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert login(officer).get("/admin/login/").url.startswith("/accounts/login/")


def test_security_page_for_each_persona(login, officer, parent):
    assert login(officer).get(reverse("security")).status_code == 200
    assert login(parent).get(reverse("security")).status_code == 200
    assert login(officer).post(reverse("security")).status_code == 405
