"""The referral journey in a real browser: the officer refers the family to youth care with
a summary of the parts the mother agreed to, records her written consent, downloads the
summary as a PDF and, when youth care accepts, marks the referral accepted with the new
worker, who then stands on the agency timeline. Every page on the way is checked with axe."""

from io import BytesIO
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from families.models import Referral, ReferralStatus
from tests.e2e.conftest import assert_no_violations

SITUATION = "The parents look for support at home after their daughter went missing twice."


def main_button(page: Page) -> None:
    page.get_by_role("main").locator("form[method='post'] button[type='submit']").first.click()


def test_the_officer_refers_with_consent_downloads_the_summary_and_marks_it_accepted(
    page: Page, axe, officer, parent, family, url, at, sign_in, tmp_path: Path
):
    mother = parent.household_memberships.get()
    today = timezone.localdate().isoformat()

    # 1. From the agency timeline to the referral form.
    sign_in(page, officer)
    page.goto(url("families:agencies", family.pk))
    assert_no_violations(axe, page)
    page.get_by_role("link", name="Het gezin verwijzen naar een andere organisatie").click()
    expect(page).to_have_url(at("families:referral_add", family.pk))
    assert_no_violations(axe, page)

    # 2. Without a part or a consent the form says what is missing, and saves nothing.
    page.locator("#id_agency").select_option("youth_care")
    page.locator("#id_question").fill("Family support at home.")
    main_button(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_violations(axe, page)
    assert not Referral.objects.exists()

    # 3. The parts the mother agreed to, and her written consent.
    page.locator("input[name='parts'][value='situation']").check()
    page.locator("input[name='parts'][value='agencies']").check()
    page.locator("#id_situation").fill(SITUATION)
    page.locator("#id_sent_on").fill(today)
    page.locator("input[name='consent_route'][value='caregiver']").check()
    page.locator("#id_consent_given_by").select_option(str(mother.pk))
    page.locator("input[name='consent_manner'][value='written']").check()
    page.locator("#id_consent_on").fill(today)
    main_button(page)
    referral = Referral.objects.get()
    expect(page).to_have_url(at("families:referral", family.pk, referral.pk))
    expect(page.get_by_role("main")).to_contain_text(SITUATION)
    expect(page.get_by_role("main")).to_contain_text(mother.full_name)
    assert_no_violations(axe, page)

    # 4. The summary as a PDF, in English for this agency.
    page.locator("#summary-language").select_option("en")
    with page.expect_download() as download:
        page.get_by_role("button", name="De samenvatting downloaden (pdf)").click()
    saved = tmp_path / "summary.pdf"
    download.value.save_as(saved)
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(saved.read_bytes())).pages)
    assert "Referral summary" in text
    assert SITUATION.split(" after")[0] in text.replace("\n", " ")

    # 5. Youth care accepted: the referral is marked accepted with the new worker.
    page.get_by_role("link", name="De status wijzigen").click()
    expect(page).to_have_url(at("families:referral_status", family.pk, referral.pk))
    assert_no_violations(axe, page)
    page.locator("input[name='status'][value='accepted']").check()
    page.locator("#id_changed_on").fill(today)
    page.locator("#id_note").fill("Intake planned next week.")
    page.locator("#id_start_involvement").check()
    page.locator("#id_worker_name").fill("Ilse Intake")
    main_button(page)
    expect(page).to_have_url(at("families:referral", family.pk, referral.pk))
    expect(page.get_by_role("main")).to_contain_text("Intake planned next week.")
    assert_no_violations(axe, page)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED

    # 6. The agency timeline shows the new worker and the referral.
    page.goto(url("families:agencies", family.pk))
    expect(page.get_by_role("main")).to_contain_text("Ilse Intake")
    expect(page.get_by_role("main").get_by_role("link", name="Jeugdzorg")).to_be_visible()
    assert_no_violations(axe, page)
