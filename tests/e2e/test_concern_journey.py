"""When a parent may be the exploiter, in a real browser and in Dutch. The officer answers
the intake screen and judges it a concern (first forgetting to say what worries them),
which raises the concern; records that the child was seen alone (first with a date in
the future); and records a Meldcode step with the date of the next one. Weeks later the
supervisor's dashboard lists the family under the two new attention lists: an open
concern with no child seen alone lately, and a Meldcode step past its date. Every page
is checked with axe; bad input shows the error summary and saves nothing."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from families.models import FamilyConcern, IntrafamilialScreen, MeldcodeStep, SeenAlone
from families.models.concerns import SIGNAL_FIELDS
from tests.e2e.conftest import assert_no_violations, submit_main_form
from tests.factories import ChildFactory

WORRY = "Noor wil na school niet naar huis en zegt dat haar stiefvader haar telefoon beheert."
DISCUSSED = "Noor vertelde over de mannen die haar stiefvader thuis ontvangt."
VT_REFERENCE = "VT-2026-0412"
SEEN_ALONE_DAYS_AGO = 35


def link_selector(name: str, *args, query: str = "") -> str:
    return f"a[href='{reverse(name, args=args)}{query}']"


def main_link(page: Page, name: str, *args, query: str = ""):
    return page.get_by_role("main").locator(link_selector(name, *args, query=query)).first


def error_summary_says(page: Page, field: str, text: str) -> None:
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Er is een probleem")
    expect(page.locator(f"#id_{field}_error")).to_contain_text(text)


def answer_the_intake_screen(page: Page, family, axe, at) -> None:
    page.locator("main #screen").scroll_into_view_if_needed()
    main_link(page, "families:screen_add", family.pk, query="?occasion=intake").click()
    expect(page).to_have_url(at("families:screen_add", family.pk))
    expect(page.get_by_text("Bij de intake.")).to_be_visible()
    assert_no_violations(axe, page)

    worrying = {"afraid_at_home", "child_named_family"}
    for name in SIGNAL_FIELDS:
        page.locator(f"input[name='{name}'][value='{'yes' if name in worrying else 'no'}']").check()
    page.locator("input[name='judgement'][value='concern']").check()
    expect(page.locator("label[for='id_judgement_1']")).to_have_text("Een zorg")

    # The judgement is a concern, but what worries the officer is missing.
    submit_main_form(page)
    error_summary_says(page, "note", "Schrijf op waar u zich zorgen over maakt")
    assert_no_violations(axe, page)
    assert not IntrafamilialScreen.objects.exists() and not FamilyConcern.objects.exists()
    # The answers given are kept.
    expect(page.locator("input[name='afraid_at_home'][value='yes']")).to_be_checked()

    page.locator("#id_note").fill(WORRY)
    submit_main_form(page)
    expect(page).to_have_url(at("families:concerns", family.pk))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Er is nu een zorg gemeld")
    expect(page.get_by_role("main")).to_contain_text(WORRY)
    assert_no_violations(axe, page)
    concern = FamilyConcern.objects.get()
    assert concern.is_open and concern.reason == WORRY
    assert IntrafamilialScreen.objects.get().concern == concern


def record_child_seen_alone(page: Page, family, child, axe, at, url) -> None:
    page.goto(url("families:detail", family.pk))
    main_link(page, "families:seen_alone_add", family.pk).click()
    expect(page).to_have_url(at("families:seen_alone_add", family.pk))
    assert_no_violations(axe, page)

    page.locator("#id_child").select_option(str(child.pk))
    page.locator("#id_seen_on").fill((timezone.localdate() + timedelta(days=1)).isoformat())
    page.locator("#id_seen_by").fill("Anna de Vries")
    page.locator("#id_agency").fill("Jeugdzorg")
    page.locator("#id_place").fill("Op school")
    page.locator("#id_discussed").fill(DISCUSSED)
    # A date in the future is refused.
    submit_main_form(page)
    error_summary_says(page, "seen_on", "De datum kan niet in de toekomst liggen.")
    assert_no_violations(axe, page)
    assert not SeenAlone.objects.exists()

    seen_on = timezone.localdate() - timedelta(days=SEEN_ALONE_DAYS_AGO)
    page.locator("#id_seen_on").fill(seen_on.isoformat())
    submit_main_form(page)
    expect(page).to_have_url(at("families:seen_alone", family.pk))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Vastgelegd dat het kind alleen is gesproken.")
    assert_no_violations(axe, page)
    seen = SeenAlone.objects.get()
    assert (seen.child, seen.seen_on, seen.discussed) == (child, seen_on, DISCUSSED)


def record_a_meldcode_step(page: Page, family, axe, at, url) -> MeldcodeStep:
    concern = FamilyConcern.objects.get()
    page.goto(url("families:concerns", family.pk))
    main_link(page, "families:meldcode_step_add", family.pk, concern.pk).click()
    expect(page).to_have_url(at("families:meldcode_step_add", family.pk, concern.pk))
    assert_no_violations(axe, page)

    next_on = timezone.localdate() + timedelta(days=14)
    page.locator("#id_kind").select_option("vt_consulted")
    page.locator("#id_reference").fill(VT_REFERENCE)
    page.locator("#id_note").fill("Anoniem overlegd; advies: Noor opnieuw alleen spreken.")
    page.locator("#id_next_on").fill(next_on.isoformat())
    submit_main_form(page)
    expect(page).to_have_url(at("families:concerns", family.pk))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("De stap van de Meldcode is vastgelegd.")
    steps = page.get_by_role("main").get_by_role("table", name="Stappen van de Meldcode")
    expect(steps).to_contain_text("Veilig Thuis geraadpleegd")
    expect(steps).to_contain_text(VT_REFERENCE)
    assert_no_violations(axe, page)
    step = MeldcodeStep.objects.get()
    assert (step.kind, step.reference, step.next_on, step.taken_on) == (
        "vt_consulted",
        VT_REFERENCE,
        next_on,
        timezone.localdate(),
    )
    return step


def test_officer_screens_raises_a_concern_sees_the_child_alone_and_follows_the_meldcode(
    page: Page, officer, supervisor, family, axe, at, url, sign_in, sign_out
):
    child = ChildFactory(family=family, full_name="Noor Jansen", created_by=officer)

    sign_in(page, officer)
    page.goto(url("families:detail", family.pk))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert_no_violations(axe, page)
    answer_the_intake_screen(page, family, axe, at)
    record_child_seen_alone(page, family, child, axe, at, url)
    step = record_a_meldcode_step(page, family, axe, at, url)

    # The family page shows the open concern, the latest screen and when Noor was seen alone.
    page.goto(url("families:detail", family.pk))
    main = page.get_by_role("main")
    expect(main.get_by_text("Open zorg", exact=True)).to_be_visible()
    expect(main).to_contain_text("Anna de Vries")
    assert_no_violations(axe, page)
    sign_out(page)

    # Three weeks on: the step was taken then and its next date has passed by a week.
    MeldcodeStep.objects.filter(pk=step.pk).update(
        taken_on=timezone.localdate() - timedelta(days=21), next_on=timezone.localdate() - timedelta(days=7)
    )

    sign_in(page, supervisor)
    page.goto(url("dashboard"))
    not_seen = page.locator("#attention-not_seen_alone")
    expect(not_seen.locator("tbody tr")).to_have_count(1)
    expect(not_seen.locator("tbody tr")).to_contain_text(family.reference)
    expect(not_seen.locator("summary")).to_contain_text("geen kind alleen gesproken in de laatste 28 dagen")
    overdue = page.locator("#attention-meldcode_overdue")
    expect(overdue.locator("tbody tr")).to_have_count(1)
    expect(overdue.locator("tbody tr")).to_contain_text(family.reference)
    expect(overdue.locator("summary")).to_contain_text("Volgende stap van de Meldcode over datum")
    assert_no_violations(axe, page)

    overdue.locator(link_selector("families:concerns", family.pk)).click()
    expect(page).to_have_url(at("families:concerns", family.pk))
    expect(page.get_by_role("main")).to_contain_text(VT_REFERENCE)
    assert_no_violations(axe, page)

    page.goto(url("dashboard"))
    page.locator("#attention-not_seen_alone").locator(link_selector("families:seen_alone", family.pk)).click()
    expect(page).to_have_url(at("families:seen_alone", family.pk))
    expect(page.get_by_role("main")).to_contain_text("Anna de Vries")
    assert_no_violations(axe, page)
