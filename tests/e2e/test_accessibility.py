"""axe-core finds no violations on the pages everyone passes through: signing in, the
second factor, and the first page of each role."""

import pytest
from playwright.sync_api import Page, expect

from liaison.accounts.models import Role
from tests.e2e.conftest import assert_no_violations
from tests.factories import UserFactory

HOMES = {
    "officer": "families:caseload",
    "supervisor": "families:caseload",
    "police": "families:caseload",
    "administrator": "home",
    "parent": "portal:home",
}


# Every id an aria-describedby or aria-labelledby names must exist, or the hint or error
# is never read out. axe only lists a missing one as "needs review", not as a violation.
BROKEN_ARIA_REFERENCES = """() => [...document.querySelectorAll("[aria-describedby], [aria-labelledby]")].flatMap(
  (element) => ["aria-describedby", "aria-labelledby"].flatMap(
    (name) => (element.getAttribute(name) || "").split(/\\s+/)
      .filter((id) => id && !document.getElementById(id))
      .map((id) => `${location.pathname} #${element.id} ${name}="${id}"`)))"""


@pytest.mark.parametrize("language", ["nl", "en"])
def test_sign_in_page(page: Page, axe, language, url, choose_language):
    page.goto(url("account_login"))
    if language != "nl":
        choose_language(page, language)

    assert_no_violations(axe, page)


def test_sign_in_page_with_errors(page: Page, axe, url):
    page.goto(url("account_login"))
    page.get_by_role("main").get_by_role("button").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()

    assert_no_violations(axe, page)


@pytest.mark.parametrize("persona", list(HOMES))
def test_home_of_each_role(page: Page, axe, request, persona, family, at, sign_in):
    """The family fixture puts one family on every staff caseload, so the table is checked too."""
    sign_in(page, request.getfixturevalue(persona))
    expect(page).to_have_url(at(HOMES[persona]))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    assert_no_violations(axe, page)


def test_second_factor_code_page(page: Page, axe, officer, sign_in):
    sign_in(page, officer, pass_second_factor=False)

    assert_no_violations(axe, page)


def test_second_factor_enrolment_page(page: Page, axe, team, sign_in):
    newcomer = UserFactory(role=Role.OFFICER, team=team, email="newcomer@example.org")

    sign_in(page, newcomer)

    expect(page.locator(".liaison-qr svg")).to_be_visible()
    expect(page.locator("#id_token")).to_be_visible()
    assert_no_violations(axe, page)


def test_hints_and_errors_are_tied_to_their_fields(page: Page, officer, team, url, sign_in, sign_out):
    broken = []
    page.goto(url("account_login"))
    page.get_by_role("main").get_by_role("button").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    broken += page.evaluate(BROKEN_ARIA_REFERENCES)

    sign_in(page, officer, pass_second_factor=False)
    page.locator("#id_token").fill("not-a-code")
    page.get_by_role("main").get_by_role("button").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    broken += page.evaluate(BROKEN_ARIA_REFERENCES)
    sign_out(page)

    sign_in(page, UserFactory(role=Role.OFFICER, team=team, email="newcomer@example.org"))
    broken += page.evaluate(BROKEN_ARIA_REFERENCES)

    assert broken == [], "\n".join(broken)
