"""Quick exit on a phone: by the button and by pressing Escape three times the parent
lands on the neutral site, the session is over, and the back button does not bring the
portal back."""

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_page(page: Page) -> Page:
    page.set_viewport_size(PHONE)
    # The neutral site is outside; the browser test answers for it.
    page.route(f"{settings.QUICK_EXIT_URL}**", lambda route: route.fulfill(body="<h1>Weather</h1>"))
    return page


def assert_left_the_portal(page: Page, url, at) -> None:
    expect(page).to_have_url(settings.QUICK_EXIT_URL)
    page.go_back()
    # Whatever the back button finds, it is no portal page: the session is over.
    expect(page.locator("#quick-exit")).to_have_count(0)
    page.goto(url("portal:home"))
    expect(page).to_have_url(at("account_login"))


def test_quick_exit_by_the_button(phone_page: Page, parent, family, sign_in, url, at):
    sign_in(phone_page, parent)
    phone_page.goto(url("portal:home"))
    button = phone_page.locator("#quick-exit button")
    expect(button).to_be_visible()
    button.click()
    assert_left_the_portal(phone_page, url, at)


def test_quick_exit_by_pressing_escape_three_times(phone_page: Page, parent, family, sign_in, url, at):
    sign_in(phone_page, parent)
    phone_page.goto(url("portal:about"))
    for _press in range(3):
        phone_page.keyboard.press("Escape")
    assert_left_the_portal(phone_page, url, at)


def test_two_presses_do_not_leave(phone_page: Page, parent, family, sign_in, url, at):
    sign_in(phone_page, parent)
    phone_page.goto(url("portal:home"))
    phone_page.keyboard.press("Escape")
    phone_page.keyboard.press("Escape")
    phone_page.wait_for_timeout(500)
    expect(phone_page).to_have_url(at("portal:home"))
