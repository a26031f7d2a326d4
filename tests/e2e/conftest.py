"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread, so Django's ORM (used here to
read codes and set up personas) must be told that this is safe.
"""

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from liaison.accounts.second_factor import has_confirmed_device, requires_second_factor
from tests.factories import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).parent
ARTIFACTS_DIR = Path(os.environ.get("TEST_ARTIFACTS_DIR", E2E_DIR.parent.parent / "artifacts"))

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # The people who use the system read Dutch; the browser says so, as theirs would.
    return {**browser_context_args, "locale": "nl-NL"}


@pytest.fixture(autouse=True)
def _live_server_with_fresh_database(transactional_db, live_server) -> None:
    """Every browser test talks to the live server, whose thread must see the test's rows."""


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where browser tests leave screenshots and rendered pages for people to look at
    (``artifacts/`` in the checkout unless TEST_ARTIFACTS_DIR says otherwise)."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture
def url(live_server) -> Callable[..., str]:
    """The live server's absolute address of a named route."""

    def absolute(name: str, *args) -> str:
        return f"{live_server.url}{reverse(name, args=args)}"

    return absolute


@pytest.fixture
def at() -> Callable[..., re.Pattern]:
    """A pattern for ``expect(page).to_have_url``: the named route, with or without a query."""

    def pattern(name: str, *args) -> re.Pattern:
        return re.compile(rf"^https?://[^/]+{re.escape(reverse(name, args=args))}(\?.*)?$")

    return pattern


def current_totp(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


# axe-core leaves WCAG 2.2's target size (2.5.8, 24 px) off by default; people tap on phones.
AXE_OPTIONS = {"rules": {"target-size": {"enabled": True}}}


def assert_no_violations(axe: Axe, page: Page) -> None:
    """axe-core finds nothing wrong with the page once it has fully loaded.

    A URL assertion passes as soon as the navigation commits, before the style sheets
    have arrived; axe must not judge colours of a half-styled page.
    """
    page.wait_for_load_state("load")
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def submit_main_form(page: Page) -> None:
    """Press the one button of the form in the main content (the header holds the language form)."""
    page.get_by_role("main").get_by_role("button").click()


@pytest.fixture
def choose_language() -> Callable[[Page, str], None]:
    """Press the language button in the header, as a person would."""

    def choose(page: Page, code: str) -> None:
        page.locator(f"header button[name='language'][value='{code}']").click()
        expect(page.locator("html")).to_have_attribute("lang", code)

    return choose


@pytest.fixture
def sign_out(at) -> Callable[[Page], None]:
    """Press "Sign out" in the navigation and land on the sign-in page."""

    def leave(page: Page) -> None:
        page.locator(f"nav form[action='{reverse('account_logout')}'] button").click()
        expect(page).to_have_url(at("account_login"))

    return leave


@pytest.fixture
def sign_in(url, at) -> Callable[..., None]:
    """Walk the real sign-in form and, for staff, the second-factor step.

    ``code`` replaces the current authenticator code (for example with a backup code);
    ``pass_second_factor=False`` stops on the code page. Someone who must still set up
    an authenticator is left on the enrolment page.
    """

    def walk(page: Page, user, *, code: str | None = None, pass_second_factor: bool = True) -> None:
        page.goto(url("account_login"))
        page.locator("#id_login").fill(user.email)
        page.locator("#id_password").fill(PASSWORD)
        submit_main_form(page)
        if not requires_second_factor(user):
            expect(page).not_to_have_url(at("account_login"))
            return
        if not has_confirmed_device(user):
            expect(page).to_have_url(at("second_factor_enrol"))
            return
        expect(page).to_have_url(at("second_factor_verify"))
        if not pass_second_factor:
            return
        page.locator("#id_token").fill(code or current_totp(user))
        submit_main_form(page)
        expect(page).not_to_have_url(at("second_factor_verify"))

    return walk
