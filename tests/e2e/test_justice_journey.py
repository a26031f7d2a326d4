"""The justice journey in a real browser: the police partner records the report and a
coming hearing with a text for the parents and approves it; the parent reads it in the
portal (and not the staff-only detail); the officer records who attends the hearing.
Every page on the way is checked with axe."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from families.models import CaseMilestone, CriminalCase
from tests.e2e.conftest import assert_no_violations
from tests.factories import ChildFactory

PARENTS_TEXT = "There will be a court hearing. Your liaison officer can come with you."
STAFF_DETAIL = "MARKER-STAFF-ONLY-DETAIL"
POLICE_NOTE = "MARKER-POLICE-ONLY-NOTE"


def main_button(page: Page) -> None:
    page.get_by_role("main").locator("form button[type='submit']").first.click()


def fill_step(page: Page, *, kind: str, on, planned: bool, court: str = "", hearing_kind: str = "") -> None:
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_occurs_on").fill(on.isoformat())
    if planned:
        page.locator("#id_is_planned").check()
    if court:
        page.locator("#id_court").fill(court)
        page.locator("#id_hearing_kind").select_option(hearing_kind)


def test_police_record_and_approve_the_parent_reads_the_officer_records_attendance(
    page: Page, new_context, axe, officer, police, parent, family, url, at, sign_in, sign_out
):
    child = ChildFactory(family=family, full_name="Noor Jansen")
    today = timezone.localdate()
    hearing_on = today + timedelta(days=21)

    # 1. The police partner records the criminal case.
    sign_in(page, police)
    page.goto(url("families:justice", family.pk))
    assert_no_violations(axe, page)
    page.goto(url("families:criminal_case_add", family.pk))
    page.locator("#id_child").select_option(str(child.pk))
    page.locator("#id_police_reference").fill("ZP-2026-0099")
    page.locator("#id_opened_on").fill((today - timedelta(days=10)).isoformat())
    page.locator("#id_police_note").fill(POLICE_NOTE)
    assert_no_violations(axe, page)
    main_button(page)
    expect(page).to_have_url(at("families:justice", family.pk))
    case = CriminalCase.objects.get(family=family)

    # 2. The report, then the coming hearing with a text for the parents.
    page.goto(url("families:milestone_add", family.pk, case.pk))
    fill_step(page, kind="report_made", on=today - timedelta(days=10), planned=False)
    main_button(page)
    expect(page).to_have_url(at("families:justice", family.pk))
    page.goto(url("families:milestone_add", family.pk, case.pk))
    fill_step(page, kind="hearing", on=hearing_on, planned=True, court="Rechtbank Noord", hearing_kind="trial")
    page.locator("#id_parents_text").fill(PARENTS_TEXT)
    page.locator("#id_staff_detail").fill(STAFF_DETAIL)
    assert_no_violations(axe, page)
    main_button(page)
    expect(page).to_have_url(at("families:justice", family.pk))
    hearing = CaseMilestone.objects.get(kind="hearing")
    assert not hearing.is_approved

    # 3. ... and approves it, with the date.
    page.goto(url("families:milestone_approve", family.pk, hearing.pk))
    page.locator("#id_parents_see_date").check()
    assert_no_violations(axe, page)
    main_button(page)
    expect(page).to_have_url(at("families:justice", family.pk))
    expect(page.locator(f"#step-{hearing.pk} .govuk-tag--green")).to_be_visible()
    assert_no_violations(axe, page)
    sign_out(page)

    # 4. The parent reads the approved text and the date, nothing of the staff detail.
    sign_in(page, parent)
    expect(page.get_by_role("main").locator(f"a[href='{reverse('portal:justice')}']")).to_be_visible()
    assert_no_violations(axe, page)
    page.goto(url("portal:justice"))
    main = page.get_by_role("main")
    expect(main).to_contain_text(PARENTS_TEXT)
    expect(main).to_contain_text(str(hearing_on.year))
    expect(main).not_to_contain_text(STAFF_DETAIL)
    expect(main).not_to_contain_text(POLICE_NOTE)
    expect(main).not_to_contain_text("ZP-2026-0099")
    assert_no_violations(axe, page)
    page.context.clear_cookies()

    # 5. The officer records that a parent and the officer attend the hearing.
    sign_in(page, officer)
    page.goto(url("families:milestone_edit", family.pk, hearing.pk))
    expect(page.locator("#id_police_note")).to_have_count(0)
    page.locator("#id_parent_attends").check()
    page.locator("#id_officer_attends").check()
    assert_no_violations(axe, page)
    main_button(page)
    expect(page).to_have_url(at("families:justice", family.pk))
    expect(page.get_by_role("main")).not_to_contain_text(POLICE_NOTE)
    assert_no_violations(axe, page)
    hearing.refresh_from_db()
    assert hearing.parent_attends and hearing.officer_attends
    assert hearing.is_approved, "attendance does not touch the parents' text, so the approval stands"
