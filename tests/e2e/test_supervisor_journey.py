"""A supervisor's morning in a real browser: the team dashboard shows a family declining
two reviews in a row and a child back from a missing episode without a return
conversation; the supervisor records a supervision note, hands the second family to a
colleague, and reads and downloads the team report, whose CSV names no one."""

import csv
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from families.models import Family, Handover, LiaisonAssignment, MissingEpisode, ProgressReview, SupervisionNote
from families.models.household import RiskLevel
from liaison.accounts.models import Role
from tests.e2e.conftest import assert_no_violations, submit_main_form
from tests.factories import ChildFactory, FamilyFactory, UserFactory

DECLINING_CHILD = "Noor Jansen"
RETURNED_FAMILY = "Family Visser"
RETURNED_CHILD = "Daan Visser"
CALM_FAMILY = "Family de Boer"
CALM_CHILD = "Lotte de Boer"
COLLEAGUE_NAME = "Bram Bos"
SUPERVISION_NOTE = "Resilience fell twice. Olivia visits weekly and asks the school to join the next review."
HANDOVER_NOTE = "The father answers texts after six. The boy is back at school since Monday."


def link_selector(name: str, *args) -> str:
    return f"a[href='{reverse(name, args=args)}']"


def nav_link(page: Page, name: str):
    return page.get_by_role("navigation", name="Hoofdmenu").locator(link_selector(name))


def attention_row(page: Page, kind: str, family: Family):
    """The row of the family in one attention list of the dashboard."""
    return page.locator(f"#attention-{kind} tbody tr", has=page.locator(link_selector("families:detail", family.pk)))


def declining_on_resilience(family: Family, officer) -> None:
    for days_ago, resilience in ((60, 4), (30, 3), (2, 2)):
        ProgressReview.objects.create(
            family=family,
            reviewed_on=timezone.localdate() - timedelta(days=days_ago),
            understanding_score=3,
            understanding_evidence="What the parents said.",
            empowerment_score=3,
            empowerment_evidence="What the parents did.",
            resilience_score=resilience,
            resilience_evidence="How they coped.",
            created_by=officer,
        )


def back_without_return_conversation(family: Family, officer) -> None:
    child = ChildFactory(family=family, full_name=RETURNED_CHILD)
    now = timezone.now()
    MissingEpisode.objects.create(
        family=family,
        child=child,
        started_at=now - timedelta(days=5),
        ended_at=now - timedelta(hours=73),
        created_by=officer,
    )


def record_supervision_note(page: Page, family: Family, officer, axe, at) -> None:
    attention_row(page, "circle", family).locator(link_selector("families:supervision_add", family.pk)).click()
    expect(page).to_have_url(at("families:supervision_add", family.pk))
    expect(page.locator("#id_officer")).to_have_value(str(officer.pk))
    assert_no_violations(axe, page)

    submit_main_form(page)

    expect(page).to_have_url(at("families:supervision_add", family.pk))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#id_note_error")).to_contain_text("Schrijf op wat er is besproken en afgesproken.")
    assert_no_violations(axe, page)
    assert not SupervisionNote.objects.exists()

    page.locator("#id_held_on").fill(timezone.localdate().isoformat())
    page.locator("#id_note").fill(SUPERVISION_NOTE)
    submit_main_form(page)

    expect(page).to_have_url(at("families:chronology", family.pk))
    expect(page.get_by_role("main").get_by_role("table")).to_contain_text(SUPERVISION_NOTE)
    expect(page.get_by_role("main").get_by_role("table")).to_contain_text(officer.full_name)


def reassign(page: Page, family: Family, colleague, at) -> None:
    attention_row(page, "return_conversation", family).locator(
        link_selector("families:handover_create", family.pk)
    ).click()
    expect(page).to_have_url(at("families:handover_create", family.pk))
    page.locator("#id_to_officer").select_option(str(colleague.pk))
    page.locator("#id_reason").fill("Caseload balance")
    page.locator("#id_note").fill(HANDOVER_NOTE)
    submit_main_form(page)
    expect(page).to_have_url(at("families:detail", family.pk))
    expect(page.locator("#pending-handover")).to_contain_text(colleague.full_name)


