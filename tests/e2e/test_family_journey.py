"""A family case from referral to handover in a real browser: the officer opens the case
and records the household, a contact with a follow-up and a missing episode; the
supervisor hands the case over; the new officer reads the handover pack and takes it on."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from families.models import (
    ContactEntry,
    Family,
    FollowUpAction,
    Handover,
    HouseholdMember,
    LiaisonAssignment,
    MissingEpisode,
)
from tests.e2e.conftest import assert_no_violations, submit_main_form

FAMILY_NAME = "Family El Amrani"
CHILD_NAME = "Noor El Amrani"
CAREGIVER_NAME = "Fatima El Amrani"
FOLLOW_UP = "Ask the school about Noor's attendance"
HANDOVER_NOTE = "Mother prefers text messages in the morning. Never call the landline."

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def link_selector(name: str, *args) -> str:
    return f"a[href='{reverse(name, args=args)}']"


def link_to(page: Page, name: str, *args):
    """The link in the main content that leads to the named route."""
    return page.get_by_role("main").locator(link_selector(name, *args))


def open_case(page: Page, police_unit, at) -> Family:
    link_to(page, "families:open").click()
    expect(page).to_have_url(at("families:open"))
    page.locator("#id_display_name").fill(FAMILY_NAME)
    page.locator("#id_referral_on").fill(timezone.localdate().isoformat())
    page.locator("#id_referral_source").select_option("police")
    page.locator("#id_referral_note").fill("Referred by the vice unit after the child was found at a hotel.")
    page.locator("#id_police_unit").select_option(str(police_unit.pk))
    submit_main_form(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(FAMILY_NAME)
    family = Family.objects.get(display_name=FAMILY_NAME)
    expect(page).to_have_url(at("families:detail", family.pk))
    return family


def add_child(page: Page, family: Family, at) -> None:
    link_to(page, "families:child_add", family.pk).click()
    expect(page).to_have_url(at("families:child_add", family.pk))
    page.locator("#id_full_name").fill(CHILD_NAME)
    page.locator("#id_born_on").fill("2010-05-14")
    page.locator("#id_school").fill("Da Costa College")
    page.locator("#id_role").select_option("exploited")
    page.locator("#id_exploitation_kind").select_option("sexual")
    page.locator("#id_risk_level").select_option("high")
    submit_main_form(page)
    expect(page).to_have_url(at("families:detail", family.pk))
    expect(page.get_by_role("table", name="Kinderen")).to_contain_text(CHILD_NAME)


def add_caregiver(page: Page, family: Family, at) -> None:
    link_to(page, "families:member_add", family.pk).click()
    expect(page).to_have_url(at("families:member_add", family.pk))
    page.locator("#id_full_name").fill(CAREGIVER_NAME)
    page.locator("#id_relation").fill("mother")
    page.locator("#id_phone").fill("06 12345678")
    page.locator("#id_safe_times").fill("Weekdays between 9 and 12")
    page.locator("#id_safe_channel").select_option("text")
    page.locator("#id_never_call_number").fill("020 1234567")
    page.locator("#id_needs_interpreter").check()
    page.locator("#id_language").fill("Arabic")
    submit_main_form(page)
    expect(page).to_have_url(at("families:detail", family.pk))
    expect(page.locator(".govuk-summary-card", has_text=CAREGIVER_NAME)).to_contain_text("020 1234567")


def log_contact(page: Page, family: Family, at, axe) -> None:
    today = timezone.localdate()
    link_to(page, "families:contacts", family.pk).click()
    link_to(page, "families:contact_add", family.pk).click()
    expect(page).to_have_url(at("families:contact_add", family.pk))
    expect(page.locator("#id_occurred_at")).not_to_have_value("")

    submit_main_form(page)

    expect(page).to_have_url(at("families:contact_add", family.pk))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#id_kind_error")).to_be_visible()
    expect(page.locator("#id_summary_error")).to_be_visible()
    assert_no_violations(axe, page)

    page.locator("#id_kind").select_option("home_visit")
    page.locator("#id_with_whom").fill("Both parents")
    page.locator("#id_summary").fill("Talked through the night Noor went missing. The parents want a safety plan.")
    page.locator("#id_next_contact_on").fill((today + timedelta(days=7)).isoformat())
    page.locator("#id_follow_ups-0-description").fill(FOLLOW_UP)
    page.locator("#id_follow_ups-0-owner").fill("the liaison officer")
    page.locator("#id_follow_ups-0-due_on").fill((today + timedelta(days=3)).isoformat())
    submit_main_form(page)

    expect(page).to_have_url(at("families:contacts", family.pk))
    expect(page.get_by_role("main").get_by_role("table").first).to_contain_text(FOLLOW_UP)


def record_missing_episode(page: Page, family: Family, at) -> None:
    started_at = timezone.localtime() - timedelta(hours=3)
    link_to(page, "families:missing", family.pk).click()
    link_to(page, "families:missing_add", family.pk).click()
    expect(page).to_have_url(at("families:missing_add", family.pk))
    page.locator("#id_child").select_option(str(family.children.get().pk))
    page.locator("#id_started_at").fill(started_at.strftime(DATETIME_LOCAL))
    page.locator("#id_reported_to_police").check()
    page.locator("#id_police_reference").fill("2026-0412-77")
    submit_main_form(page)
    expect(page).to_have_url(at("families:missing", family.pk))
    expect(page.get_by_role("main")).to_contain_text(CHILD_NAME)


def hand_over(page: Page, family: Family, to_officer, url, at) -> None:
    page.goto(url("families:detail", family.pk))
    link_to(page, "families:handover_create", family.pk).click()
    expect(page).to_have_url(at("families:handover_create", family.pk))
    page.locator("#id_to_officer").select_option(str(to_officer.pk))
    page.locator("#id_reason").fill("Caseload balance")
    page.locator("#id_note").fill(HANDOVER_NOTE)
    submit_main_form(page)
    expect(page).to_have_url(at("families:detail", family.pk))
    expect(page.locator("#pending-handover")).to_contain_text(to_officer.full_name)


def test_a_family_is_recorded_handed_over_and_taken_on(
    page: Page,
    officer,
    supervisor,
    other_officer,
    team,
    police_unit,
    axe,
    artifacts,
    url,
    at,
    sign_in,
    sign_out,
):
    # A handover stays within the team, so the receiving officer has joined it.
    other_officer.team = team
    other_officer.save(update_fields=["team"])

    sign_in(page, officer)
    expect(page).to_have_url(at("families:caseload"))
    family = open_case(page, police_unit, at)
    add_child(page, family, at)
    add_caregiver(page, family, at)
    log_contact(page, family, at, axe)
    record_missing_episode(page, family, at)
    sign_out(page)

    sign_in(page, supervisor)
    hand_over(page, family, other_officer, url, at)
    sign_out(page)

    sign_in(page, other_officer)
    expect(page).to_have_url(at("families:caseload"))
    row = page.locator("main tbody tr", has=page.locator(link_selector("families:detail", family.pk)))
    expect(row).to_contain_text("Overdracht nog niet bevestigd")
    row.locator(link_selector("families:detail", family.pk)).click()
    expect(page).to_have_url(at("families:detail", family.pk))
    assert_no_violations(axe, page)

    link_to(page, "families:handover_acknowledge", family.pk).click()
    expect(page).to_have_url(at("families:handover_acknowledge", family.pk))
    expect(page.get_by_role("main")).to_contain_text(HANDOVER_NOTE)
    assert_no_violations(axe, page)

    with page.expect_download() as download_info:
        link_to(page, "families:handover_pack", family.pk).click()
    download = download_info.value
    pack = artifacts / "family-journey-handover-pack.pdf"
    download.save_as(pack)
    assert pack.read_bytes().startswith(b"%PDF")
    for revealing in (family.reference, "El Amrani", "Noor", "Fatima"):
        assert revealing not in download.suggested_filename

    submit_main_form(page)

    expect(page).to_have_url(at("families:detail", family.pk))
    expect(link_to(page, "families:handover_acknowledge", family.pk)).to_have_count(0)
    expect(page.locator("#pending-handover")).to_have_count(0)
    expect(page.get_by_role("table", name="Kinderen")).to_contain_text(CHILD_NAME)
    expect(page.get_by_role("main")).to_contain_text(FOLLOW_UP)
    assert_no_violations(axe, page)
    page.screenshot(path=artifacts / "family-journey.png", full_page=True)

    handover = Handover.objects.get(family=family)
    assert (handover.from_officer, handover.to_officer, handover.created_by) == (officer, other_officer, supervisor)
    assert handover.acknowledged_at is not None and handover.note == HANDOVER_NOTE
    family.refresh_from_db()
    assert family.liaison_officer == other_officer
    earlier, current = LiaisonAssignment.objects.filter(family=family).order_by("started_at")
    assert (earlier.officer, current.officer) == (officer, other_officer)
    assert earlier.ended_at == current.started_at and current.ended_at is None

    caregiver = HouseholdMember.objects.get(family=family)
    assert (caregiver.safe_channel, caregiver.never_call_number, caregiver.needs_interpreter) == (
        "text",
        "020 1234567",
        True,
    )
    contact = ContactEntry.objects.get(family=family)
    assert contact.created_by == officer
    assert contact.next_contact_on > timezone.localdate(contact.occurred_at)
    action = FollowUpAction.objects.get(family=family)
    assert (action.contact, action.description, action.completed_at) == (contact, FOLLOW_UP, None)
    episode = MissingEpisode.objects.get(family=family)
    assert episode.child.full_name == CHILD_NAME
    assert episode.reported_to_police and episode.ended_at is None
