"""Deny by default: every view asks for sign-in, and staff for a verified second factor,
unless the view itself is marked otherwise. The marks sit on the views, never on a list of
paths, so a new page cannot slip through under a public prefix."""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver, get_resolver, path, resolve, reverse
from django.urls.resolvers import RoutePattern

from liaison import urls as liaison_urls
from liaison.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"

# Anyone may reach these without signing in (marked ``login_not_required``).
PUBLIC_VIEWS = {
    "health",
    "favicon",
    "quick_exit",
    "invitation_accept",
    "set_language",
    "admin_login_redirect",
    # allauth marks its own entrance pages.
    "account_login",
    "account_logout",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_confirm_login_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
}
# A signed-in person reaches these before passing the second factor: the public views and
# those marked ``second_factor_not_required``.
BEFORE_SECOND_FACTOR_VIEWS = PUBLIC_VIEWS | {"second_factor_enrol", "second_factor_verify"}


def _patterns(resolver: URLResolver, route: str = "", namespace: str = "", plain: bool = True) -> Iterator:
    for pattern in resolver.url_patterns:
        full_route = route + str(pattern.pattern)
        is_plain = plain and isinstance(pattern.pattern, RoutePattern) and not pattern.pattern.converters
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, full_route, inner, is_plain)
        else:
            yield full_route, f"{namespace}{pattern.name}" if pattern.name else full_route, pattern.callback, is_plain


def reachable_views() -> list[tuple[str, object]]:
    """Every view a request can reach, by URL name (the route when it has none). A pattern
    hidden by an earlier one on the same path (allauth's sign-up, the admin's own login) is
    left out: no request reaches it."""
    return [
        (name, view)
        for route, name, view, plain in _patterns(get_resolver())
        if not plain or resolve(f"/{route}").func is view
    ]


def is_public(view) -> bool:
    return not getattr(view, "login_required", True)


def test_only_the_listed_views_are_public():
    assert {name for name, view in reachable_views() if is_public(view)} == PUBLIC_VIEWS


def test_only_the_listed_views_open_before_the_second_factor():
    before = {
        name for name, view in reachable_views() if is_public(view) or not getattr(view, "second_factor_required", True)
    }
    assert before == BEFORE_SECOND_FACTOR_VIEWS


def test_a_signed_out_visitor_of_a_case_page_is_sent_to_sign_in_and_back(client, family):
    url = reverse("families:detail", args=[family.pk])
    response = client.get(f"{url}?tab=contacts")
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={url}%3Ftab%3Dcontacts"


def test_the_admin_sends_a_signed_out_visitor_to_the_one_sign_in_page(client):
    response = client.get("/admin/accounts/user/", follow=True)
    landing = urlsplit(response.redirect_chain[-1][0])
    assert landing.path == LOGIN and parse_qs(landing.query) == {"next": ["/admin/accounts/user/"]}
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/health/", 200),
        ("get", LOGIN, 200),
        ("get", "/accounts/password/reset/", 200),
        ("get", "/invitation/no-such-token/", 404),
        ("post", "/exit/", 303),
        ("post", "/i18n/setlang/", 302),
    ],
)
def test_the_public_pages_answer_a_signed_out_visitor(client, method, url, status):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert not response.get("Location", "").startswith(LOGIN)


@pytest.mark.parametrize(("has_device", "target"), [(True, "second_factor_verify"), (False, "second_factor_enrol")])
def test_staff_without_a_verified_second_factor_are_sent_to_verify_or_enrol(login, team, family, has_device, target):
    officer = UserFactory(role=Role.OFFICER, team=team)
    if has_device:
        officer.totpdevice_set.create(name="authenticator", confirmed=True)
    response = login(officer, verified=False).get(reverse("families:detail", args=[family.pk]))
    assert response.status_code == 302 and response.url == reverse(target)


@pytest.mark.parametrize(
    ("method", "url_name", "status"),
    [
        ("get", "second_factor_verify", 200),
        ("post", "set_language", 302),
        ("post", "account_logout", 302),
        ("post", "quick_exit", 303),
    ],
)
def test_before_the_second_factor_staff_can_verify_switch_language_and_leave(login, officer, method, url_name, status):
    response = getattr(login(officer, verified=False), method)(reverse(url_name))
    assert response.status_code == status
    assert response.get("Location") != reverse("second_factor_verify")


def test_before_the_second_factor_staff_without_a_device_can_enrol(login, team):
    newcomer = UserFactory(role=Role.OFFICER, team=team)
    assert login(newcomer).get(reverse("second_factor_enrol")).status_code == 200


def new_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("A page someone added without a mark.")


# The project's pages plus new, unmarked ones, two of them under paths where public or
# second-factor pages already live.
NEW_PAGES = ["/health/details/", "/security/second-factor/devices/", "/team/new-page/"]
urlpatterns = [path(url.removeprefix("/"), new_page) for url in NEW_PAGES] + liaison_urls.urlpatterns


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", NEW_PAGES)
def test_a_new_page_without_a_mark_asks_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url == f"{LOGIN}?next={url}"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", NEW_PAGES)
def test_a_new_page_without_a_mark_asks_staff_for_the_second_factor(login, officer, url):
    response = login(officer, verified=False).get(url)
    assert response.status_code == 302 and response.url == reverse("second_factor_verify")
    assert login(officer).get(url).status_code == 200
