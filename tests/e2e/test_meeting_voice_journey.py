"""The parents' voice in a multi-agency meeting, in a real browser and in Dutch. The officer
asks the parents from the family's page of meetings; the parent answers in the portal in
their own words (first an empty answer, which is refused); the supervisor's pack shows the
words as written; after the meeting the officer writes the note for the parents, about
police work, so the police partner approves it; the officer sends it and the parent reads
it under "What the meeting decided". Every page is checked with axe."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from families.models import Agency, Meeting, OutcomeNote, ParentsVoiceAnswer, ParentsVoiceRequest
from families.services import meetings
from tests.e2e.conftest import assert_no_violations, submit_main_form

WORDS = "MARKER-woorden: Mijn dochter is bang voor de jongens op de scooter."


def back_on_the_meetings(family) -> re.Pattern:
    """The family's page of meetings, at the item just worked on."""
    return re.compile(rf"^https?://[^/]+{re.escape(reverse('family_meetings', args=[family.pk]))}(#item-\d+)?$")


NOTE = "MARKER-notitie: De politie praat met de school. Uw begeleider belt u vrijdag."


def test_the_parents_words_reach_the_pack_and_the_note_reaches_the_parents(
    page: Page, new_context, officer, supervisor, police, parent, family, axe, at, url, sign_in
):
    meeting = meetings.meeting_schedule(
        scheduled_by=supervisor,
        kind="mace",
        held_on=timezone.localdate() + timedelta(days=7),
        chair="Chris Chair",
        venue="Stadhuis",
        attendances=[(Agency.POLICE_VICE, ""), (Agency.SCHOOL, "")],
    )
    item = meetings.agenda_item_add(
        meeting=meeting, added_by=supervisor, kind="family", family=family, presenter="Olivia", minutes_allotted=15
    )

    sign_in(page, officer)
    page.goto(url("families:detail", family.pk))
    page.get_by_role("navigation").locator(f"a[href='{reverse('family_meetings', args=[family.pk])}']").click()
    expect(page).to_have_url(back_on_the_meetings(family))
    assert_no_violations(axe, page)
    page.get_by_role("main").locator(f"a[href='{reverse('meeting_voice_ask', args=[item.pk])}']").click()
    expect(page).to_have_url(at("meeting_voice_ask", item.pk))
    assert_no_violations(axe, page)
    submit_main_form(page)
    expect(page).to_have_url(back_on_the_meetings(family))
    assert ParentsVoiceRequest.objects.filter(item=item).exists()
    assert_no_violations(axe, page)

    question = ParentsVoiceRequest.objects.get(item=item)
    parent_page = new_context().new_page()
    sign_in(parent_page, parent)
    parent_page.goto(url("portal:home"))
    parent_page.get_by_role("main").locator(f"a[href='{reverse('portal:meetings')}']").click()
    expect(parent_page).to_have_url(at("portal:meetings"))
    assert_no_violations(axe, parent_page)
    parent_page.get_by_role("main").locator(f"a[href='{reverse('portal:meeting_answer', args=[question.pk])}']").click()
    expect(parent_page).to_have_url(at("portal:meeting_answer", question.pk))
    assert_no_violations(axe, parent_page)
    submit_main_form(parent_page)
    expect(parent_page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_violations(axe, parent_page)
    assert not ParentsVoiceAnswer.objects.exists()
    parent_page.locator("#id_words").fill(WORDS)
    submit_main_form(parent_page)
    expect(parent_page).to_have_url(at("portal:meeting_answer", question.pk))
    expect(parent_page.get_by_role("main")).to_contain_text(WORDS)
    assert_no_violations(axe, parent_page)

    supervisor_page = new_context().new_page()
    sign_in(supervisor_page, supervisor)
    for agency in (Agency.SCHOOL, Agency.POLICE_VICE):
        supervisor_page.goto(url("meeting_pack", meeting.pk, agency))
        expect(supervisor_page.get_by_role("main")).to_contain_text(WORDS)
        assert_no_violations(axe, supervisor_page)

    Meeting.objects.filter(pk=meeting.pk).update(held_on=timezone.localdate() - timedelta(days=1))
    page.goto(url("family_meetings", family.pk))
    page.get_by_role("main").locator(f"a[href='{reverse('outcome_note_write', args=[item.pk])}']").click()
    expect(page).to_have_url(at("outcome_note_write", item.pk))
    assert_no_violations(axe, page)
    page.locator("#id_text").fill(NOTE)
    page.locator("#id_touches_police_work").check()
    submit_main_form(page)
    expect(page).to_have_url(back_on_the_meetings(family))
    assert OutcomeNote.objects.get().touches_police_work
    page.goto(url("outcome_note_send", item.pk))
    expect(page.locator("#not-offered")).to_be_visible()
    assert_no_violations(axe, page)

    police_page = new_context().new_page()
    sign_in(police_page, police)
    police_page.goto(url("family_meetings", family.pk))
    police_page.get_by_role("main").locator(f"a[href='{reverse('outcome_note_approve', args=[item.pk])}']").click()
    expect(police_page).to_have_url(at("outcome_note_approve", item.pk))
    expect(police_page.get_by_role("main")).to_contain_text(NOTE)
    assert_no_violations(axe, police_page)
    submit_main_form(police_page)
    expect(police_page).to_have_url(back_on_the_meetings(family))
    assert OutcomeNote.objects.get().approved_by == police

    page.goto(url("family_meetings", family.pk))
    page.get_by_role("main").locator(f"a[href='{reverse('outcome_note_send', args=[item.pk])}']").click()
    expect(page).to_have_url(at("outcome_note_send", item.pk))
    assert_no_violations(axe, page)
    submit_main_form(page)
    expect(page).to_have_url(back_on_the_meetings(family))
    assert OutcomeNote.objects.get().sent_at is not None

    parent_page.goto(url("portal:home"))
    parent_page.get_by_role("main").locator(f"a[href='{reverse('portal:meeting_notes')}']").click()
    expect(parent_page).to_have_url(at("portal:meeting_notes"))
    expect(parent_page.get_by_role("main")).to_contain_text(NOTE)
    assert_no_violations(axe, parent_page)
    parent_page.goto(url("portal:meeting_answer", question.pk))
    expect(parent_page.locator("#closed")).to_be_visible()
    expect(parent_page.locator("#id_words")).to_have_count(0)
    assert_no_violations(axe, parent_page)
