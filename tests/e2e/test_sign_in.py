"""Signing in and out in a real browser: the password form, the second factor for staff,
the landing page of each role, and the language switch in the header."""

import pytest
from playwright.sync_api import Page, expect

from liaison.accounts.second_factor import backup_device_for

# persona → (the named route of the role's home, its main heading in English)
HOMES = {
    "officer": ("families:caseload", "My caseload"),
    "supervisor": ("families:caseload", "Team families"),
    "police": ("families:caseload", "Linked families"),
    "administrator": ("home", "Administration"),
    "parent": ("portal:home", "My page"),
}


@pytest.mark.parametrize("persona", list(HOMES))
def test_each_role_signs_in_lands_home_and_signs_out(
    page: Page, request, persona, url, at, sign_in, sign_out, choose_language
):
    user = request.getfixturevalue(persona)
    route, heading = HOMES[persona]
    page.goto(url("account_login"))
    # In English, so that the headings below hold however far the Dutch catalogue is.
    choose_language(page, "en")

    sign_in(page, user)

    expect(page).to_have_url(at(route))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    sign_out(page)

    expect(page.locator("#id_login")).to_be_visible()
    page.goto(url("home"))
    expect(page).to_have_url(at("account_login"))


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police"])
def test_staff_cannot_reach_families_before_the_second_factor(page: Page, request, persona, family, url, at, sign_in):
    user = request.getfixturevalue(persona)
    sign_in(page, user, pass_second_factor=False)

    page.goto(url("families:caseload"))

    expect(page).to_have_url(at("second_factor_verify"))
    expect(page.locator("#id_token")).to_be_visible()
    expect(page.get_by_text(family.reference)).to_have_count(0)
    page.goto(url("families:detail", family.pk))
    expect(page).to_have_url(at("second_factor_verify"))


def test_switching_language_changes_lang_and_text(page: Page, url, at, choose_language):
    page.goto(url("account_login"))
    html = page.locator("html")
    current = page.locator("header [aria-current='true']")
    heading = page.get_by_role("heading", level=1)
    sign_in_button = page.get_by_role("main").get_by_role("button")
    password_label = page.locator("label[for='id_password']")
    expect(html).to_have_attribute("lang", "nl")
    expect(current).to_have_text("Nederlands")
    expect(heading).to_have_text("Inloggen")
    expect(sign_in_button).to_have_text("Inloggen")
    expect(password_label).to_have_text("Wachtwoord")

    choose_language(page, "en")

    expect(page).to_have_url(at("account_login"))
    expect(html).to_have_attribute("lang", "en")
    expect(current).to_have_text("English")
    expect(heading).to_have_text("Sign in")
    expect(sign_in_button).to_have_text("Sign in")
    expect(password_label).to_have_text("Password")
    expect(page.locator("header button[name='language'][value='nl']")).to_be_visible()


def test_a_backup_code_works_once(page: Page, officer, url, at, sign_in, sign_out):
    first, second, *_ = backup_device_for(officer).issue_codes(10)

    sign_in(page, officer, code=first)
    expect(page).to_have_url(at("families:caseload"))
    sign_out(page)

    sign_in(page, officer, pass_second_factor=False)
    page.locator("#id_token").fill(first)
    page.get_by_role("main").get_by_role("button").click()
    expect(page).to_have_url(at("second_factor_verify"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()

    page.goto(url("families:caseload"))
    expect(page).to_have_url(at("second_factor_verify"))

    page.locator("#id_token").fill(second)
    page.get_by_role("main").get_by_role("button").click()
    expect(page).to_have_url(at("families:caseload"))
    assert backup_device_for(officer).remaining == 8
