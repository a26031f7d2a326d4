"""After a failed submit a screen-reader user hears first that something went wrong and
what: the title starts with "Fout:", the focus is on the error summary, each message in it
names its own field, and a link in it takes the focus to that field. Walked on a staff
form (an incident) and on the parents' form that asks three questions with one scale."""

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_violations, submit_main_form

SUMMARY = ".govuk-error-summary"


def messages_of(page: Page) -> list[str]:
    return [" ".join(text.split()) for text in page.locator(f"{SUMMARY} li").all_inner_texts()]


def assert_the_summary_takes_the_focus(page: Page) -> None:
    expect(page).to_have_title(re.compile(r"^Fout: "))
    expect(page.locator(SUMMARY)).to_be_focused()
    messages = messages_of(page)
    assert messages and len(messages) == len(set(messages)), messages


def assert_a_link_takes_the_focus_to_its_field(page: Page) -> None:
    link = page.locator(f"{SUMMARY} a").first
    target = link.get_attribute("href").removeprefix("#")
    link.click()
    expect(page.locator(f"#{target}")).to_be_focused()


def test_a_failed_staff_form_puts_the_focus_on_the_error_summary(page: Page, axe, officer, family, url, sign_in):
    sign_in(page, officer)
    page.goto(url("families:incident_add", family.pk))
    submit_main_form(page)

    assert_the_summary_takes_the_focus(page)
    assert_no_violations(axe, page)
    assert_a_link_takes_the_focus_to_its_field(page)


def test_a_failed_parents_form_puts_the_focus_on_the_error_summary(page: Page, axe, parent, url, at, sign_in):
    sign_in(page, parent)
    expect(page).to_have_url(at("portal:home"))
    page.locator(f"main a[href='{reverse('portal:rating')}']").click()
    submit_main_form(page)

    assert_the_summary_takes_the_focus(page)
    assert len(messages_of(page)) == 3
    assert_no_violations(axe, page)
    assert_a_link_takes_the_focus_to_its_field(page)
