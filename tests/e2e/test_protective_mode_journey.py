"""Protective mode in a real browser. The officer starts it on a family where a parent
may be the exploiter; the mother's portal shows what it showed before and nothing that
gives the mode away; the supervisor confirms it from the dashboard; the officer closes
the concern with a reason. Every page is checked with axe."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from families.models import ProtectiveMode
from families.services.messages import portal_message_send
from tests.e2e.conftest import assert_no_violations, submit_main_form
from tests.factories import HouseholdMemberFactory

REASON = "Noor zei dat ze thuis niet kan praten als haar stiefvader er is."
EARLIER_MESSAGE = "Tot donderdag om tien uur."


def link_selector(name: str, *args) -> str:
    return f"a[href='{reverse(name, args=args)}']"


def test_officer_starts_protective_mode_supervisor_confirms_and_the_portal_stays_still(
    page: Page, officer, supervisor, family, parent, axe, at, url, sign_in, sign_out
):
    HouseholdMemberFactory(family=family, full_name="Sam Stiefvader", relation="stepfather", user=None)
    portal_message_send(family=family, author=officer, text=EARLIER_MESSAGE, from_parent=False)

    sign_in(page, officer)
    page.goto(url("families:detail", family.pk))
    page.locator(f"main {link_selector('families:protective_mode', family.pk)}").first.click()
    expect(page).to_have_url(at("families:protective_mode", family.pk))
    assert_no_violations(axe, page)

    submit_main_form(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#id_reason_error")).to_contain_text("Zeg waarom.")
    assert_no_violations(axe, page)
    assert not ProtectiveMode.objects.exists()

    page.locator("#id_reason").fill(REASON)
    submit_main_form(page)
    expect(page.locator("#protective-mode")).to_contain_text("er komt niets nieuws bij de ouders")
    assert_no_violations(axe, page)
    sign_out(page)

    sign_in(page, parent)
    page.goto(url("portal:messages"))
    expect(page.get_by_text(EARLIER_MESSAGE)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("bescherm")
    sign_out(page)

    sign_in(page, supervisor)
    page.goto(url("dashboard"))
    row = page.locator("#attention-protective_mode tbody tr")
    expect(row).to_have_count(1)
    assert_no_violations(axe, page)
    row.locator(link_selector("families:protective_mode_confirm", family.pk)).click()
    expect(page).to_have_url(at("families:protective_mode_confirm", family.pk))
    expect(page.get_by_text(REASON)).to_be_visible()
    assert_no_violations(axe, page)
    submit_main_form(page)
    expect(page).to_have_url(at("families:protective_mode", family.pk))
    expect(page.locator("#protective-mode")).to_contain_text("Bevestigd door een teamleider.")
    assert_no_violations(axe, page)
    assert ProtectiveMode.objects.get().confirmed_by == supervisor

    page.locator(link_selector("families:protective_mode_close", family.pk)).click()
    submit_main_form(page)
    expect(page.locator("#id_note_error")).to_contain_text("Zeg waarom.")
    assert_no_violations(axe, page)
    page.locator("#id_note").fill("De signalen bleken een andere oorzaak te hebben.")
    submit_main_form(page)
    expect(page.locator("#protective-mode")).to_have_count(0)
    expect(page.get_by_text("Waarom hij eindigde")).to_be_visible()
    assert_no_violations(axe, page)
    assert not ProtectiveMode.objects.get().holds
