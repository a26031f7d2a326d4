"""The police partner's journey through what waits for them, in a real browser: signed
in, the header counts what waits; the list shows the due dates with the overdue items
flagged; the partner confirms one item and the count drops. Every page is checked with axe."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from families.models import SharedInformation, SharedStatus
from tests.e2e.conftest import assert_no_violations, submit_main_form
from tests.liaison.test_police_reminders import agreed_plan, text_to_approve


def test_the_police_partner_sees_the_count_and_the_overdue_items_and_confirms_one(
    page: Page, axe, police, parent, family, url, at, sign_in
):
    two_weeks_ago = timezone.now() - timedelta(days=14)
    item = SharedInformation.objects.create(family=family, text="A grey car waited at the gate.", created_by=parent)
    SharedInformation.objects.filter(pk=item.pk).update(created_at=two_weeks_ago)
    agreed_plan(family, at=two_weeks_ago)
    text_to_approve(family, at=timezone.now())

    # 1. Signed in, the header says how many things wait for the police partner.
    sign_in(page, police)
    count = page.locator("#police-waiting-count")
    expect(count).to_have_text("3 items")
    assert_no_violations(axe, page)

    # 2. The list shows the due dates, the overdue ones flagged (in words, not by colour alone).
    page.locator(f"nav a[href='{reverse('families:shared_waiting')}']").click()
    expect(page).to_have_url(at("families:shared_waiting"))
    main = page.get_by_role("main")
    expect(main.locator("td .govuk-tag--red")).to_have_count(2)
    expect(main.locator("#texts-waiting .govuk-tag--red")).to_have_count(0)
    assert_no_violations(axe, page)

    # 3. The partner confirms the shared item ...
    main.locator(f"a[href='{reverse('families:shared_acknowledge', args=[family.pk, item.pk])}']").click()
    expect(page).to_have_url(at("families:shared_acknowledge", family.pk, item.pk))
    page.locator(f"input[name='status'][value='{SharedStatus.RECEIVED}']").check()
    assert_no_violations(axe, page)
    submit_main_form(page)
    expect(page).to_have_url(at("families:shared", family.pk))

    # 4. ... and the count drops.
    expect(page.locator("#police-waiting-count")).to_have_text("2 items")
    item.refresh_from_db()
    assert item.status == SharedStatus.RECEIVED and item.acknowledged_by == police
    page.goto(url("families:shared_waiting"))
    expect(page.get_by_role("main").locator("td .govuk-tag--red")).to_have_count(1)
    assert_no_violations(axe, page)
