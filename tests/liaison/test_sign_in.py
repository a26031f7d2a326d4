"""Signing in with e-mail and password, lockout per user and address, sessions."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.accounts.middleware import LAST_SEEN_WRITE_SECONDS, SESSION_LAST_SEEN, SESSION_STARTED
from liaison.audit.models import AuditAction, AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def post_login(client: Client, email: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_every_page_but_the_public_ones_asks_to_sign_in(client, family):
    # The admin sends to its own login page first, which sends on to the one sign-in page.
    for url in ["/", "/families/", f"/families/{family.pk}/", "/security/", "/invitations/", "/admin/"]:
        response = client.get(url, follow=True)
        landing = urlsplit(response.redirect_chain[-1][0])
        assert landing.path == LOGIN and parse_qs(landing.query) == {"next": [url]}, url
        assert response.status_code == 200, url


def test_the_login_page_is_public(client):
    assert client.get(LOGIN).status_code == 200


def test_there_is_no_sign_up_page(client):
    assert client.get("/accounts/signup/").status_code in (302, 404)
    assert Client().post("/accounts/signup/", {"email": "x@example.org", "password1": "x"}).status_code in (302, 404)


def test_sign_in_with_email_and_password(client, parent):
    response = post_login(client, parent.email, PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=parent).exists()


def test_email_is_not_case_sensitive(client, parent):
    assert post_login(client, parent.email.upper(), PASSWORD).status_code == 302


def test_wrong_password_gets_a_clear_error_and_is_audited(client, parent):
    response = post_login(client, parent.email, "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].errors
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.actor_email == parent.email and event.ip_address == "10.0.0.1"


def test_wrong_password_message_is_translated(client, parent):
    response = client.post(LOGIN, {"login": parent.email, "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert "niet correct" in response.content.decode()


def test_five_failures_lock_that_account_from_that_address(client, parent):
    for _ in range(5):
        post_login(client, parent.email, "wrong-password")
    response = post_login(client, parent.email, PASSWORD)
    assert response.status_code == 429
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).exists()
    assert "30" in response.content.decode()


def test_lockout_does_not_lock_the_same_account_from_another_address(parent):
    attacker = Client()
    for _ in range(5):
        post_login(attacker, parent.email, "wrong-password", ip="10.6.6.6")
    assert post_login(Client(), parent.email, PASSWORD, ip="10.0.0.2").status_code == 302


def test_lockout_does_not_lock_another_user_behind_the_same_address(parent, officer):
    office = Client()
    for _ in range(5):
        post_login(office, parent.email, "wrong-password", ip="10.1.1.1")
    assert post_login(Client(), officer.email, PASSWORD, ip="10.1.1.1").status_code == 302


def test_lockout_message_is_translated(client, parent):
    for _ in range(6):
        response = client.post(
            LOGIN, {"login": parent.email, "password": "wrong"}, REMOTE_ADDR="10.2.2.2", HTTP_ACCEPT_LANGUAGE="nl"
        )
    assert response.status_code == 429
    assert "30 minuten" in response.content.decode()


def _age_session(client: Client, *, idle_seconds: int = 0, age_seconds: int = 0) -> None:
    session = client.session
    now = time.time()
    session[SESSION_LAST_SEEN] = now - idle_seconds
    session[SESSION_STARTED] = now - max(age_seconds, idle_seconds)
    session.save()


@pytest.mark.parametrize(("persona", "limit_minutes"), [("officer", 15), ("parent", 10)])
def test_idle_sessions_end_after_the_role_limit(request, login, family, persona, limit_minutes):
    client = login(request.getfixturevalue(persona))
    client.get("/")
    _age_session(client, idle_seconds=limit_minutes * 60 - 30)
    assert client.get("/security/").status_code == 200
    _age_session(client, idle_seconds=limit_minutes * 60 + 30)
    response = client.get("/security/")
    assert response.status_code == 302 and response.url == LOGIN
    assert client.get("/security/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SESSION_EXPIRED).exists()


def test_sessions_end_after_twelve_hours_even_when_active(login, officer):
    client = login(officer)
    client.get("/")
    _age_session(client, age_seconds=12 * 3600 + 60)
    session = client.session
    session[SESSION_LAST_SEEN] = time.time()
    session.save()
    assert client.get("/security/").status_code == 302


def test_sign_out_everywhere_ends_other_sessions_too(login, officer):
    laptop, phone = login(officer), login(officer)
    assert phone.get("/security/").status_code == 200
    assert laptop.get(reverse("sign_out_everywhere")).status_code == 200
    laptop.post(reverse("sign_out_everywhere"))
    assert phone.get("/security/").status_code == 302
    assert laptop.get("/security/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT_EVERYWHERE, actor=officer).exists()


def test_tampered_session_cookie_is_treated_as_signed_out(login, officer, settings):
    client = login(officer)
    client.cookies[settings.SESSION_COOKIE_NAME] = "tampered" + client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.get("/families/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)


@override_settings(AXES_ENABLED=True)
def test_post_without_csrf_token_is_refused_with_a_plain_page(parent):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"login": parent.email, "password": PASSWORD})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Traceback" not in body and "<html" in body
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()


def test_password_reset_sends_a_link_without_case_details(client, parent, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": parent.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_password_reset_for_an_unknown_address_reveals_nothing(client, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302


def _session_writes(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries if query["sql"].startswith("UPDATE") and "django_session" in query["sql"]]


@pytest.mark.parametrize("path", ["/health/", "/security/"])
def test_a_session_is_written_at_most_once_a_minute(login, officer, path):
    """Reading a page does not write the session each time: "last seen" is renewed only
    when it is a minute old, and the idle limit still counts from it."""
    client = login(officer)
    client.get(path)
    assert _session_writes(client, path) == []
    _age_session(client, idle_seconds=LAST_SEEN_WRITE_SECONDS + 1)
    assert len(_session_writes(client, path)) == 1
    assert _session_writes(client, path) == []
    assert time.time() - client.session[SESSION_LAST_SEEN] < LAST_SEEN_WRITE_SECONDS


def test_a_public_page_reads_the_session_and_nothing_of_the_person(login, officer):
    """The health check of a signed-in person reads their session only: neither the user
    nor their device, which every page that needs sign-in still reads."""
    client = login(officer)
    client.get("/health/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/health/").status_code == 200
    assert [query["sql"].split(" FROM ")[1].split()[0] for query in queries] == ['"django_session"']
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/security/").status_code == 200
    read = " ".join(query["sql"] for query in queries)
    assert '"accounts_user"' in read and '"otp_totp_totpdevice"' in read


@pytest.mark.parametrize(("persona", "limit_minutes"), [("officer", 15), ("parent", 10)])
def test_an_idle_session_ends_on_a_public_page_too(request, login, family, persona, limit_minutes):
    client = login(request.getfixturevalue(persona))
    client.get("/health/")
    _age_session(client, idle_seconds=limit_minutes * 60 - 30)
    assert client.get("/health/").status_code == 200
    _age_session(client, idle_seconds=limit_minutes * 60 + 30)
    response = client.get("/health/")
    assert response.status_code == 302 and response.url == LOGIN
    assert AuditEvent.objects.filter(action=AuditAction.SESSION_EXPIRED, detail__reason="idle").exists()
    assert client.get("/security/").status_code == 302


def test_an_old_session_ends_on_a_public_page_too(login, officer):
    client = login(officer)
    client.get("/health/")
    _age_session(client, age_seconds=12 * 3600 + 60)
    session = client.session
    session[SESSION_LAST_SEEN] = time.time()
    session.save()
    response = client.get("/health/")
    assert response.status_code == 302 and response.url == LOGIN
    assert AuditEvent.objects.filter(action=AuditAction.SESSION_EXPIRED, detail__reason="absolute").exists()


def test_sessions_ended_everywhere_stay_ended_after_a_public_page(login, officer):
    laptop, phone = login(officer), login(officer)
    laptop.post(reverse("sign_out_everywhere"))
    assert phone.get("/health/").status_code == 200
    assert phone.get("/security/").status_code == 302
