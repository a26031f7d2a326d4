"""The signed-in person and the device their session passed are read in one statement,
and judged exactly as django-otp judges them: only the person's own confirmed device,
as it is stored now, verifies the session."""

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.authentication import OTPMiddleware
from liaison.accounts.models import BackupCodeDevice, Role, User
from liaison.accounts.second_factor import backup_device_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_of(login):
    """A request carrying the session of the user signed in with that device id (the
    session already read, as the session middleware has it before the user is read)."""

    def make(user, persistent_id: str | None):
        client = login(user, verified=False)
        session = client.session
        if persistent_id is not None:
            session[DEVICE_ID_SESSION_KEY] = persistent_id
            session.save()
        request = RequestFactory().get("/")
        request.session = client.session
        request.session.keys()
        return request

    return make


def signed_in(request):
    """request.user as the authentication and second-factor middleware leave it."""
    AuthenticationMiddleware(lambda _request: None).process_request(request)
    return OTPMiddleware(lambda passed: passed.user)(request)


def stored_fields(device) -> dict:
    return {field.attname: getattr(device, field.attname) for field in device._meta.concrete_fields}


def test_the_user_and_their_authenticator_are_read_in_one_statement(session_of, officer, django_assert_num_queries):
    device = TOTPDevice.objects.get(user=officer)
    # What a failed try left behind is read as it is stored now.
    failed = {"throttling_failure_count": 2, "throttling_failure_timestamp": timezone.now()}
    TOTPDevice.objects.filter(pk=device.pk).update(**failed)
    request = session_of(officer, device.persistent_id)

    with django_assert_num_queries(1):
        user = signed_in(request)
        assert user.is_verified()
    assert stored_fields(user) == stored_fields(User.objects.get(pk=officer.pk))
    assert isinstance(user.otp_device, TOTPDevice)
    assert stored_fields(user.otp_device) == stored_fields(TOTPDevice.objects.get(pk=device.pk))
    assert user.otp_device.throttling_failure_count == 2
    assert request.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_session_passed_with_a_backup_code_is_read_in_one_statement(session_of, officer, django_assert_num_queries):
    device = backup_device_for(officer)
    request = session_of(officer, device.persistent_id)

    with django_assert_num_queries(1):
        user = signed_in(request)
        assert user.is_verified()
    assert isinstance(user.otp_device, BackupCodeDevice)
    assert stored_fields(user.otp_device) == stored_fields(BackupCodeDevice.objects.get(pk=device.pk))


def test_a_device_id_as_older_django_otp_wrote_it_still_verifies(session_of, officer):
    device = TOTPDevice.objects.get(user=officer)
    request = session_of(officer, f"django_otp.plugins.otp_totp.models.TOTPDevice/{device.pk}")
    assert signed_in(request).otp_device == device


def unconfirmed_authenticator(officer, other_officer):
    return TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=False).persistent_id


def deleted_authenticator(officer, other_officer):
    device = TOTPDevice.objects.get(user=officer)
    persistent_id = device.persistent_id
    device.delete()
    return persistent_id


def authenticator_of_someone_else(officer, other_officer):
    return TOTPDevice.objects.get(user=other_officer).persistent_id


def backup_codes_of_someone_else(officer, other_officer):
    return backup_device_for(other_officer).persistent_id


def unconfirmed_backup_codes(officer, other_officer):
    return BackupCodeDevice.objects.create(user=officer, name="backup codes", confirmed=False).persistent_id


@pytest.mark.parametrize(
    "device_of",
    [
        unconfirmed_authenticator,
        deleted_authenticator,
        authenticator_of_someone_else,
        backup_codes_of_someone_else,
        unconfirmed_backup_codes,
    ],
)
def test_only_the_users_own_confirmed_device_verifies(
    session_of, officer, other_officer, device_of, django_assert_num_queries
):
    request = session_of(officer, device_of(officer, other_officer))

    with django_assert_num_queries(1):
        user = signed_in(request)
        assert not user.is_verified()
    assert user.pk == officer.pk and user.otp_device is None
    # As django-otp does: the session forgets a device that does not verify it.
    assert DEVICE_ID_SESSION_KEY not in request.session


@pytest.mark.parametrize(
    "persistent_id",
    ["nothing.here/1", "accounts.nothing/1", f"otp_totp.totpdevice/{2**64}", "otp_totp.totpdevice/one", "junk"],
)
def test_anything_but_a_device_of_ours_takes_django_otps_path_and_never_verifies(session_of, officer, persistent_id):
    request = session_of(officer, persistent_id)
    user = signed_in(request)
    assert user.pk == officer.pk and not user.is_verified()
    assert DEVICE_ID_SESSION_KEY not in request.session


def test_a_user_read_before_the_middleware_is_verified_as_django_otp_does(session_of, officer):
    device = TOTPDevice.objects.get(user=officer)
    request = session_of(officer, device.persistent_id)
    request._cached_user = officer
    assert signed_in(request).otp_device == device


def test_a_switched_off_account_is_signed_out_even_with_its_device(session_of, officer):
    request = session_of(officer, TOTPDevice.objects.get(user=officer).persistent_id)
    User.objects.filter(pk=officer.pk).update(is_active=False)
    user = signed_in(request)
    assert not user.is_authenticated and not user.is_verified()


def test_sessions_ended_everywhere_stay_ended_with_the_device(session_of, officer):
    request = session_of(officer, TOTPDevice.objects.get(user=officer).persistent_id)
    officer.end_all_sessions()
    user = signed_in(request)
    assert not user.is_authenticated and not user.is_verified()


def test_a_parent_without_a_device_is_signed_in_unverified(session_of, family):
    parent = UserFactory(role=Role.PARENT)
    user = signed_in(session_of(parent, None))
    assert user.pk == parent.pk and not user.is_verified()


def test_a_verified_page_reads_no_device_of_its_own(login, officer):
    client = login(officer)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("families:caseload")).status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    assert any('LEFT OUTER JOIN "otp_totp_totpdevice"' in sql for sql in statements)
    others = [sql for sql in statements if 'LEFT OUTER JOIN "otp_totp_totpdevice"' not in sql]
    assert not any('FROM "otp_totp_totpdevice"' in sql for sql in others)


def test_a_page_that_needs_sign_in_gets_the_user_itself_not_a_lazy_stand_in(login, officer):
    """Once sign-in is checked the view and the access policy get the user itself (read
    through two lazy wrappers, every question of the policy cost two hops); a public page
    still reads no user at all."""
    client = login(officer)
    response = client.get(reverse("families:caseload"))
    assert type(response.wsgi_request.user) is User
    assert response.wsgi_request.user.pk == officer.pk and response.wsgi_request.user.is_verified()
    public = client.get(reverse("health"))
    assert type(public.wsgi_request.user) is not User


def test_a_page_refused_before_sign_in_keeps_the_anonymous_user(client):
    response = client.get(reverse("families:caseload"))
    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated


def test_a_parent_without_a_second_factor_is_read_with_one_statement(login, parent):
    """Whether a parent has an authenticator is read with them: no query of its own."""
    client = login(parent)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("portal:home")).status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    assert not any(sql.lstrip().startswith('SELECT 1 AS "a" FROM "otp_totp_totpdevice"') for sql in statements)
    assert not any('FROM "accounts_user" WHERE' in sql for sql in statements)
