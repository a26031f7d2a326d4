"""A multi-agency meeting from scheduling to an action done, in a real browser and in
Dutch. The supervisor schedules a meeting with the police and the school, puts the family
on the agenda and opens the police's pack and the school's. After the meeting (its date
moved into the past, as time would) the supervisor minutes a decision and an action on
the family's item; at the next meeting the action is carried over, and the supervisor
marks it done there. Every page is checked with axe."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from families.models import ItemDecision, Meeting, MeetingAction
from tests.e2e.conftest import assert_no_violations, submit_main_form

DECISION = "MARKER-BESLUIT: school en politie stemmen de busroute af"
ACTION = "MARKER-ACTIE: mentor belt de ouders"


def schedule(page: Page, url, when, axe) -> Meeting:
    page.goto(url("meetings"))
    assert_no_violations(axe, page)
    page.get_by_role("main").locator(f"a[href='{reverse('meeting_schedule')}']").click()
    assert_no_violations(axe, page)
    page.locator("#id_kind_0").check()
    page.locator("#id_held_on").fill(when.isoformat())
    page.locator("#id_venue").fill("Stadhuis")
    page.locator("#id_chair").fill("Chris Voorzitter")
    page.locator("input[name='agencies'][value='police_vice']").check()
    page.locator("input[name='agencies'][value='school']").check()
    page.locator("#id_people_school").fill("Sue School")
    submit_main_form(page)
    return Meeting.objects.order_by("-pk").first()


def test_a_meeting_from_scheduling_to_an_action_done_at_the_next_meeting(
    page: Page, supervisor, family, axe, at, url, sign_in
):
    sign_in(page, supervisor)
    meeting = schedule(page, url, timezone.localdate() + timedelta(days=7), axe)
    expect(page).to_have_url(at("meeting", meeting.pk))
    assert_no_violations(axe, page)

    page.get_by_role("main").locator(f"a[href='{reverse('meeting_item_add', args=[meeting.pk])}']").click()
    assert_no_violations(axe, page)
    page.locator("input[name='kind'][value='family']").check()
    page.locator("#id_family").select_option(str(family.pk))
    page.locator("#id_presenter").fill("Olivia Officer")
    page.locator("#id_minutes_allotted").fill("15")
    submit_main_form(page)
    expect(page).to_have_url(at("meeting", meeting.pk))
    expect(page.get_by_role("main")).to_contain_text(family.reference)

    for agency in ("police_vice", "school"):
        page.get_by_role("main").locator(f"a[href='{reverse('meeting_pack', args=[meeting.pk, agency])}']").click()
        expect(page).to_have_url(at("meeting_pack", meeting.pk, agency))
        expect(page.get_by_role("main")).to_contain_text(family.reference)
        assert_no_violations(axe, page)
        page.goto(url("meeting", meeting.pk))

    # Before the meeting the minutes say when they can be written.
    page.locator("#minutes-link").click()
    expect(page).to_have_url(at("meeting_minutes", meeting.pk))
    expect(page.locator("#not-yet-held")).to_be_visible()
    assert_no_violations(axe, page)

    # The meeting took place two days ago.
    Meeting.objects.filter(pk=meeting.pk).update(held_on=timezone.localdate() - timedelta(days=2))
    item = meeting.items.get()
    page.goto(url("meeting_minutes", meeting.pk))
    expect(page.locator("#not-yet-held")).to_have_count(0)
    main = page.get_by_role("main")
    main.locator(f"a[href='{reverse('meeting_decision_add', args=[meeting.pk, item.pk])}']").click()
    assert_no_violations(axe, page)
    submit_main_form(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_violations(axe, page)
    assert not ItemDecision.objects.exists()
    page.locator("#id_text").fill(DECISION)
    submit_main_form(page)
    expect(page).to_have_url(at("meeting_minutes", meeting.pk))
    expect(page.get_by_role("main")).to_contain_text(DECISION)

    page.get_by_role("main").locator(f"a[href='{reverse('meeting_action_add', args=[meeting.pk, item.pk])}']").click()
    assert_no_violations(axe, page)
    page.locator("#id_description").fill(ACTION)
    page.locator("#id_owner_agency").select_option("school")
    page.locator("#id_owner_person").fill("Sue School")
    page.locator("#id_due_on").fill((timezone.localdate() + timedelta(days=400)).isoformat())
    submit_main_form(page)
    expect(page.locator("#id_due_on_error")).to_be_visible()
    assert_no_violations(axe, page)
    assert not MeetingAction.objects.exists()
    page.locator("#id_due_on").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    submit_main_form(page)
    expect(page).to_have_url(at("meeting_minutes", meeting.pk))
    expect(page.get_by_role("main")).to_contain_text(ACTION)
    assert_no_violations(axe, page)
    action = MeetingAction.objects.get()

    # The next meeting: the action is carried over until it is done.
    next_meeting = schedule(page, url, timezone.localdate() + timedelta(days=21), axe)
    expect(page).to_have_url(at("meeting", next_meeting.pk))
    expect(page.get_by_role("main")).to_contain_text(ACTION)
    assert_no_violations(axe, page)
    page.get_by_role("main").locator(
        f"a[href='{reverse('meeting_action_done', args=[next_meeting.pk, action.pk])}']"
    ).click()
    expect(page).to_have_url(at("meeting_action_done", next_meeting.pk, action.pk))
    assert_no_violations(axe, page)
    submit_main_form(page)
    expect(page.locator("#id_confirm_error")).to_be_visible()
    assert_no_violations(axe, page)
    page.locator("#id_confirm").check()
    submit_main_form(page)
    expect(page).to_have_url(at("meeting", next_meeting.pk))
    expect(page.get_by_role("main")).not_to_contain_text(ACTION)
    assert_no_violations(axe, page)
    action.refresh_from_db()
    assert action.done_on == timezone.localdate() and action.done_by == supervisor
