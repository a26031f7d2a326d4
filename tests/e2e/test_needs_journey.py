"""The parents' own needs, in a real browser and in Dutch. The officer records that the
mother has debts (first with a next step dated in the past, which is refused), then
changes it: the debt counsellor now helps, and no next step is set yet. The register keeps
both versions. The supervisor's dashboard lists the family among those with an open need
without a next step, and leads to the register. Every page is checked with axe."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from families.models import ParentNeed
from tests.e2e.conftest import assert_no_violations, submit_main_form

NOTE = "Moeder heeft betalingsachterstanden sinds Noor vermist raakte."
HELPER = "Schuldhulpmaatje Anouk"


def main_link(page: Page, name: str, *args):
    return page.get_by_role("main").locator(f"a[href='{reverse(name, args=args)}']").first


def record_the_debts(page: Page, family, axe, at, url) -> ParentNeed:
    page.goto(url("families:detail", family.pk))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Geen open behoeften van de ouders.")
    assert_no_violations(axe, page)
    main_link(page, "families:need_add", family.pk).click()
    expect(page).to_have_url(at("families:need_add", family.pk))
    assert_no_violations(axe, page)

    page.locator("#id_kind").select_option("debts")
    page.locator("#id_since_on").fill((timezone.localdate() - timedelta(days=30)).isoformat())
    page.locator("#id_next_step").fill("Aanmelden bij de schuldhulpverlening")
    page.locator("#id_next_on").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    page.locator("#id_note").fill(NOTE)
    submit_main_form(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Er is een probleem")
    expect(page.locator("#id_next_on_error")).to_contain_text(
        "De datum van de volgende stap kan niet in het verleden liggen."
    )
    assert_no_violations(axe, page)
    assert not ParentNeed.objects.exists()

    page.locator("#id_next_on").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    submit_main_form(page)
    expect(page).to_have_url(at("families:needs", family.pk))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("De behoefte is vastgelegd.")
    expect(page.get_by_role("main")).to_contain_text("Schulden en geld")
    assert_no_violations(axe, page)
    need = ParentNeed.objects.get()
    assert (need.kind, need.status, need.note) == ("debts", "open", NOTE)
    return need


def change_the_debts(page: Page, family, need, axe, at) -> None:
    main_link(page, "families:need_change", family.pk, need.pk).click()
    expect(page).to_have_url(at("families:need_change", family.pk, need.pk))
    expect(page.locator("#id_note")).to_have_value(NOTE)
    assert_no_violations(axe, page)

    page.locator("input[name='status'][value='being_helped']").check()
    page.locator("#id_agency").select_option("other")
    page.locator("#id_helper").fill(HELPER)
    page.locator("#id_next_step").fill("")
    page.locator("#id_next_on").fill("")
    submit_main_form(page)
    expect(page).to_have_url(at("families:needs", family.pk))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("De wijziging is opgeslagen.")
    main = page.get_by_role("main")
    expect(main).to_contain_text(HELPER)
    expect(main).to_contain_text("Nog geen volgende stap")
    main.locator("details summary").first.click()
    expect(main.locator("details").first).to_contain_text("Geschiedenis: 2 versies")
    expect(main.locator("details table").first).to_contain_text("Aanmelden bij de schuldhulpverlening")
    assert_no_violations(axe, page)
    need.refresh_from_db()
    assert (need.status, need.helper, need.revision, need.next_on) == ("being_helped", HELPER, 2, None)


def test_officer_records_and_changes_a_need_and_the_supervisor_sees_it(
    page: Page, officer, supervisor, family, axe, at, url, sign_in, sign_out
):
    sign_in(page, officer)
    need = record_the_debts(page, family, axe, at, url)
    change_the_debts(page, family, need, axe, at)
    page.goto(url("families:detail", family.pk))
    expect(page.get_by_role("main").locator("#needs")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(HELPER)
    assert_no_violations(axe, page)
    sign_out(page)

    sign_in(page, supervisor)
    page.goto(url("dashboard"))
    stalled = page.locator("#attention-needs_without_next_step")
    expect(stalled.locator("summary")).to_contain_text("Open behoeften van de ouders zonder volgende stap")
    expect(stalled.locator("tbody tr")).to_have_count(1)
    expect(stalled.locator("tbody tr")).to_contain_text(family.reference)
    expect(stalled.locator("tbody tr")).to_contain_text("1 open behoefte")
    assert_no_violations(axe, page)
    stalled.locator(f"a[href='{reverse('families:needs', args=[family.pk])}']").click()
    expect(page).to_have_url(at("families:needs", family.pk))
    expect(page.get_by_role("main")).to_contain_text(HELPER)
    assert_no_violations(axe, page)
