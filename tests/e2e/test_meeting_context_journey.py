"""A context on the agenda of a meeting, in a real browser and in Dutch: the supervisor
puts a context of the team's family on the agenda; the meeting shows it only by its
kind, the police's pack holds the context as the family wrote it, the school's pack only
that there is an item about a context. Every page is checked with axe."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from families.models import AgendaItem
from families.services.contexts import context_link_record
from tests.e2e.conftest import assert_no_violations, submit_main_form
from tests.e2e.test_meeting_journey import schedule

MARKER = "Kevin Contextmarkerq"


def test_a_context_goes_on_the_agenda_and_only_into_the_packs_with_the_right_to_it(
    page: Page, supervisor, officer, family, axe, at, url, sign_in
):
    link = context_link_record(family=family, created_by=officer, kind="person", label=MARKER)
    sign_in(page, supervisor)
    meeting = schedule(page, url, timezone.localdate() + timedelta(days=7), axe)
    page.goto(url("meeting_item_add", meeting.pk))
    assert_no_violations(axe, page)
    page.locator("input[name='kind'][value='context']").check()
    submit_main_form(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_violations(axe, page)
    assert not AgendaItem.objects.exists()
    page.locator("input[name='kind'][value='context']").check()
    page.locator("#id_context_link").select_option(str(link.pk))
    page.locator("#id_presenter").fill("Sam Supervisor")
    page.locator("#id_minutes_allotted").fill("20")
    submit_main_form(page)
    expect(page).to_have_url(at("meeting", meeting.pk))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Context van een gezin: Betrokken persoon")
    expect(main).not_to_contain_text(MARKER)
    assert_no_violations(axe, page)

    for agency, shown in (("police_vice", True), ("school", False)):
        page.get_by_role("main").locator(f"a[href='{reverse('meeting_pack', args=[meeting.pk, agency])}']").click()
        expect(page).to_have_url(at("meeting_pack", meeting.pk, agency))
        main = page.get_by_role("main")
        expect(main).to_contain_text("Een punt over een context")
        if shown:
            expect(main).to_contain_text(MARKER)
        else:
            expect(main).not_to_contain_text(MARKER)
        assert_no_violations(axe, page)
        page.goto(url("meeting", meeting.pk))
