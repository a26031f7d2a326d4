"""The client address behind the documented nginx: one function decides it, for the
lockout, allauth's rate limits and the audit trail. Without PROXY_COUNT the proxy header
is never read, so a client cannot choose its own address; with PROXY_COUNT=1 the last
address of X-Forwarded-For (the one nginx saw) is the client."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from liaison.audit.models import AuditAction, AuditEvent
from liaison.client_address import client_ip
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
NGINX = "127.0.0.1"
ATTACKER = "203.0.113.9"
COLLEAGUE = "198.51.100.7"


def behind_nginx(client_address: str, sent_by_client: str = "") -> dict:
    """What gunicorn receives from nginx: it appends the address it saw to whatever
    X-Forwarded-For the client sent ($proxy_add_x_forwarded_for)."""
    chain = f"{sent_by_client}, {client_address}" if sent_by_client else client_address
    return {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": chain}


def post_login(client: Client, email: str, password: str, **meta):
    return client.post(LOGIN, {"login": email, "password": password}, **meta)


@pytest.mark.parametrize(
    ("proxy_count", "meta", "expected"),
    [
        # No proxy: the header is ignored, whatever it says.
        (0, {"REMOTE_ADDR": "192.0.2.1"}, "192.0.2.1"),
        (0, {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": ATTACKER}, "192.0.2.1"),
        # nginx: the last address is the client; what the client sent before it is not read.
        (1, behind_nginx(COLLEAGUE), COLLEAGUE),
        (1, behind_nginx(ATTACKER, sent_by_client=COLLEAGUE), ATTACKER),
        (1, behind_nginx(ATTACKER, sent_by_client="not-an-address"), ATTACKER),
        (1, {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": "10.1.2.3"}, "10.1.2.3"),
        (1, {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": "2001:db8::7"}, "2001:db8::7"),
        # A load balancer before nginx: the second address from the right.
        (2, {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": f"{ATTACKER}, {COLLEAGUE}, 10.0.0.5"}, COLLEAGUE),
        # A request that did not pass the proxy (the health check on the app server itself).
        (1, {"REMOTE_ADDR": NGINX}, NGINX),
    ],
)
def test_one_function_decides_the_client_address(settings, proxy_count, meta, expected):
    settings.PROXY_COUNT = proxy_count
    request = RequestFactory().get("/", **meta)
    assert client_ip(request) == expected


def test_axes_and_allauth_ask_the_same_function(settings):
    from allauth.account.adapter import get_adapter
    from axes.helpers import get_client_ip_address

    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", **behind_nginx(COLLEAGUE, sent_by_client=ATTACKER))
    assert get_client_ip_address(request) == COLLEAGUE
    assert get_adapter(request).get_client_ip(request) == COLLEAGUE


# The lockout: five failures lock that account from that address, and only there.


def test_behind_the_proxy_failures_lock_the_user_from_the_attackers_address_only(settings, parent):
    settings.PROXY_COUNT = 1
    attacker = Client()
    for _ in range(5):
        post_login(attacker, parent.email, "wrong-password", **behind_nginx(ATTACKER))
    assert post_login(attacker, parent.email, PASSWORD, **behind_nginx(ATTACKER)).status_code == 429
    assert AccessAttempt.objects.get().ip_address == ATTACKER
    # The parent, from their own address through the same nginx, signs in.
    assert post_login(Client(), parent.email, PASSWORD, **behind_nginx(COLLEAGUE)).status_code == 302


def test_behind_the_proxy_the_lockout_is_per_user_and_address(settings, parent, officer):
    settings.PROXY_COUNT = 1
    office = Client()
    for _ in range(5):
        post_login(office, parent.email, "wrong-password", **behind_nginx(COLLEAGUE))
    assert post_login(Client(), parent.email, PASSWORD, **behind_nginx(COLLEAGUE)).status_code == 429
    # Another person at the same address is not locked out.
    assert post_login(Client(), officer.email, PASSWORD, **behind_nginx(COLLEAGUE)).status_code == 302


def test_behind_the_proxy_a_forged_header_does_not_escape_the_lockout(settings, parent):
    settings.PROXY_COUNT = 1
    attacker = Client()
    for number in range(5):
        forged = f"192.0.2.{number + 10}"
        post_login(attacker, parent.email, "wrong-password", **behind_nginx(ATTACKER, sent_by_client=forged))
    response = post_login(attacker, parent.email, PASSWORD, **behind_nginx(ATTACKER, sent_by_client="192.0.2.99"))
    assert response.status_code == 429


def test_without_a_proxy_the_header_is_ignored_by_the_lockout(settings, parent):
    settings.PROXY_COUNT = 0
    attacker = Client()
    for number in range(5):
        headers = {"REMOTE_ADDR": ATTACKER, "HTTP_X_FORWARDED_FOR": f"192.0.2.{number + 10}"}
        post_login(attacker, parent.email, "wrong-password", **headers)
    response = post_login(attacker, parent.email, PASSWORD, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=COLLEAGUE)
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == ATTACKER
    # Claiming the locked address in the header from elsewhere changes nothing either.
    response = post_login(Client(), parent.email, PASSWORD, REMOTE_ADDR=COLLEAGUE, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert response.status_code == 302


# allauth's own limit on sign-in attempts per address (30 a minute; 3 here).

FEW_LOGINS = {"login": "3/m/ip", "login_failed": None}


def _use_up_the_limit(meta: dict, parent) -> None:
    for _ in range(3):
        assert post_login(Client(), parent.email, "wrong-password", **meta).status_code == 200


def test_behind_the_proxy_allauths_limit_counts_per_client_not_for_the_whole_office(settings, parent, officer):
    settings.PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = FEW_LOGINS
    _use_up_the_limit(behind_nginx(ATTACKER), parent)
    assert post_login(Client(), parent.email, PASSWORD, **behind_nginx(ATTACKER)).status_code == 429
    assert post_login(Client(), officer.email, PASSWORD, **behind_nginx(COLLEAGUE)).status_code == 302
    forged = behind_nginx(ATTACKER, sent_by_client=COLLEAGUE)
    assert post_login(Client(), parent.email, PASSWORD, **forged).status_code == 429


def test_without_a_proxy_allauths_limit_ignores_the_header(settings, parent):
    settings.PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = FEW_LOGINS
    for number in range(3):
        post_login(Client(), parent.email, "wrong", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    response = post_login(Client(), parent.email, PASSWORD, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=COLLEAGUE)
    assert response.status_code == 429


# The audit trail records the client's address.


def test_behind_the_proxy_the_audit_trail_records_the_clients_address(settings, parent, login, officer, family):
    settings.PROXY_COUNT = 1
    post_login(Client(), parent.email, "wrong-password", **behind_nginx(ATTACKER, sent_by_client=COLLEAGUE))
    assert AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED).ip_address == ATTACKER
    post_login(Client(), parent.email, PASSWORD, **behind_nginx(COLLEAGUE))
    assert AuditEvent.objects.get(action=AuditAction.SIGN_IN).ip_address == COLLEAGUE
    login(officer).get(reverse("families:detail", args=[family.pk]), **behind_nginx("192.0.2.44"))
    assert AuditEvent.objects.get(action=AuditAction.CASE_VIEWED).ip_address == "192.0.2.44"


def test_without_a_proxy_the_audit_trail_ignores_the_header(settings, parent, login, officer, family):
    settings.PROXY_COUNT = 0
    post_login(Client(), parent.email, "wrong-password", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED).ip_address == "192.0.2.1"
    url = reverse("families:detail", args=[family.pk])
    login(officer).get(url, REMOTE_ADDR="192.0.2.2", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert AuditEvent.objects.get(action=AuditAction.CASE_VIEWED).ip_address == "192.0.2.2"