def test_supervisor_acts_on_the_dashboard_and_reports_on_the_team(
    page: Page, supervisor, officer, team, family, axe, artifacts, at, sign_in
):
    today = timezone.localdate()
    colleague = UserFactory(role=Role.OFFICER, team=team, full_name=COLLEAGUE_NAME)
    family.referral_on = today - timedelta(days=90)
    family.save(update_fields=["referral_on"])
    ChildFactory(family=family, full_name=DECLINING_CHILD)
    declining_on_resilience(family, officer)
    returned = FamilyFactory(liaison_officer=officer, team=team, display_name=RETURNED_FAMILY)
    back_without_return_conversation(returned, officer)
    calm = FamilyFactory(liaison_officer=colleague, team=team, display_name=CALM_FAMILY)
    ChildFactory(family=calm, full_name=CALM_CHILD, risk_level=RiskLevel.LOW)

    sign_in(page, supervisor)
    nav_link(page, "dashboard").click()
    expect(page).to_have_url(at("dashboard"))
    expect(attention_row(page, "circle", family)).to_have_count(1)
    expect(attention_row(page, "circle", returned)).to_have_count(0)
    expect(attention_row(page, "circle", calm)).to_have_count(0)
    expect(attention_row(page, "return_conversation", returned)).to_have_count(1)
    expect(attention_row(page, "return_conversation", family)).to_have_count(0)
    expect(attention_row(page, "return_conversation", calm)).to_have_count(0)
    assert_no_violations(axe, page)

    record_supervision_note(page, family, officer, axe, at)
    note = SupervisionNote.objects.get(family=family)
    assert (note.officer, note.created_by, note.held_on, note.note) == (officer, supervisor, today, SUPERVISION_NOTE)

    nav_link(page, "dashboard").click()
    reassign(page, returned, colleague, at)

    nav_link(page, "dashboard").click()
    expect(page).to_have_url(at("dashboard"))
    expect(attention_row(page, "handover_pending", returned)).to_have_count(1)
    expect(page.locator(f"main {link_selector('families:handover_create', returned.pk)}")).to_have_count(0)
    expect(page.locator(f"main {link_selector('families:handover_create', family.pk)}").first).to_be_visible()
    page.screenshot(path=artifacts / "supervisor-dashboard.png", full_page=True)

    handover = Handover.objects.get(family=returned)
    assert (handover.from_officer, handover.to_officer, handover.created_by) == (officer, colleague, supervisor)
    assert handover.acknowledged_at is None and handover.note == HANDOVER_NOTE
    assert LiaisonAssignment.objects.get(family=returned, ended_at__isnull=True).officer == colleague

    nav_link(page, "report").click()
    expect(page).to_have_url(at("report"))
    expect(page.locator("#id_start")).not_to_have_value("")
    expect(page.locator("#id_end")).to_have_value(today.isoformat())
    submit_main_form(page)
    expect(page).to_have_url(at("report"))
    main = page.get_by_role("main")
    expect(main.locator(".govuk-error-summary")).to_have_count(0)
    expect(main.locator(".govuk-summary-list__value").first).to_have_text("3")
    expect(main.get_by_role("table", name="Aangemeld door").locator("tbody tr").last).to_contain_text("3")
    resilience = main.get_by_role("table", name="Gezinnen per dimensie").locator("tbody tr", has_text="Veerkracht")
    expect(resilience.locator("td")).to_have_text(["0", "0", "1"])
    expect(main.get_by_role("table", name="Gezinnen naar wisselingen in de periode")).to_be_visible()
    expect(main.locator("svg[role=img]")).to_have_count(3)
    assert_no_violations(axe, page)

    with page.expect_download() as download_info:
        main.locator(f"a[href^='{reverse('report_csv')}']").click()
    download = download_info.value
    saved = artifacts / "team-report.csv"
    download.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))  # a Dutch spreadsheet splits on ";"
    assert rows[0] == ["Onderdeel", "Maat", "Waarde"]
    assert len(rows) > 1 and all(len(row) == 3 for row in rows)
    revealing = [
        *(f.display_name for f in (family, returned, calm)),
        *(f.reference for f in (family, returned, calm)),
        DECLINING_CHILD,
        RETURNED_CHILD,
        CALM_CHILD,
        *(person.full_name for person in (officer, colleague, supervisor)),
    ]
    for word in revealing:
        assert word not in text, word
        assert word not in download.suggested_filename
