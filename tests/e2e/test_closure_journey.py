"""Closing a case in a real browser: the officer asks, the supervisor finds the request
on the dashboard and approves it with a reason, the closed case stays readable, and the
supervisor reopens it when the family needs support again. Every page is checked with axe."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from families.models import ClosureRequest, FamilyStatus
from tests.e2e.conftest import assert_no_violations, submit_main_form

CLOSING_REASON = "Noor is veilig op haar nieuwe school en de ouders hebben geen steun meer nodig."


def link_selector(name: str, *args) -> str:
    return f"a[href='{reverse(name, args=args)}']"


def test_officer_asks_supervisor_approves_and_later_reopens(
    page: Page, officer, supervisor, family, axe, at, url, sign_in, sign_out
):
    sign_in(page, officer)
    page.goto(url("families:detail", family.pk))
    page.locator(f"main {link_selector('families:close', family.pk)}").click()
    expect(page).to_have_url(at("families:close", family.pk))
    assert_no_violations(axe, page)
    page.locator("#id_closing_reason").fill(CLOSING_REASON)
    submit_main_form(page)
    expect(page).to_have_url(at("families:detail", family.pk))
    expect(page.locator("#closure-requested")).to_be_visible()
    assert_no_violations(axe, page)
    sign_out(page)

    sign_in(page, supervisor)
    page.goto(url("dashboard"))
    row = page.locator("#attention-closure_requested tbody tr")
    expect(row).to_have_count(1)
    row.locator(link_selector("families:closure_decide", family.pk)).click()
    expect(page).to_have_url(at("families:closure_decide", family.pk))
    expect(page.get_by_text(CLOSING_REASON)).to_be_visible()
    assert_no_violations(axe, page)

    page.get_by_label("Dossier afsluiten", exact=True).check()
    submit_main_form(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_violations(axe, page)
    assert ClosureRequest.objects.get().pending

    page.locator("#id_reason").fill("Akkoord: de doelen zijn bereikt.")
    submit_main_form(page)
    expect(page).to_have_url(at("families:detail", family.pk))
    expect(page.locator("#case-closed")).to_be_visible()
    assert_no_violations(axe, page)
    family.refresh_from_db()
    assert family.status == FamilyStatus.CLOSED and family.archived_at is None

    page.locator(link_selector("families:reopen", family.pk)).click()
    expect(page).to_have_url(at("families:reopen", family.pk))
    assert_no_violations(axe, page)
    page.locator("#id_reason").fill("Noor is opnieuw vermist geweest.")
    submit_main_form(page)
    expect(page).to_have_url(at("families:detail", family.pk))
    expect(page.locator("#case-closed")).to_have_count(0)
    assert_no_violations(axe, page)
    family.refresh_from_db()
    assert family.status == FamilyStatus.ACTIVE
